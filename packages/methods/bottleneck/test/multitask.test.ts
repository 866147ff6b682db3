import { AdapterPlusConfig, createConfig } from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bottleneck } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const rows = (t: tf.Tensor, i: number) => tf.slice(t, [i, 0, 0], [1, -1, -1]);

describe('more setups on a model', () => {
  it('MultiTask routes each row to its task adapter (engine compose_multi_task)', () => {
    const model = randomBert([bottleneck]);
    model.addAdapter('a', 'double_seq_bn');
    model.addAdapter('b', 'double_seq_bn');
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    const inputs = randomBertInputs();
    const ya = model.forward(inputs, { setup: 'a' }).last_hidden_state;
    const yb = model.forward(inputs, { setup: 'b' }).last_hidden_state;
    const y = model.forward(inputs, { setup: { type: 'MultiTask', children: ['a', 'b'] }, taskIds: [1, 0] }).last_hidden_state;
    expect(maxAbsDiff(rows(y, 0), rows(yb, 0))).toBeLessThan(1e-5);
    expect(maxAbsDiff(rows(y, 1), rows(ya, 1))).toBeLessThan(1e-5);
    tf.dispose([ya, yb, y, ...Object.values(inputs)]);
    model.dispose();
  });

  it('AdapterPlusConfig: channel scaling, houlsby init; stochastic depth only in training', () => {
    const model = randomBert([bottleneck]);
    model.addAdapter('p', createConfig(AdapterPlusConfig, { reduction_factor: 4 }), { setActive: true });
    const keys = [...model.adapterParameters('p').keys()];
    expect(keys).toContain('encoder.layer.0.output.adapters.p.scaling');
    expect(model.adapterParameters('p').get('encoder.layer.0.output.adapters.p.scaling')!.shape).toEqual([16]);
    expect(keys.some((k) => k.includes('.attention.output.'))).toBe(false);
    perturbAdapter(model, 'p', 3);
    const inputs = randomBertInputs();
    const e1 = model.forward(inputs).last_hidden_state;
    const e2 = model.forward(inputs).last_hidden_state;
    expect(maxAbsDiff(e1, e2)).toBe(0);
    const diffs = [1, 2, 3, 4, 5, 6].map((seed) => {
      const t = model.forward(inputs, { training: true, seed }).last_hidden_state;
      const d = maxAbsDiff(t, e1);
      t.dispose();
      return d;
    });
    expect(Math.max(...diffs)).toBeGreaterThan(1e-4); // some rows dropped (p = 0.1) in some pass
    tf.dispose([e1, e2, ...Object.values(inputs)]);
    model.dispose();
  });
});
