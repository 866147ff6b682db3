import * as tf from '@tensorflow/tfjs-core';
import { AdapterConfigError } from './errors';

/**
 * Small neural-network building blocks shared by model and method packages, written with raw
 * tfjs ops so that every backend and autodiff work (no tfjs-layers).
 */

/** LayerNorm over the last axis: `(x − mean) / sqrt(var + eps) · weight + bias` (biased variance, as PyTorch). */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor | undefined, bias: tf.Tensor | undefined, eps: number): tf.Tensor {
  const axis = x.shape.length - 1;
  const { mean, variance } = tf.moments(x, axis, true);
  let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  if (weight) y = tf.mul(y, weight);
  if (bias) y = tf.add(y, bias);
  return y;
}

/** RMSNorm (Llama): `x / sqrt(mean(x²) + eps) · weight`. */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor | undefined, eps: number): tf.Tensor {
  const ms = tf.mean(tf.square(x), -1, true);
  const y = tf.mul(x, tf.rsqrt(tf.add(ms, eps)));
  return weight ? tf.mul(y, weight) : y;
}

/** `x·W + b` with `W` as `[in, out]`, for any leading shape. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const x2 = shape.length === 2 ? x : tf.reshape(x, [-1, shape[shape.length - 1]!]);
  let y = tf.matMul(x2, kernel);
  if (bias) y = tf.add(y, bias);
  return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), kernel.shape[1]!]);
}

/** PyTorch `F.linear`: `x·Wᵀ + b` with `W` as `[out, in]`. */
export function linearOutIn(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const x2 = shape.length === 2 ? x : tf.reshape(x, [-1, shape[shape.length - 1]!]);
  let y = tf.matMul(x2, weight, false, true);
  if (bias) y = tf.add(y, bias);
  return shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), weight.shape[0]!]);
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Exact GELU: `0.5·x·(1 + erf(x/√2))` (HF `gelu`). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT1_2))));
}

/** Tanh-approximated GELU (HF `gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** SiLU / swish: `x·sigmoid(x)`. */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** Activation function by Hugging Face / adapters name. */
export type Activation = (x: tf.Tensor) => tf.Tensor;

const ACTIVATIONS: Record<string, Activation> = {
  gelu,
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  gelu_fast: geluTanh,
  gelu_python: gelu,
  gelu_orig: gelu,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  leakyrelu: (x) => tf.leakyRelu(x, 0.01),
  silu,
  swish: silu,
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  linear: (x) => x,
  identity: (x) => x,
  quick_gelu: (x) => tf.mul(x, tf.sigmoid(tf.mul(1.702, x))),
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
};

/** Names accepted by {@link getActivation}. */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(ACTIVATIONS);

/**
 * HF `get_activation` (lower-cased, plus adapters' `leakyrelu`); `null`/`undefined` → identity.
 * Unknown names throw {@link AdapterConfigError} naming the field.
 */
export function getActivation(name: string | null | undefined, field = 'non_linearity'): Activation {
  if (name === null || name === undefined) return (x) => x;
  const f = ACTIVATIONS[name.toLowerCase()];
  if (!f) throw new AdapterConfigError(`unknown activation "${name}"; accepted: ${ACTIVATION_NAMES.join(', ')}`, field);
  return f;
}

/** The most negative float32, used for additive attention masks (as `torch.finfo(float32).min`). */
export const FLOAT32_MIN = -3.4028234663852886e38;

/** `[B, T]` 1/0 mask → additive `[B, 1, 1, T]` mask (0 where attended, FLOAT32_MIN where masked). */
export function extendedAttentionMask(mask: tf.Tensor): tf.Tensor {
  const m = tf.cast(mask, 'float32');
  return tf.mul(tf.sub(1, tf.reshape(m, [m.shape[0]!, 1, 1, m.shape[1]!])), FLOAT32_MIN);
}

/** `[B, T, H]` → `[B, heads, T, H/heads]`. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [b, t, h] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, t, heads, h / heads]), [0, 2, 1, 3]);
}

/** `[B, heads, T, d]` → `[B, T, heads·d]`. */
export function mergeHeads(x: tf.Tensor): tf.Tensor {
  const [b, n, t, d] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, n * d]);
}

/** Scaled dot-product attention with an additive mask; returns `[B, heads, Tq, d]`. */
export function attention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask: tf.Tensor | null,
  scale: number,
  dropout?: (x: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  let scores = tf.mul(tf.matMul(q, k, false, true), scale);
  if (mask) scores = tf.add(scores, mask);
  let probs = tf.softmax(scores, -1);
  if (dropout) probs = dropout(probs);
  return tf.matMul(probs, v);
}

/**
 * Sum of many tensors, in chunks of at most 4 inputs per `addN` (WebGPU caps the number of storage
 * buffers per shader stage, and one `addN` over many gradients fails there).
 */
export function addMany(ts: readonly tf.Tensor[]): tf.Tensor {
  if (ts.length === 0) throw new Error('addMany needs at least one tensor');
  let level = [...ts];
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 4) {
      const chunk = level.slice(i, i + 4);
      next.push(chunk.length === 1 ? chunk[0]! : tf.addN(chunk));
    }
    level = next;
  }
  return level[0]!;
}
