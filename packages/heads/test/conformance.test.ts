import { describeMethod } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { randomBert, randomInputs } from './helpers';

// A FlexHeadModel without heads keeps every AdapterModel contract (the conformance suite of a method).
describeMethod(lora, { model: () => randomBert([lora]), inputs: randomInputs, config: 'lora', identityAtInit: true, mergeable: true });
