import { describeMethod } from '@adapters/core/testing';
import { lora } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describeMethod(lora, { model: () => randomBert([lora]), inputs: randomBertInputs, config: 'lora', identityAtInit: true, mergeable: true });
describeMethod(lora, {
  model: () => randomBert([lora]),
  inputs: randomBertInputs,
  config: { architecture: 'lora', r: 4, alpha: 8, attn_matrices: ['q', 'k', 'v'], intermediate_lora: true, output_lora: true, init_weights: 'bert', use_gating: true },
  identityAtInit: false,
});
