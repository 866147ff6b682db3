import { SGD, trainStep } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeAll, randomBert, randomInputs } from './helpers';

describe('training with heads', () => {
  it('trainAdapter: adapter and head variables train (tied LM weights stay frozen), base unchanged', () => {
    const model = randomBert();
    model.addAdapter('x', 'lora');
    model.addClassificationHead('x');
    model.addMaskedLMHead('mlm');
    model.trainAdapter('x');
    expect(model.activeHead).toBe('x');
    const keys = [...model.trainableVariables().keys()].sort();
    const expected = [...model.adapterParameters('x').keys(), ...model.headParameters('x').keys(), ...model.headParameters('mlm').keys()].sort();
    expect(keys).toEqual(expected);
    expect(keys).not.toContain('embeddings.word_embeddings.weight');
    const inputs = randomInputs();
    const labels = tf.tensor1d([1, 0], 'int32');
    const baseBefore = new Map([...model.weights].map(([k, v]) => [k, v.clone()]));
    const headBefore = model.headParameters('x').get('heads.x.4.weight')!.clone();
    const r = trainStep(model, () => model.forward(inputs, { labels }).loss as tf.Scalar, new SGD(0.5));
    expect(Number.isFinite(r.loss)).toBe(true);
    for (const [k, v] of model.weights) expect(maxAbsDiff(v, baseBefore.get(k)!), k).toBe(0);
    expect(maxAbsDiff(model.headParameters('x').get('heads.x.4.weight')!, headBefore)).toBeGreaterThan(0);
    tf.dispose([...baseBefore.values(), headBefore, labels]);
    disposeAll(inputs);
    model.dispose();
  });

  it('one SGD step on a 1-layer head matches the closed-form cross-entropy gradient', () => {
    const model = randomBert();
    model.addClassificationHead('c', { layers: 1, numLabels: 3 });
    model.freezeModel(true);
    const inputs = randomInputs();
    const labels = tf.tensor1d([2, 0], 'int32');
    const before = model.forward(inputs);
    const w = model.headParameters('c').get('heads.c.1.weight')!;
    const b = model.headParameters('c').get('heads.c.1.bias')!;
    const lr = 0.3;
    const expectedW = tf.tidy(() => {
      const cls = tf.reshape(tf.slice(before.last_hidden_state, [0, 0, 0], [2, 1, 16]), [2, 16]);
      const diff = tf.div(tf.sub(tf.softmax(before.logits as tf.Tensor), tf.oneHot(labels, 3)), 2); // dL/dlogits
      return { w: tf.sub(w, tf.mul(lr, tf.matMul(diff, cls, true, false))), b: tf.sub(b, tf.mul(lr, tf.sum(diff, 0))) };
    });
    trainStep(model, () => model.forward(inputs, { labels, training: true }).loss as tf.Scalar, new SGD(lr));
    expect(maxAbsDiff(w, expectedW.w)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(b, expectedW.b)).toBeLessThanOrEqual(1e-6);
    tf.dispose([expectedW.w, expectedW.b, labels]);
    disposeAll(before);
    disposeAll(inputs);
    model.dispose();
  });

  it('leaks no tensors across head training steps and forward passes; deleteHead frees its tensors', () => {
    const model = randomBert();
    model.addAdapter('x', 'lora');
    const inputs = randomInputs();
    const labels = tf.tensor2d([[0, 1, 2, 1, 0], [2, 1, 0, 1, 1]], [2, 5], 'int32');
    const sp = tf.tensor1d([1, 2], 'int32');
    const ep = tf.tensor1d([2, 3], 'int32');
    const start = tf.memory().numTensors;
    model.addTaggingHead('x', { numLabels: 3 });
    model.addQAHead('qa');
    model.trainAdapter('x');
    const opt = new SGD(0.01);
    const loss = (): tf.Scalar => model.forward(inputs, { labels, training: true }).loss as tf.Scalar;
    trainStep(model, loss, opt);
    const afterOne = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) trainStep(model, loss, opt);
    disposeAll(model.forward(inputs));
    disposeAll(model.forward(inputs, { head: 'qa', startPositions: sp, endPositions: ep }));
    const r = model.forwardHeads(inputs, { labels });
    disposeAll(r.base);
    tf.dispose([r.heads[0]!.logits!, r.heads[0]!.loss!]);
    expect(tf.memory().numTensors).toBe(afterOne);
    model.deleteHead('x');
    model.deleteHead('qa');
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([labels, sp, ep]);
    disposeAll(inputs);
    model.dispose();
  });
});
