import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyRotary, ropeCosSin, ropeInverseFrequencies, rotateHalf } from '../src';

const dim = 8;

/** Rotates one vector `[dim]` to position `pos`. */
function rotate(x: number[], pos: number, inv: Float32Array): number[] {
  return tf.tidy(() => {
    const { cos, sin } = ropeCosSin(tf.tensor2d([[pos]], [1, 1], 'int32'), inv);
    return Array.from(applyRotary(tf.tensor4d(x, [1, 1, 1, dim]), cos, sin).dataSync());
  });
}

const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const q = [0.3, -1.2, 0.7, 0.05, 2.1, -0.4, 0.9, -0.8];
const k = [-0.6, 0.2, 1.5, -1.1, 0.3, 0.8, -0.2, 0.4];

describe('RoPE closed-form identities', () => {
  it('inverse frequencies are theta^(-2i/dim)', () => {
    const inv = ropeInverseFrequencies(dim, 10000);
    for (let i = 0; i < dim / 2; i++) expect(inv[i]).toBeCloseTo(10000 ** ((-2 * i) / dim), 7);
  });

  it('⟨R(m)q, R(n)k⟩ depends only on m − n', () => {
    const inv = ropeInverseFrequencies(dim, 10000);
    for (const [m, n] of [
      [5, 2],
      [9, 4],
      [0, 3],
    ] as const) {
      for (const s of [1, 7, 20]) {
        expect(dot(rotate(q, m + s, inv), rotate(k, n + s, inv))).toBeCloseTo(dot(rotate(q, m, inv), rotate(k, n, inv)), 4);
      }
    }
    // and it really depends on the difference
    expect(Math.abs(dot(rotate(q, 3, inv), rotate(k, 0, inv)) - dot(q, k))).toBeGreaterThan(1e-2);
  });

  it('position 0 is the identity, rotation preserves the norm, R(m)·R(n) = R(m + n)', () => {
    const inv = ropeInverseFrequencies(dim, 10000);
    rotate(q, 0, inv).forEach((v, i) => expect(v).toBeCloseTo(q[i]!, 6));
    expect(dot(rotate(q, 11, inv), rotate(q, 11, inv))).toBeCloseTo(dot(q, q), 4);
    const twice = rotate(rotate(q, 4, inv), 6, inv);
    rotate(q, 10, inv).forEach((v, i) => expect(v).toBeCloseTo(twice[i]!, 4));
  });

  it('pairs (i, i + dim/2) rotate by the angle pos·inv_freq[i]', () => {
    const inv = ropeInverseFrequencies(dim, 10000);
    const pos = 3;
    const r = rotate(q, pos, inv);
    for (let i = 0; i < dim / 2; i++) {
      const a = pos * inv[i]!;
      const [x1, x2] = [q[i]!, q[i + dim / 2]!];
      expect(r[i]).toBeCloseTo(x1 * Math.cos(a) - x2 * Math.sin(a), 5);
      expect(r[i + dim / 2]).toBeCloseTo(x2 * Math.cos(a) + x1 * Math.sin(a), 5);
    }
  });

  it('rotate_half is cat(−x₂, x₁)', () => {
    const r = tf.tidy(() => Array.from(rotateHalf(tf.tensor1d([1, 2, 3, 4])).dataSync()));
    expect(r).toEqual([-3, -4, 1, 2]);
  });

  it('linear scaling equals positions divided by the factor', () => {
    const plain = ropeInverseFrequencies(dim, 10000);
    const lin = ropeInverseFrequencies(dim, 10000, { type: 'linear', factor: 4 });
    rotate(q, 12, lin).forEach((v, i) => expect(v).toBeCloseTo(rotate(q, 3, plain)[i]!, 5));
  });

  it('llama3 scaling: high frequencies kept, low ones divided by factor, a smooth ramp between', () => {
    const d = 64;
    const plain = ropeInverseFrequencies(d, 500000);
    const s = { type: 'llama3' as const, factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 };
    const l3 = ropeInverseFrequencies(d, 500000, s);
    let kept = 0;
    let divided = 0;
    let ramp = 0;
    for (let i = 0; i < d / 2; i++) {
      const wavelen = (2 * Math.PI) / plain[i]!;
      if (wavelen < 8192 / 4) {
        expect(l3[i]).toBe(plain[i]);
        kept++;
      } else if (wavelen > 8192 / 1) {
        expect(l3[i]).toBeCloseTo(plain[i]! / 8, 10);
        divided++;
      } else {
        const sm = (8192 / wavelen - 1) / (4 - 1);
        expect(l3[i]! / plain[i]!).toBeCloseTo((1 - sm) / 8 + sm, 5);
        ramp++;
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(divided).toBeGreaterThan(0);
    expect(ramp).toBeGreaterThan(0);
  });
});
