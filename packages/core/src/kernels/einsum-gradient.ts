/**
 * Gradient of `Einsum`, which tfjs 4.22 does not have (`tf.grad` of `tf.einsum` throws "gradient
 * function not found"). For `out = einsum("s0,s1->o", x0, x1)`:
 *
 *   d x_i = einsum("o,s_j->s_i'", dy, x_j)    (j ≠ i; for one operand: einsum("o->s_i'", dy))
 *
 * where `s_i'` keeps the indices of `s_i` that occur in `o` or in the other operand. An index that
 * occurs only in `s_i` was summed within `x_i` alone, so its gradient is the same for every position
 * along it: the result is broadcast back over those axes. tfjs' einsum (at most two operands, an
 * explicit `->`, no repeated index in one operand) supports every equation this produces.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Einsum, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

/** Input and output index strings of an einsum equation (`"bij,bjk->bik"` → `[["bij","bjk"],"bik"]`). */
export function parseEinsumEquation(equation: string): { inputs: string[]; output: string } {
  const compact = equation.replace(/\s/g, '');
  const arrow = compact.indexOf('->');
  if (arrow < 0) throw new Error(`Einsum gradient: equation "${equation}" has no "->"`);
  return { inputs: compact.slice(0, arrow).split(','), output: compact.slice(arrow + 2) };
}

/** `d x_i` for `x_i = xs[i]` of `einsum(equation, ...xs)` given the upstream gradient `dy`. */
export function einsumInputGradient(equation: string, xs: readonly Tensor[], dy: Tensor, i: number): Tensor {
  const { inputs, output } = parseEinsumEquation(equation);
  const own = inputs[i]!;
  const others = inputs.filter((_, j) => j !== i);
  const otherTensors = xs.filter((_, j) => j !== i);
  const visible = new Set([...output, ...others.join('')]);
  const kept = [...own].filter((c) => visible.has(c)).join('');
  // One operand: the gradient is dy with its axes in the operand's order (no einsum needed).
  const g =
    others.length === 0
      ? kept.length === 0
        ? dy
        : tf.transpose(dy, [...kept].map((c) => output.indexOf(c)))
      : tf.einsum(`${[output, ...others].join(',')}->${kept}`, dy, ...otherTensors);
  if (kept.length === own.length) return g;
  // Indices summed within x_i alone: insert size-1 axes, then broadcast to x_i's shape.
  const shape = [...own].map((c, axis) => (kept.includes(c) ? xs[i]!.shape[axis]! : 1));
  return tf.broadcastTo(tf.reshape(g, shape), xs[i]!.shape);
}

/** The `Einsum` gradient config (registered by `registerKernelPatches`). */
export const einsumGradConfig: GradConfig = {
  kernelName: Einsum,
  saveAllInputs: true,
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const equation = attrs.equation as string;
    const upstream = dy as Tensor;
    const grads: Record<string, () => Tensor> = {};
    saved.forEach((_, i) => {
      grads[i] = () => einsumInputGradient(equation, saved, upstream, i);
    });
    return grads;
  },
};
