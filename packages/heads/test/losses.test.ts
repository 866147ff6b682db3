import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeAll, randomBert, randomInputs } from './helpers';

/** Closed-form mean cross-entropy over rows of `logits` (row-major `[n, c]`), skipping `ignore`. */
function ce(logits: Float32Array | number[], c: number, labels: number[], ignore = -100): number {
  let sum = 0;
  let n = 0;
  labels.forEach((y, i) => {
    if (y === ignore) return;
    const row = Array.from(logits.slice(i * c, (i + 1) * c));
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0));
    sum += lse - row[y]!;
    n++;
  });
  return sum / n;
}

function scalar(t: tf.Tensor | tf.Tensor[] | undefined): number {
  return (t as tf.Tensor).dataSync()[0]!;
}

function data(t: tf.Tensor | tf.Tensor[] | undefined): Float32Array {
  return (t as tf.Tensor).dataSync() as Float32Array;
}

describe('head losses match closed-form values', () => {
  it('classification: cross-entropy; num_labels = 1: MSE; multilabel: BCE with logits', () => {
    const model = randomBert();
    const inputs = randomInputs();
    model.addClassificationHead('cls', { numLabels: 3 });
    model.addClassificationHead('reg', { numLabels: 1 });
    model.addMultiLabelClassificationHead('ml', { numLabels: 3 });
    const labels = tf.tensor1d([2, 0], 'int32');
    const o = model.forward(inputs, { head: 'cls', labels });
    expect(o.logits!.shape).toEqual([2, 3]);
    expect(scalar(o.loss)).toBeCloseTo(ce(data(o.logits), 3, [2, 0]), 5);
    disposeAll(o);

    const target = tf.tensor1d([0.5, -1.25]);
    const r = model.forward(inputs, { head: 'reg', labels: target });
    const x = data(r.logits);
    expect(scalar(r.loss)).toBeCloseTo(((x[0]! - 0.5) ** 2 + (x[1]! + 1.25) ** 2) / 2, 5);
    disposeAll(r);

    const multi = tf.tensor2d([[1, 0, 1], [0, 0, 1]], [2, 3], 'int32');
    const m = model.forward(inputs, { head: 'ml', labels: multi });
    const z = data(m.logits);
    const y = [1, 0, 1, 0, 0, 1];
    const bce = y.reduce((a, yi, i) => a + (Math.max(z[i]!, 0) - z[i]! * yi + Math.log1p(Math.exp(-Math.abs(z[i]!)))), 0) / 6;
    expect(scalar(m.loss)).toBeCloseTo(bce, 5);
    disposeAll(m);
    tf.dispose([labels, target, multi]);
    disposeAll(inputs);
    model.dispose();
  });

  it('tagging: cross-entropy over unmasked tokens, ignoring -100', () => {
    const model = randomBert();
    const inputs = randomInputs();
    model.addTaggingHead('tag', { numLabels: 4 });
    const labels = tf.tensor2d([[0, 1, 2, 3, -100], [3, 2, 1, 0, 0]], [2, 5], 'int32');
    const o = model.forward(inputs, { labels });
    expect(o.logits!.shape).toEqual([2, 5, 4]);
    // Row 1 has attention mask 0 at positions 3 and 4: those labels do not count.
    const used = [0, 1, 2, 3, -100, 3, 2, 1, -100, -100];
    expect(scalar(o.loss)).toBeCloseTo(ce(data(o.logits), 4, used), 5);
    disposeAll(o);
    labels.dispose();
    disposeAll(inputs);
    model.dispose();
  });

  it('question answering: mean of start and end cross-entropies, positions clamped and ignored beyond the sequence', () => {
    const model = randomBert();
    const inputs = randomInputs();
    model.addQAHead('qa');
    const start = tf.tensor1d([1, 9], 'int32'); // 9 is clamped to 5 = ignored
    const end = tf.tensor1d([3, 2], 'int32');
    const o = model.forward(inputs, { startPositions: start, endPositions: end });
    expect(o.start_logits!.shape).toEqual([2, 5]);
    const s = ce(data(o.start_logits), 5, [1, -1], -1);
    const e = ce(data(o.end_logits), 5, [3, 2]);
    expect(scalar(o.loss)).toBeCloseTo((s + e) / 2, 5);
    disposeAll(o);
    tf.dispose([start, end]);
    disposeAll(inputs);
    model.dispose();
  });

  it('causal LM: labels shifted by one; masked LM: not shifted, -100 ignored', () => {
    const model = randomBert();
    const inputs = randomInputs();
    model.addCausalLMHead('clm');
    model.addMaskedLMHead('mlm');
    const labels = tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, -100, -100]], [2, 5], 'int32');
    const c = model.forward(inputs, { head: 'clm', labels });
    expect(c.logits!.shape).toEqual([2, 5, 30]);
    const lc = data(c.logits);
    const shiftedLogits: number[] = [];
    for (let b = 0; b < 2; b++) for (let t = 0; t < 4; t++) shiftedLogits.push(...lc.slice((b * 5 + t) * 30, (b * 5 + t + 1) * 30));
    expect(scalar(c.loss)).toBeCloseTo(ce(shiftedLogits, 30, [5, 9, 4, 3, 7, 3, -100, -100]), 5);
    const m = model.forward(inputs, { head: 'mlm', labels });
    expect(scalar(m.loss)).toBeCloseTo(ce(data(m.logits), 30, [2, 5, 9, 4, 3, 2, 7, 3, -100, -100]), 5);
    disposeAll(c);
    disposeAll(m);
    labels.dispose();
    disposeAll(inputs);
    model.dispose();
  });

  it('multiple choice: [B, C, T] inputs are flattened, logits reshaped to [B, C]', () => {
    const model = randomBert();
    model.addMultipleChoiceHead('mc', { numChoices: 2 });
    const ids = tf.tensor3d([[[2, 5, 9], [2, 7, 3]], [[4, 4, 1], [3, 1, 2]]], [2, 2, 3], 'int32');
    const labels = tf.tensor1d([1, 0], 'int32');
    const o = model.forward({ input_ids: ids }, { labels });
    expect(o.logits!.shape).toEqual([2, 2]);
    expect(scalar(o.loss)).toBeCloseTo(ce(data(o.logits), 2, [1, 0]), 5);
    // The same rows given as [B·C, T] give the same logits (Python's input_ids.view(-1, T)).
    const flatIds = tf.reshape(ids, [4, 3]);
    const single = model.forward({ input_ids: flatIds }, { headSetup: 'mc' });
    expect(Array.from(data(single.logits))).toEqual(Array.from(data(o.logits)));
    flatIds.dispose();
    disposeAll(o);
    disposeAll(single);
    tf.dispose([ids, labels]);
    model.dispose();
  });
});
