import { bottleneck } from '@adapters/bottleneck';
import { describeMethod, describeModel } from '@adapters/core/testing';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import { gpt2 } from '../src';
import { randomGpt2, randomGpt2Inputs, smallConfig } from './helpers';

describeModel(gpt2, { config: smallConfig, inputs: randomGpt2Inputs });
describeModel(gpt2, { config: { ...smallConfig, scale_attn_by_inverse_layer_idx: true, n_inner: 20, activation_function: 'relu' }, inputs: randomGpt2Inputs });

// LoRA through the fused c_attn (merged q|v) plus the FFN projections.
describeMethod(lora, { model: () => randomGpt2([lora]), inputs: randomGpt2Inputs, config: 'lora', identityAtInit: true, mergeable: true });
describeMethod(lora, {
  model: () => randomGpt2([lora]),
  inputs: randomGpt2Inputs,
  config: { architecture: 'lora', r: 4, alpha: 8, attn_matrices: ['q', 'k', 'v'], intermediate_lora: true, output_lora: true, init_weights: 'bert' },
  identityAtInit: false,
  mergeable: true,
});
describeMethod(lora, {
  model: () => randomGpt2([lora]),
  inputs: randomGpt2Inputs,
  config: { architecture: 'lora', r: 2, alpha: 4, attn_matrices: ['k'], use_gating: true, init_weights: 'bert' },
  identityAtInit: false,
});
// (IA)³: k and v thirds of c_attn (merged) and mlp.c_fc.
describeMethod(ia3, { model: () => randomGpt2([ia3]), inputs: randomGpt2Inputs, config: 'ia3', identityAtInit: true, mergeable: true });
describeMethod(bottleneck, { model: () => randomGpt2([bottleneck]), inputs: randomGpt2Inputs, config: 'double_seq_bn', identityAtInit: false });
