import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../backend/index';
import { activeKernelPatches } from './index';

/** Equations with one or two operands, contractions, batch axes, transposes and axes summed within one operand. */
const CASES: [string, number[][]][] = [
  ['ij,jk->ik', [[3, 4], [4, 5]]],
  ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
  ['bhqd,bhkd->bhqk', [[2, 3, 4, 5], [2, 3, 6, 5]]],
  ['ij,kj->ik', [[3, 4], [5, 4]]],
  ['ij,j->i', [[3, 4], [4]]],
  ['i,j->ij', [[3], [4]]],
  ['ij,jk->i', [[3, 4], [4, 5]]], // k summed within the second operand only
  ['ijk,k->i', [[2, 3, 4], [4]]], // j summed within the first operand only
  ['ij->ji', [[3, 4]]],
  ['ijk->ki', [[2, 3, 4]]], // j summed within the only operand
  ['ij->', [[3, 4]]], // everything summed
  ['ij,k->k', [[3, 4], [5]]], // the first operand reduces to a scalar
  ['ij,k->', [[3, 4], [5]]], // both do
];

const seeded = (shapes: number[][], seed: number): tf.Tensor[] => shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', seed + i));
/** A fixed non-uniform weighting of the output, so the loss depends on every output element differently. */
const loss = (eq: string, xs: tf.Tensor[]): tf.Scalar => {
  const y = tf.einsum(eq, ...xs);
  return tf.sum(tf.mul(y, tf.reshape(tf.sin(tf.add(tf.range(0, y.size, 1, 'float32'), 0.5)), y.shape))) as tf.Scalar;
};

describe('Einsum gradient (registered by registerKernelPatches) vs central finite differences, cpu', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await setupBackend({ backend: 'cpu' });
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('is active', () => {
    expect(activeKernelPatches()).toContain('Einsum/gradient');
  });

  for (const [eq, shapes] of CASES) {
    it(`${eq}: every input's gradient matches finite differences (float64 on the JS side) ≤ 2e-3`, () => {
      const xs = seeded(shapes, 11);
      const grads = tf.grads((...ins: tf.Tensor[]) => loss(eq, ins))(xs);
      for (let i = 0; i < xs.length; i++) {
        expect(grads[i]!.shape, `${eq} input ${i}`).toEqual(xs[i]!.shape);
        const x = xs[i]!.dataSync();
        const g = grads[i]!.dataSync();
        const h = 1e-2;
        for (let e = 0; e < x.length; e++) {
          const shifted = (d: number): number => {
            const v = Float32Array.from(x);
            v[e] = v[e]! + d;
            const ins = xs.map((t, j) => (j === i ? tf.tensor(v, t.shape) : t));
            return loss(eq, ins).dataSync()[0]!;
          };
          const numeric = (shifted(h) - shifted(-h)) / (2 * h);
          expect(Math.abs(g[e]! - numeric), `${eq} input ${i} element ${e}: ${g[e]} vs ${numeric}`).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(numeric)));
        }
      }
    });
  }
});

describe('Einsum on wasm (kernel registered by registerKernelPatches) vs cpu: forward and gradients', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await setupBackend({ backend: 'wasm', threads: 1 });
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('is active', () => {
    expect(activeKernelPatches()).toContain('Einsum/wasm');
  });

  for (const [eq, shapes] of CASES) {
    it(`${eq}: output and gradients within 1e-5 of cpu`, async () => {
      const run = async (backend: string): Promise<{ y: number[]; g: number[][] }> => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const xs = seeded(shapes, 23).map((t) => tf.tensor(t.dataSync(), t.shape));
          const y = Array.from(tf.einsum(eq, ...xs).dataSync());
          const g = tf.grads((...ins: tf.Tensor[]) => loss(eq, ins))(xs).map((t) => Array.from(t.dataSync()));
          return { y, g };
        });
      };
      const cpu = await run('cpu');
      const before = tf.memory().numTensors;
      const wasm = await run('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(wasm.y.length).toBe(cpu.y.length);
      wasm.y.forEach((v, k) => expect(Math.abs(v - cpu.y[k]!), `${eq} output ${k}`).toBeLessThanOrEqual(1e-5));
      wasm.g.forEach((g, i) => g.forEach((v, k) => expect(Math.abs(v - cpu.g[i]![k]!), `${eq} grad ${i}[${k}]`).toBeLessThanOrEqual(1e-5)));
    });
  }
});
