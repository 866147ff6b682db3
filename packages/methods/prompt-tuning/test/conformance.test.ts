import { describeMethod } from '@adapters/core/testing';
import { promptTuning } from '../src';
import { randomBert, randomBertInputs } from './helpers';

// Prompt tuning lengthens the sequence, so the suite compares `pooler_output` (same shape with and
// without the adapter; it reads the first position, a prompt position when the prompt is active).
const common = { model: () => randomBert([promptTuning]), inputs: randomBertInputs, identityAtInit: false, output: 'pooler_output' } as const;

describeMethod(promptTuning, { ...common, config: 'prompt_tuning' });
describeMethod(promptTuning, { ...common, config: { architecture: 'prompt_tuning', prompt_length: 3, combine: 'prefix_after_bos' } });
