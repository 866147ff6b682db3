import { AdapterConfigError, type ConfigInput, pyFloat, requireSingleConfig, resolveAdapterConfig } from '@adapters/core';
import { bottleneck } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compacter } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const cfg = (c: ConfigInput) => requireSingleConfig(resolveAdapterConfig(c));
const phm = { phm_layer: true, mh_adapter: true, output_adapter: true, reduction_factor: 4, non_linearity: 'relu' };

function expectConfigError(config: ConfigInput, field: string): void {
  const model = randomBert([compacter, bottleneck]);
  const before = tf.memory().numTensors;
  let err: unknown;
  try {
    model.addAdapter('a', config);
  } catch (e) {
    err = e;
  }
  expect(err, JSON.stringify(config)).toBeInstanceOf(AdapterConfigError);
  expect((err as AdapterConfigError).field).toBe(field);
  expect(tf.memory().numTensors).toBe(before); // nothing leaked on failure
  model.dispose();
}

describe('Compacter configs', () => {
  it('accepts BnConfig-family configs with phm_layer; the bottleneck method does not', () => {
    for (const c of ['compacter', 'compacter++', 'compacter[phm_dim=2]', phm] as ConfigInput[]) {
      expect(compacter.accepts(cfg(c)), JSON.stringify(c)).toBe(true);
      expect(bottleneck.accepts(cfg(c))).toBe(false);
    }
    for (const c of ['seq_bn', 'double_seq_bn_inv', 'lora', 'prefix_tuning'] as ConfigInput[]) expect(compacter.accepts(cfg(c)), String(c)).toBe(false);
  });

  it('requires the invertible method when inv_adapter is set', () => {
    expect(compacter.requires!(cfg('compacter'))).toEqual([]);
    expect(compacter.requires!(cfg({ ...phm, inv_adapter: 'nice', inv_adapter_reduction_factor: 2 }))).toEqual([{ method: 'invertible', package: '@adapters/invertible' }]);
  });

  it('rejects what Python cannot build, naming the field (and frees what it created)', () => {
    expectConfigError('compacter', 'phm_dim'); // hidden 16 // 32 → 1, not divisible by 4 (the fixtures' documented bug)
    expectConfigError({ ...phm, reduction_factor: { '0': 4, default: 8 } }, 'phm_dim'); // layer 1: 16 // 8 = 2
    expectConfigError({ ...phm, phm_dim: 3 }, 'phm_dim');
    expectConfigError({ ...phm, phm_dim: pyFloat(4) }, 'phm_dim');
    expectConfigError({ ...phm, phm_rank: 0 }, 'phm_rank');
    expectConfigError({ ...phm, init_weights: 'houlsby' }, 'init_weights');
    expectConfigError({ ...phm, init_weights: 'mam_adapter' }, 'init_weights');
    expectConfigError({ ...phm, hypercomplex_nonlinearity: 'xavier' }, 'hypercomplex_nonlinearity');
    expectConfigError({ ...phm, phm_c_init: 'zeros' }, 'phm_c_init');
    expectConfigError({ ...phm, shared_W_phm: true, factorized_phm_W: false }, 'factorized_phm_W');
    expectConfigError({ ...phm, shared_W_phm: true, reduction_factor: { default: 4 } }, 'reduction_factor');
    expectConfigError({ ...phm, non_linearity: 'nope' }, 'non_linearity');
  });

  it('learn_phm: false freezes the rule (shared and per layer); everything else trains', () => {
    const model = randomBert([compacter]);
    model.addAdapter('s', { ...phm, learn_phm: false });
    model.addAdapter('l', { ...phm, learn_phm: false, shared_phm_rule: false, factorized_phm_rule: true });
    model.addAdapter('t', phm);
    expect([...model.frozenAdapterParameters('s')]).toEqual(['shared_parameters.s.phm_rule']);
    const frozenL = [...model.frozenAdapterParameters('l')];
    expect(frozenL.length).toBe(2 * 2 * 2 * 2); // 2 layers × 2 sites × (down, up) × (left, right)
    expect(frozenL.every((k) => /\.phm_rule_(left|right)$/.test(k))).toBe(true);
    expect(model.frozenAdapterParameters('t').size).toBe(0);
    model.trainAdapter(['s', 'l', 't']);
    const trainable = model.trainableVariables();
    expect(trainable.has('shared_parameters.s.phm_rule')).toBe(false);
    expect(trainable.has('shared_parameters.t.phm_rule')).toBe(true);
    expect(frozenL.some((k) => trainable.has(k))).toBe(false);
    model.dispose();
  });

  it('AdapterFusion over two Compacters runs (bottleneck fusion provider)', () => {
    const model = randomBert([compacter]);
    model.addAdapter('a', phm);
    model.addAdapter('b', phm);
    model.addAdapterFusion(['a', 'b'], { key: true, query: true, value: true, query_before_ln: false, regularization: false, residual_before: false, temperature: false, value_before_softmax: true, value_initialized: true, dropout_prob: null });
    model.setActiveAdapters({ type: 'Fuse', children: ['a', 'b'] });
    const inputs = randomBertInputs();
    const y = model.forward(inputs).last_hidden_state;
    expect(y.shape).toEqual([2, 5, 16]);
    tf.dispose([y, ...Object.values(inputs)]);
    model.dispose();
  });
});
