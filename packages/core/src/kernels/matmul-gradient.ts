/**
 * `BatchMatMul` gradient with batch broadcasting.
 *
 * tfjs-core 4.22's gradient (`BatchMatMul_grad`) returns gradients of the broadcast output's batch
 * shape, so `tf.matMul(x[B,T,D], w[D,F])` fails in backprop with "The gradient of input 'b' has
 * shape 'B,D,F', which does not match the shape of the input 'D,F'". This version reduces over
 * broadcast batch axes, and when the right operand has batch 1 computes its gradient as a single
 * folded 2-D product (`x` reshaped to `[B·T, D]`) instead of B products followed by a sum.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** Sums `grad` over the batch axes that `shape` broadcast, then reshapes it to `shape`. @internal */
export function reduceToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (tf.util.arraysEqual(grad.shape, shape as number[])) return grad;
  const gShape = grad.shape;
  const lead = gShape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length - 2; i++) {
    const inDim = i < lead ? 1 : (shape[i - lead] as number);
    if (inDim === 1 && (gShape[i] as number) !== 1) axes.push(i);
    else if (i < lead) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(summed, shape as number[]);
}

function batchSize(shape: readonly number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2) as number[]);
}

/** Swaps the last two axes. */
function swapLast2(x: Tensor): Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/** The broadcasting `BatchMatMul` gradient (see module doc). @internal */
export const batchMatMulGradConfig: GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const [a, b] = saved as [Tensor, Tensor];
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;

    const gradA = (): Tensor => {
      let da: Tensor;
      if (!transposeA && !transposeB) da = tf.matMul(g, b, false, true);
      else if (!transposeA && transposeB) da = tf.matMul(g, b, false, false);
      else if (transposeA && !transposeB) da = tf.matMul(b, g, false, true);
      else da = tf.matMul(b, g, true, true);
      return reduceToShape(da, a.shape);
    };

    const gradB = (): Tensor => {
      if (batchSize(b.shape) === 1 && batchSize(a.shape) > 1) {
        // Fold the batch: dB = Σ_i A_iᵀ·dY_i = A2ᵀ·dY2 with A2 = [B·M, K], dY2 = [B·M, N].
        const k = transposeA ? (a.shape[a.rank - 2] as number) : (a.shape[a.rank - 1] as number);
        const n = g.shape[g.rank - 1] as number;
        const a2 = tf.reshape(transposeA ? swapLast2(a) : a, [-1, k]);
        const g2 = tf.reshape(g, [-1, n]);
        const db = transposeB ? tf.matMul(g2, a2, true, false) : tf.matMul(a2, g2, true, false);
        return tf.reshape(db, b.shape);
      }
      let db: Tensor;
      if (!transposeA && !transposeB) db = tf.matMul(a, g, true, false);
      else if (!transposeA && transposeB) db = tf.matMul(g, a, true, false);
      else if (transposeA && !transposeB) db = tf.matMul(a, g, false, false);
      else db = tf.matMul(g, a, true, true);
      return reduceToShape(db, b.shape);
    };

    return { a: gradA, b: gradB };
  },
};
