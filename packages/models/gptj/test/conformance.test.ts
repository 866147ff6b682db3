import { bottleneck } from '@adapters/bottleneck';
import { describeMethod, describeModel } from '@adapters/core/testing';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import { gptj } from '../src';
import { randomGptj, randomGptjInputs, smallConfig } from './helpers';

describeModel(gptj, { config: smallConfig, inputs: randomGptjInputs });
describeModel(gptj, { config: { ...smallConfig, rotary_dim: null }, inputs: randomGptjInputs });

describeMethod(lora, { model: () => randomGptj([lora]), inputs: randomGptjInputs, config: 'lora', identityAtInit: true, mergeable: true });
describeMethod(lora, {
  model: () => randomGptj([lora]),
  inputs: randomGptjInputs,
  config: { architecture: 'lora', r: 4, alpha: 8, attn_matrices: ['q', 'k', 'v'], intermediate_lora: true, output_lora: true, init_weights: 'bert', use_gating: true },
  identityAtInit: false,
});
describeMethod(ia3, { model: () => randomGptj([ia3]), inputs: randomGptjInputs, config: 'ia3', identityAtInit: true, mergeable: true });
describeMethod(bottleneck, { model: () => randomGptj([bottleneck]), inputs: randomGptjInputs, config: 'double_seq_bn', identityAtInit: false });
