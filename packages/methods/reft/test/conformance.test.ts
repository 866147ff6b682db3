import { MemoryStorage, configValue, loadAdapter, saveAdapter } from '@adapters/core';
import { describeMethod, maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { reft } from '../src';
import { perturbReftAdapter, randomBert, randomBertInputs } from './helpers';

const model = (): ReturnType<typeof randomBert> => randomBert([reft]);
const perturb = perturbReftAdapter;

// ReFT is not the identity at initialisation (h + (Wh + b − Rh)R ≠ h) and cannot be merged.
describeMethod(reft, { model, inputs: randomBertInputs, config: 'loreft', identityAtInit: false, perturb });
describeMethod(reft, { model, inputs: randomBertInputs, config: 'noreft', identityAtInit: false, perturb });
describeMethod(reft, {
  model,
  inputs: randomBertInputs,
  config: { architecture: 'reft', layers: [1], prefix_positions: 2, suffix_positions: 2, r: 3, orthogonality: true, tied_weights: true, non_linearity: 'relu', dropout: 0.1 },
  identityAtInit: false,
  perturb,
});

describe('DiReFT round trip (library bug reproduced)', () => {
  it('save → load of a DiReFT turns it into NoReFT (subtract_projection → true)', async () => {
    const m = model();
    const inputs = randomBertInputs();
    m.addAdapter('d', 'direft', { setActive: true });
    perturbAdapter(m, 'd');
    expect(configValue(m.adapterConfig('d'), 'subtract_projection')).toBe(false);
    const y = m.forward(inputs).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'd', 'd');
    m.deleteAdapter('d');
    await loadAdapter(m, storage, 'd', { setActive: true });
    expect(configValue(m.adapterConfig('d'), 'subtract_projection')).toBe(true);
    expect(maxAbsDiff(y, m.forward(inputs).last_hidden_state)).toBeGreaterThan(1e-4);
    tf.dispose(Object.values(inputs));
    m.dispose();
  });
});

describe('ReFT placement and dispatch', () => {
  it('two units per layer (also with suffix_positions = 0), one with tied_weights; layers list respected', () => {
    const m = model();
    m.addAdapter('a', 'loreft');
    const keys = [...m.adapterParameters('a').keys()];
    expect(keys).toContain('encoder.layer.0.reft_layer.refts.a.units.1.projection.parametrizations.weight.0.base');
    expect(keys.filter((k) => k.endsWith('learned_source.bias'))).toHaveLength(4);
    expect(m.adapterBuffers('a').size).toBe(4);
    m.addAdapter('t', 'loreft[tied_weights=True, layers=[1]]');
    expect([...m.adapterParameters('t').keys()].every((k) => k.startsWith('encoder.layer.1.reft_layer.refts.t.units.0.'))).toBe(true);
    m.dispose();
  });

  it('only the first adapter of a Stack acts', () => {
    const m = model();
    const inputs = randomBertInputs();
    m.addAdapter('a', 'noreft');
    m.addAdapter('b', 'noreft');
    perturbAdapter(m, 'a', 1);
    perturbAdapter(m, 'b', 9);
    const only = m.forward(inputs, { setup: 'a' }).last_hidden_state;
    const stack = m.forward(inputs, { setup: { type: 'Stack', children: ['a', 'b'] } }).last_hidden_state;
    expect(maxAbsDiff(only, stack)).toBe(0);
    tf.dispose(Object.values(inputs));
    m.dispose();
  });
});
