import { describeMethod } from '@adapters/core/testing';
import { bottleneck } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const model = () => randomBert([bottleneck]);

// bert init: random N(0, 0.02) up-projection → not the identity at init.
describeMethod(bottleneck, { model, inputs: randomBertInputs, config: 'seq_bn', identityAtInit: false });
describeMethod(bottleneck, { model, inputs: randomBertInputs, config: 'double_seq_bn', identityAtInit: false });
// mam_adapter init: zero up-projection → the parallel adapter is the identity at init.
describeMethod(bottleneck, { model, inputs: randomBertInputs, config: 'par_bn', identityAtInit: true });
// Input/output LayerNorms, gating and a learned scalar scaling (ln_before duplicates the LN under adapter_down.0).
describeMethod(bottleneck, {
  model,
  inputs: randomBertInputs,
  config: { reduction_factor: 4, mh_adapter: true, output_adapter: true, non_linearity: 'gelu', ln_before: true, ln_after: true, use_gating: true, scaling: 'learned' },
  identityAtInit: false,
});
// Per-layer reduction factors (string keys + default) and channel scaling under houlsby init.
describeMethod(bottleneck, {
  model,
  inputs: randomBertInputs,
  config: { reduction_factor: { '0': 2, default: 8 }, mh_adapter: false, output_adapter: true, non_linearity: 'tanh', init_weights: 'houlsby', scaling: 'channel' },
  identityAtInit: false,
});
