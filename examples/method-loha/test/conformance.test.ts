import { describeMethod } from '@adapters/core/testing';
import { loha } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describeMethod(loha, { model: () => randomBert([loha]), inputs: randomBertInputs, config: 'loha', identityAtInit: true, mergeable: true });
describeMethod(loha, {
  model: () => randomBert([loha]),
  inputs: randomBertInputs,
  config: { architecture: 'loha', r: 2, alpha: 4, attn_matrices: ['q', 'k', 'v'], intermediate_loha: true, output_loha: true, init_weights: false },
  identityAtInit: false,
  mergeable: true,
});
