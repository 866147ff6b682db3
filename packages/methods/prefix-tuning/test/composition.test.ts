import { type AdapterModel, FLOAT32_MIN, type ModelInfo, type SetupNode } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { PrefixPool, createPrefixTuning, prefixTuning, pythonPrefixPadding } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const key = (name: string): string => `prefix_tuning.prefix_tunings.${name}.self_prefix.control_trans`;

/** A random BERT with flat prefixes `a` (length la) and `b` (length lb), perturbed. */
function withTwo(la: number, lb: number, fixPadding = false): AdapterModel {
  const model = randomBert([fixPadding ? createPrefixTuning({ fixPadding: true }) : prefixTuning]);
  model.addAdapter('a', { architecture: 'prefix_tuning', flat: true, prefix_length: la }, { seed: 1 });
  model.addAdapter('b', { architecture: 'prefix_tuning', flat: true, prefix_length: lb }, { seed: 2 });
  return model;
}

function run(model: AdapterModel, setup: SetupNode | string, inputs: Record<string, tf.Tensor>): tf.Tensor {
  return model.forward(inputs, { setup }).last_hidden_state;
}

function rows(t: tf.Tensor, start: number, n: number): tf.Tensor {
  return tf.slice(t, [start, 0, 0], [n, -1, -1]);
}

describe('prefix tuning compositions', () => {
  it('Stack(a, b) equals one flat prefix [b; a] (later prefixes go in front)', () => {
    const model = withTwo(3, 2);
    const inputs = randomBertInputs();
    const pa = model.adapterParameters('a').get(key('a'))!;
    const pb = model.adapterParameters('b').get(key('b'))!;
    model.addAdapter('ba', { architecture: 'prefix_tuning', flat: true, prefix_length: 5 });
    model.adapterParameters('ba').get(key('ba'))!.assign(tf.concat([pb, pa]));
    const stacked = run(model, { type: 'Stack', children: ['a', 'b'] }, inputs);
    const single = run(model, 'ba', inputs);
    expect(maxAbsDiff(stacked, single)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(stacked, run(model, 'a', inputs))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('Parallel(a, b): rows 0..B-1 are a alone, rows B..2B-1 are b alone', () => {
    const model = withTwo(3, 3);
    const inputs = randomBertInputs();
    const par = run(model, { type: 'Parallel', children: ['a', 'b'] }, inputs);
    expect(par.shape[0]).toBe(4);
    expect(maxAbsDiff(rows(par, 0, 2), run(model, 'a', inputs))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(rows(par, 2, 2), run(model, 'b', inputs))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('BatchSplit(a, b): each row equals running its adapter alone', () => {
    const model = withTwo(3, 3);
    const inputs = randomBertInputs();
    const split = run(model, { type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] }, inputs);
    expect(maxAbsDiff(rows(split, 0, 1), rows(run(model, 'a', inputs), 0, 1))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(rows(split, 1, 1), rows(run(model, 'b', inputs), 1, 1))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('different prefix lengths: with fixPadding the padded positions are masked (rows equal separate runs)', () => {
    const model = withTwo(4, 2, true);
    const inputs = randomBertInputs();
    const split = run(model, { type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] }, inputs);
    expect(maxAbsDiff(rows(split, 1, 1), rows(run(model, 'b', inputs), 1, 1))).toBeLessThanOrEqual(1e-5);
    const par = run(model, { type: 'Parallel', children: ['a', 'b'] }, inputs);
    expect(maxAbsDiff(rows(par, 2, 2), run(model, 'b', inputs))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(rows(par, 0, 2), run(model, 'a', inputs))).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it("different prefix lengths, default: Python's padding (keys = pad_token_id, mask +1) is attended", () => {
    const model = withTwo(4, 2);
    const inputs = randomBertInputs();
    const split = run(model, { type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] }, inputs);
    // The longer child is unaffected; the shorter one sees 2 extra attended zero keys/values.
    expect(maxAbsDiff(rows(split, 0, 1), rows(run(model, 'a', inputs), 0, 1))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(rows(split, 1, 1), rows(run(model, 'b', inputs), 1, 1))).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it("Python's padding per model: mask +1 (attended) for inverted masks, masked for DistilBERT / DeBERTa v1 / v2 (invert_mask=False)", () => {
    const info = (modelType: string, pad?: number): ModelInfo => ({
      modelType,
      hiddenSize: 16,
      numLayers: 2,
      numAttentionHeads: 2,
      config: pad === undefined ? {} : { pad_token_id: pad },
    });
    for (const t of ['bert', 'roberta', 'gpt2', 'bart', 't5', 'xmod']) expect(pythonPrefixPadding(info(t, 1)), t).toEqual({ keyValue: 1, mask: 1 });
    for (const t of ['distilbert', 'deberta', 'deberta-v2']) expect(pythonPrefixPadding(info(t, 0)), t).toEqual({ keyValue: 0, mask: FLOAT32_MIN });
    expect(pythonPrefixPadding(info('deberta'))).toEqual({ keyValue: 0, mask: FLOAT32_MIN });
  });

  it('Stack inside BatchSplit runs', () => {
    const model = withTwo(3, 2);
    const inputs = randomBertInputs();
    const t = run(model, { type: 'BatchSplit', children: [{ type: 'Stack', children: ['a', 'b'] }, 'b'], batchSizes: [1, 1] }, inputs);
    expect(t.shape).toEqual([2, 5, 16]);
    model.dispose();
  });

  it('prefix states are computed once per pass, also with dropout in training (Parallel / BatchSplit)', () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('a', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 8, dropout: 0.3 });
    model.addAdapter('b', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 8, dropout: 0.3 });
    const inputs = randomBertInputs();
    const spy = vi.spyOn(PrefixPool.prototype as unknown as { compute: () => unknown }, 'compute');
    for (const setup of ['a', { type: 'Parallel', children: ['a', 'b'] }, { type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] }] as const) {
      spy.mockClear();
      const t = model.forward(inputs, { setup: setup as SetupNode, training: true }).last_hidden_state;
      expect(spy).toHaveBeenCalledTimes(typeof setup === 'string' ? 1 : 2); // once per adapter, not per layer
      expect(Number.isFinite(tf.sum(t).dataSync()[0])).toBe(true);
    }
    spy.mockRestore();
    model.dispose();
  });

  it('rejects Average / Fuse / Split', () => {
    const model = withTwo(3, 3);
    expect(() => model.setActiveAdapters({ type: 'Average', children: ['a', 'b'], weights: [0.5, 0.5] })).toThrow();
    expect(() => model.setActiveAdapters({ type: 'Fuse', children: ['a', 'b'] })).toThrow();
    expect(() => model.setActiveAdapters({ type: 'Split', children: ['a', 'b'], splits: [2, 3] })).toThrow();
    model.dispose();
  });
});
