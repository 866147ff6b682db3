import type { Activation, Rng } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type InvertibleOptions, type InvertibleType, subnetHidden } from './options';
import { type Subnet, createSubnet, subnetFromParams } from './subnet';

/** An invertible map on the last axis: `inverse(forward(x)) = x`. */
export interface Coupling {
  forward(x: tf.Tensor): tf.Tensor;
  inverse(y: tf.Tensor): tf.Tensor;
}

/** One subnet of a coupling block: its name and sizes. */
export interface SubnetShape {
  readonly name: string;
  readonly dimsIn: number;
  readonly hidden: number;
  readonly dimsOut: number;
}

/**
 * The subnets of a coupling block over `size` channels (`split_len1 = size // 2`, `split_len2 =
 * size − split_len1`): NICE `F` (len2 → len1), `G` (len1 → len2); GLOW `s1` (len1 → 2·len2),
 * `s2` (len2 → 2·len1). Hidden size `int(dims_in // rf)`.
 */
export function subnetShapes(type: InvertibleType, size: number, rf: number): SubnetShape[] {
  const l1 = Math.floor(size / 2);
  const l2 = size - l1;
  const s = (name: string, dimsIn: number, dimsOut: number): SubnetShape => ({ name, dimsIn, hidden: subnetHidden(dimsIn, rf), dimsOut });
  return type === 'nice' ? [s('F', l2, l1), s('G', l1, l2)] : [s('s1', l1, 2 * l2), s('s2', l2, 2 * l1)];
}

/**
 * Creates the parameters of a coupling block under `<prefix>.<subnet>.{0,2}.{weight,bias}` in
 * Python's order, BERT-initialised (`apply(Adapter.init_bert_weights)`).
 */
export function createCouplingParams(prefix: string, size: number, o: InvertibleOptions, rng: Rng): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  try {
    for (const s of subnetShapes(o.type, size, o.reductionFactor)) {
      const net = createSubnet(`${prefix}.${s.name}`, s.dimsIn, s.hidden, s.dimsOut, o.activation, rng.fork(s.name));
      for (const [k, v] of net.params) out.set(`${prefix}.${s.name}.${k}`, v);
    }
  } catch (e) {
    for (const v of out.values()) v.dispose();
    throw e;
  }
  return out;
}

const CLAMP = 5.0;

/** GLOW's soft clamp `e(s) = exp(clamp · 0.636 · atan(s / clamp))`. */
function glowE(s: tf.Tensor): tf.Tensor {
  return tf.exp(tf.mul(CLAMP * 0.636, tf.atan(tf.div(s, CLAMP))));
}

/** Python `NICECouplingBlock`: `y1 = x1 + F(x2)`, `y2 = x2 + G(y1)`; inverse subtracts in reverse order. */
export function niceCoupling(F: Subnet, G: Subnet, size: number): Coupling {
  const l1 = Math.floor(size / 2);
  const split = (x: tf.Tensor) => tf.split(x, [l1, size - l1], -1) as [tf.Tensor, tf.Tensor];
  return {
    forward(x) {
      const [x1, x2] = split(x);
      const y1 = tf.add(x1, F.apply(x2));
      const y2 = tf.add(x2, G.apply(y1));
      return tf.concat([y1, y2], -1);
    },
    inverse(y) {
      const [y1, y2] = split(y);
      const x2 = tf.sub(y2, G.apply(y1));
      const x1 = tf.sub(y1, F.apply(x2));
      return tf.concat([x1, x2], -1);
    },
  };
}

/**
 * GLOW affine coupling (FrEIA `GLOWCouplingBlock`, which Python's class was copied from) on the
 * last axis: `[sA, tA] = s2(x2)`, `y1 = e(sA)·x1 + tA`, `[sB, tB] = s1(y1)`, `y2 = e(sB)·x2 + tB`.
 * Python's own forward cannot run (see the README): this is the block it was meant to be, with
 * Python's parameter names, so GLOW adapters saved by Python load and run here.
 */
export function glowCoupling(s1: Subnet, s2: Subnet, size: number): Coupling {
  const l1 = Math.floor(size / 2);
  const l2 = size - l1;
  const split = (x: tf.Tensor, a: number, b: number) => tf.split(x, [a, b], -1) as [tf.Tensor, tf.Tensor];
  return {
    forward(x) {
      const [x1, x2] = split(x, l1, l2);
      const [sA, tA] = split(s2.apply(x2), l1, l1);
      const y1 = tf.add(tf.mul(glowE(sA), x1), tA);
      const [sB, tB] = split(s1.apply(y1), l2, l2);
      const y2 = tf.add(tf.mul(glowE(sB), x2), tB);
      return tf.concat([y1, y2], -1);
    },
    inverse(y) {
      const [y1, y2] = split(y, l1, l2);
      const [sB, tB] = split(s1.apply(y1), l2, l2);
      const x2 = tf.div(tf.sub(y2, tB), glowE(sB));
      const [sA, tA] = split(s2.apply(x2), l1, l1);
      const x1 = tf.div(tf.sub(y1, tA), glowE(sA));
      return tf.concat([x1, x2], -1);
    },
  };
}

/** The coupling block over existing parameters (`<prefix>.F.0.weight` …). */
export function couplingFromParams(params: ReadonlyMap<string, tf.Variable>, prefix: string, type: InvertibleType, size: number, act: Activation): Coupling {
  if (type === 'nice') return niceCoupling(subnetFromParams(params, `${prefix}.F`, act), subnetFromParams(params, `${prefix}.G`, act), size);
  return glowCoupling(subnetFromParams(params, `${prefix}.s1`, act), subnetFromParams(params, `${prefix}.s2`, act), size);
}
