import { type Activation, type Rng, linearOutIn, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** Python `get_subnet_constructor`: `Sequential(Linear(in, h), activation, Linear(h, out))`. */
export interface Subnet {
  /** `0.weight` `[h, in]`, `0.bias`, `2.weight` `[out, h]`, `2.bias` (relative to the subnet). */
  readonly params: ReadonlyMap<string, tf.Variable>;
  apply(x: tf.Tensor): tf.Tensor;
}

/** Creates a subnet with BERT init (N(0, 0.02) weights, zero biases) under `<key>.0.*` / `<key>.2.*`. */
export function createSubnet(key: string, dimsIn: number, hidden: number, dimsOut: number, act: Activation, rng: Rng): Subnet {
  const normal = (n: number) => rng.fill(n, () => rng.normal(0, 0.02));
  const w0 = namedVariable(tf.tensor2d(normal(hidden * dimsIn), [hidden, dimsIn]), `${key}.0.weight`);
  const b0 = namedVariable(tf.zeros([hidden]), `${key}.0.bias`);
  const w2 = namedVariable(tf.tensor2d(normal(dimsOut * hidden), [dimsOut, hidden]), `${key}.2.weight`);
  const b2 = namedVariable(tf.zeros([dimsOut]), `${key}.2.bias`);
  return {
    params: new Map([
      ['0.weight', w0],
      ['0.bias', b0],
      ['2.weight', w2],
      ['2.bias', b2],
    ]),
    apply: (x) => linearOutIn(act(linearOutIn(x, w0, b0)), w2, b2),
  };
}

/** A subnet over existing variables (`<key>.0.weight` … looked up in `params`). */
export function subnetFromParams(params: ReadonlyMap<string, tf.Variable>, key: string, act: Activation): Subnet {
  const get = (k: string): tf.Variable => {
    const v = params.get(`${key}.${k}`);
    if (!v) throw new Error(`invertible adapter: missing parameter ${key}.${k}`);
    return v;
  };
  const [w0, b0, w2, b2] = [get('0.weight'), get('0.bias'), get('2.weight'), get('2.bias')];
  return {
    params: new Map([
      ['0.weight', w0],
      ['0.bias', b0],
      ['2.weight', w2],
      ['2.bias', b2],
    ]),
    apply: (x) => linearOutIn(act(linearOutIn(x, w0, b0)), w2, b2),
  };
}
