import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW, SGD, clipGradNorm } from './optimizers';

const vec = (x: number[]): tf.Variable => tf.variable(tf.tensor1d(x));

describe('optimizers against closed-form updates', () => {
  it('SGD: p − lr·g', () => {
    const p = vec([1, -2]);
    new SGD(0.1).apply(new Map([['p', p]]), new Map([['p', tf.tensor1d([0.5, 4])]]));
    expect(Array.from(p.dataSync())).toEqual([1 - 0.05, -2 - 0.4].map(Math.fround));
  });

  it('AdamW: two steps equal PyTorch AdamW formulas (decoupled weight decay, bias correction)', () => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1];
    const p = vec([1, -2, 0.5]);
    const opt = new AdamW({ lr, beta1: b1, beta2: b2, eps, weightDecay: wd });
    const grads = [[0.3, -1, 2], [-0.1, 0.5, 1]];
    // closed form in float64
    let ref = [1, -2, 0.5];
    let m = [0, 0, 0];
    let v = [0, 0, 0];
    grads.forEach((g, t) => {
      opt.apply(new Map([['p', p]]), new Map([['p', tf.tensor1d(g)]]));
      const step = t + 1;
      ref = ref.map((x, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        const mh = m[i]! / (1 - b1 ** step);
        const vh = v[i]! / (1 - b2 ** step);
        return x * (1 - lr * wd) - (lr * mh) / (Math.sqrt(vh) + eps);
      });
      m = [...m];
      v = [...v];
    });
    const got = Array.from(p.dataSync());
    got.forEach((x, i) => expect(x).toBeCloseTo(ref[i]!, 6));
    expect(opt.steps).toBe(2);
    opt.dispose();
  });

  it('AdamW state round-trips (checkpoint resume gives the same next update)', () => {
    const a = vec([1, 2]);
    const b = vec([1, 2]);
    const oa = new AdamW({ lr: 0.1 });
    const g = (): Map<string, tf.Tensor> => new Map([['p', tf.tensor1d([0.2, -0.3])]]);
    oa.apply(new Map([['p', a]]), g());
    b.assign(a);
    const ob = new AdamW({ lr: 0.1 });
    ob.loadState(oa.state());
    oa.apply(new Map([['p', a]]), g());
    ob.apply(new Map([['p', b]]), g());
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });

  it('clipGradNorm scales to maxNorm/(norm+1e-6) only when the norm exceeds it', () => {
    const grads = new Map([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor1d([0, 4])],
    ]);
    const { grads: c, norm } = clipGradNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(c.get('a')!.dataSync()[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    const { grads: same } = clipGradNorm(grads, 10);
    expect(Array.from(same.get('b')!.dataSync())).toEqual([0, 4]);
  });
});
