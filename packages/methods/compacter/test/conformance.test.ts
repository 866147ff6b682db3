import { describeMethod } from '@adapters/core/testing';
import { compacter, createCompacter } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const model = () => randomBert([compacter]);
const inputs = randomBertInputs;

// The PHM rule starts tiny (shared: N(0, phm_init_range = 1e-4); per layer: N(0, 0.01) or U(±0.01)), so
// H = Σ rule_i ⊗ W_i is ~1e-4 and a fresh Compacter changes the output by < 1e-5 ("identity at init").
// Hidden 16: the default reduction_factor 32 gives a bottleneck of 1 (not divisible by phm_dim 4), as in Python.
describeMethod(compacter, { model, inputs, config: 'compacter[reduction_factor=4]', identityAtInit: true });
describeMethod(compacter, { model, inputs, config: 'compacter++[reduction_factor=4]', identityAtInit: true });
// Per-layer rules (factorised), full W, no bias, frozen rule (learn_phm false), input LayerNorm, uniform c-init.
describeMethod(compacter, {
  model,
  inputs,
  config: {
    phm_layer: true, mh_adapter: true, output_adapter: true, reduction_factor: 2, non_linearity: 'relu',
    shared_phm_rule: false, factorized_phm_rule: true, factorized_phm_W: false, phm_bias: false, learn_phm: false,
    phm_c_init: 'uniform', ln_before: true, phm_dim: 2,
  },
  identityAtInit: true,
});
// Shared, factorised W (W_down_left … in shared_parameters), shared frozen rule, rank 2.
describeMethod(compacter, {
  model,
  inputs,
  config: { phm_layer: true, mh_adapter: false, output_adapter: true, reduction_factor: 4, non_linearity: 'gelu', shared_W_phm: true, phm_rank: 2, learn_phm: false },
  identityAtInit: true,
});
// Opt-in fix: shared un-factorised W (Python fails) with the honoured `normal` init.
const fixed = createCompacter({ sharedUnfactorizedW: true, hypercomplexInit: true });
describeMethod(fixed, {
  model: () => randomBert([fixed]),
  inputs,
  config: { phm_layer: true, mh_adapter: true, output_adapter: false, reduction_factor: 4, non_linearity: 'tanh', shared_W_phm: true, factorized_phm_W: false, hypercomplex_nonlinearity: 'normal', phm_init_range: 0.1 },
  identityAtInit: false,
});
