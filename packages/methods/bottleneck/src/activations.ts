import { type Activation, AdapterConfigError, gelu, geluTanh, getActivation } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

const LAPLACE_MU = 0.707107;
const LAPLACE_SIGMA = 0.282095;

/**
 * Activations of Hugging Face `ACT2CLS` (transformers 4.47, the version the fixtures were made
 * with) plus the adapters library's own `leakyrelu`. These are exactly the names Python's
 * `Activation_Function_Class` accepts (after `.lower()`).
 */
const BOTTLENECK_ACTIVATIONS: Readonly<Record<string, Activation>> = {
  gelu,
  gelu_10: (x) => tf.clipByValue(gelu(x), -10, 10),
  gelu_fast: geluTanh,
  gelu_new: geluTanh,
  gelu_python: gelu,
  gelu_pytorch_tanh: geluTanh,
  gelu_accurate: geluTanh,
  laplace: (x) => tf.mul(0.5, tf.add(1, tf.erf(tf.div(tf.sub(x, LAPLACE_MU), LAPLACE_SIGMA * Math.SQRT2)))),
  leaky_relu: (x) => tf.leakyRelu(x, 0.01),
  leakyrelu: (x) => tf.leakyRelu(x, 0.01),
  linear: (x) => x,
  mish: getActivation('mish'),
  quick_gelu: getActivation('quick_gelu'),
  relu: (x) => tf.relu(x),
  relu2: (x) => tf.square(tf.relu(x)),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  silu: getActivation('silu'),
  swish: getActivation('swish'),
  tanh: (x) => tf.tanh(x),
};

/** Every `non_linearity` name a bottleneck config accepts (case-insensitive, as Python). */
export const BOTTLENECK_ACTIVATION_NAMES: readonly string[] = Object.keys(BOTTLENECK_ACTIVATIONS);

/**
 * Python `Activation_Function_Class(non_linearity.lower())`. Unknown names (and `null`, on which
 * Python's `.lower()` fails) throw {@link AdapterConfigError} naming `non_linearity`.
 */
export function bottleneckActivation(name: unknown, field = 'non_linearity'): Activation {
  if (typeof name !== 'string') {
    throw new AdapterConfigError(`${field} must be a string naming an activation, got ${String(name)}`, field);
  }
  const f = BOTTLENECK_ACTIVATIONS[name.toLowerCase()];
  if (!f) {
    throw new AdapterConfigError(`unknown activation "${name}"; accepted: ${BOTTLENECK_ACTIVATION_NAMES.join(', ')}`, field);
  }
  return f;
}
