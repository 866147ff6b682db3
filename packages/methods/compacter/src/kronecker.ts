import * as tf from '@tensorflow/tfjs-core';

/**
 * Python `kronecker_product(rule, W).sum(0)`: `H = Σ_i rule_i ⊗ W_i` for `rule [n, p, q]` and
 * `W [n, a, b]`, giving `[p·a, q·b]` with `H[i·a + k, j·b + l] = Σ_s rule[s, i, j] · W[s, k, l]`.
 */
export function phmWeight(rule: tf.Tensor, W: tf.Tensor): tf.Tensor2D {
  const [n, p, q] = rule.shape as [number, number, number];
  const [m, a, b] = W.shape as [number, number, number];
  if (n !== m) throw new RangeError(`phmWeight: rule has ${n} summands, W has ${m}`);
  return tf.tidy(() => {
    const r = tf.reshape(rule, [n, p, 1, q, 1]);
    const w = tf.reshape(W, [n, 1, a, 1, b]);
    return tf.reshape(tf.sum(tf.mul(r, w), 0), [p * a, q * b]) as tf.Tensor2D;
  });
}

/** `torch.bmm(left, right)` for `[n, a, r] × [n, r, b]`. */
export function bmm(left: tf.Tensor, right: tf.Tensor): tf.Tensor3D {
  return tf.matMul(left as tf.Tensor3D, right as tf.Tensor3D);
}

/** `x · H (+ b)` over the last axis of `x` (Python `torch.matmul(x, H)`; H is `[in, out]`). */
export function phmApply(x: tf.Tensor, H: tf.Tensor2D, b: tf.Tensor | null): tf.Tensor {
  const shape = x.shape;
  const x2 = shape.length === 2 ? x : tf.reshape(x, [-1, shape[shape.length - 1]!]);
  let y: tf.Tensor = tf.matMul(x2 as tf.Tensor2D, H);
  if (b) y = tf.add(y, b);
  return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), H.shape[1]]);
}
