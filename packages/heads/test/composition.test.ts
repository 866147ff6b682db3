import { BatchSplit, Parallel, Stack } from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { FlexHeadModel } from '../src';
import { disposeAll, randomBert, randomInputs } from './helpers';

function setup(): FlexHeadModel {
  const model = randomBert();
  for (const n of ['a', 'b']) {
    model.addAdapter(n, 'lora');
    perturbAdapter(model, n, n === 'a' ? 1 : 5);
    model.addClassificationHead(n, { numLabels: n === 'a' ? 2 : 3, seed: n === 'a' ? 3 : 4 });
  }
  return model;
}

function rowsOf(t: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(t, [start], [size]);
}

describe('the active head follows the adapter setup', () => {
  it('an adapter activates the head of the same name (Stack: the last one); Fuse-like setups keep the head', () => {
    const model = setup();
    expect(model.activeHead).toBe('b'); // the last added head
    model.setActiveAdapters('a');
    expect(model.activeHead).toBe('a');
    model.setActiveAdapters(Stack('a', 'b'));
    expect(model.activeHead).toBe('b');
    model.addAdapter('c', 'lora');
    model.setActiveAdapters('c'); // no head "c": unchanged
    expect(model.activeHead).toBe('b');
    model.trainAdapter('a');
    expect(model.activeHead).toBe('a');
    model.dispose();
  });

  it('BatchSplit → a BatchSplit of heads: head i on its rows, labels sliced, losses summed', () => {
    const model = setup();
    const inputs = randomInputs();
    const labels = tf.tensor1d([1, 2], 'int32');
    model.setActiveAdapters(BatchSplit('a', 'b', { batchSizes: [1, 1] }));
    expect(model.activeHead).toEqual({ type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] });
    const r = model.forwardHeads(inputs, { labels });
    expect(r.heads.map((h) => [h.name, h.logits!.shape])).toEqual([
      ['a', [1, 2]],
      ['b', [1, 3]],
    ]);
    // Row-wise references: row 0 with adapter+head a, row 1 with adapter+head b.
    for (const [i, n] of ['a', 'b'].entries()) {
      const row = { input_ids: rowsOf(inputs.input_ids!, i, 1), attention_mask: rowsOf(inputs.attention_mask!, i, 1) };
      const lab = rowsOf(labels, i, 1);
      const ref = model.forward(row, { setup: n, head: n, labels: lab });
      expect(maxAbsDiff(r.heads[i]!.logits!, ref.logits as tf.Tensor)).toBeLessThanOrEqual(1e-5);
      expect(r.heads[i]!.loss!.dataSync()[0]).toBeCloseTo((ref.loss as tf.Tensor).dataSync()[0]!, 5);
      disposeAll(ref);
      disposeAll(row);
      lab.dispose();
    }
    expect(r.loss!.dataSync()[0]).toBeCloseTo(r.heads[0]!.loss!.dataSync()[0]! + r.heads[1]!.loss!.dataSync()[0]!, 5);
    disposeAll(r.base);
    for (const h of r.heads) tf.dispose([h.logits!, h.loss!]);
    r.loss!.dispose();
    tf.dispose(labels);
    disposeAll(inputs);
    model.dispose();
  });

  it('Parallel → one head output per child on its replica of the batch; losses summed', () => {
    const model = setup();
    const inputs = randomInputs();
    const labels = tf.tensor1d([1, 0], 'int32');
    model.setActiveAdapters(Parallel('a', 'b'));
    expect(model.activeHead).toEqual(['a', 'b']);
    const r = model.forwardHeads(inputs, { labels });
    expect(r.base.last_hidden_state.shape[0]).toBe(4);
    for (const [i, n] of ['a', 'b'].entries()) {
      const ref = model.forward(inputs, { setup: n, head: n, labels });
      expect(maxAbsDiff(r.heads[i]!.logits!, ref.logits as tf.Tensor)).toBeLessThanOrEqual(1e-5);
      expect(r.heads[i]!.loss!.dataSync()[0]).toBeCloseTo((ref.loss as tf.Tensor).dataSync()[0]!, 5);
      disposeAll(ref);
    }
    expect(r.loss!.dataSync()[0]).toBeCloseTo(r.heads[0]!.loss!.dataSync()[0]! + r.heads[1]!.loss!.dataSync()[0]!, 5);
    disposeAll(r.base);
    for (const h of r.heads) tf.dispose([h.logits!, h.loss!]);
    r.loss!.dispose();
    // forward(): combined loss; logits of different widths are not concatenated.
    const flat = model.forward(inputs, { labels });
    expect(flat.loss).toBeDefined();
    expect(flat.logits).toBeUndefined();
    disposeAll(flat);
    tf.dispose(labels);
    disposeAll(inputs);
    model.dispose();
  });

  it('several active heads without Parallel: every head on the whole batch, no combined loss; logits concatenated', () => {
    const model = randomBert();
    model.addClassificationHead('x');
    model.addClassificationHead('y');
    model.activeHead = ['x', 'y'];
    const inputs = randomInputs();
    const labels = tf.tensor1d([1, 0], 'int32');
    const r = model.forwardHeads(inputs, { labels });
    expect(r.heads.map((h) => h.name)).toEqual(['x', 'y']);
    expect(r.loss).toBeUndefined();
    disposeAll(r.base);
    for (const h of r.heads) tf.dispose([h.logits!, h.loss!]);
    const flat = model.forward(inputs);
    expect(flat.logits!.shape).toEqual([4, 2]);
    disposeAll(flat);
    labels.dispose();
    disposeAll(inputs);
    model.dispose();
  });

  it('withAdapterSetup(setup, fn) uses the implied head inside fn and restores the active head', () => {
    const model = setup();
    model.setActiveAdapters('a');
    const inputs = randomInputs();
    const inside = model.withAdapterSetup('b', () => model.forward(inputs));
    expect(inside.logits!.shape).toEqual([2, 3]);
    const outside = model.forward(inputs);
    expect(outside.logits!.shape).toEqual([2, 2]);
    const explicit = model.withAdapterSetup('b', () => model.forward(inputs), 'a');
    expect(explicit.logits!.shape).toEqual([2, 2]);
    for (const o of [inside, outside, explicit]) disposeAll(o);
    disposeAll(inputs);
    model.dispose();
  });
});
