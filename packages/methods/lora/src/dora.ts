import { AdapterConfigError, type LinearModule, type LinearSite, type MethodInitContext, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** `x` (`[out, in]`, PyTorch layout) in the layout of `site`'s stored weight. */
const toLayout = (x: tf.Tensor, s: LinearSite): tf.Tensor => (s.weightLayout === 'in_out' ? tf.transpose(x) : x);

/** Norms of the output rows (PyTorch `‖W‖` over `dim=1` of `[out, in]`) of a weight stored in `site`'s layout: `[out]`. */
function rowNorms(w: tf.Tensor, s: LinearSite): tf.Tensor {
  return tf.norm(w, 'euclidean', s.weightLayout === 'in_out' ? 0 : 1);
}

/**
 * Adds DoRA (Liu et al. 2024; Python `use_dora`) to a LoRA or VeRA module. `deltaW` is the module's unscaled
 * update `ΔW` (`[out, in]`, Python `delta_w`: `B·A`, or `vera_B·B·vera_D·A`).
 *
 * - Magnitude `m` (`m.weight`, `[out, 1]`, Python `nn.Linear(1, out)`), initialised to the row norms of the base
 *   weight `W0` at creation.
 * - Output (Python `compute_dora_deltaw`, applied with the last adapter of the setup):
 *   `y = m / ‖W0 + ΔW‖_row ⊙ (W0·x + b + h)`, where `h` is the composed, already scaled adapter output. As in
 *   Python the norm uses the *unscaled* `ΔW`, and the bias is rescaled too.
 * - Merge (Python `dora_merge`): `W ← m / ‖W0 + ΔW‖_row ⊙ (W0 + ΔW)`, again with the unscaled `ΔW` — so merged
 *   and unmerged outputs agree only when `alpha = r` (the DoRA/DvoRA defaults) and the bias is zero. There is no
 *   exact unmerge (Python's `reset_adapter` computes one but never assigns it); the model restores the saved
 *   original weight on reset.
 */
export function withDora(inner: LinearModule, site: LinearSite, ctx: MethodInitContext, deltaW: () => tf.Tensor): LinearModule {
  if (site.fusedSizes) throw new AdapterConfigError(`DoRA is not supported on the fused projection ${site.path}.`, 'use_dora');
  const w0 = ctx.weights?.get(site.weightKey);
  if (!w0) throw new AdapterConfigError(`DoRA needs the base weight "${site.weightKey}" to initialise its magnitude.`, 'use_dora');
  const key = `${site.path}.loras.${ctx.adapterName}`;
  const m = namedVariable(
    tf.tidy(() => tf.reshape(rowNorms(w0, site), [site.outFeatures, 1])),
    `${key}.m.weight`,
  );
  const params = new Map(inner.params);
  params.set('m.weight', m);
  const gated = params.has('gate.weight');
  const { merge: _merge, unmerge: _unmerge, ...rest } = inner;
  return {
    ...rest,
    params,
    combine(output: tf.Tensor, hidden: tf.Tensor, _s: LinearSite, weight: tf.Tensor) {
      // `weight` is the [in, out] matrix the layer used; ‖W0 + ΔW‖ over `in` for each output unit.
      const norm = tf.norm(tf.add(weight, tf.transpose(deltaW())), 'euclidean', 0);
      return tf.mul(tf.add(output, hidden), tf.div(tf.reshape(m, [site.outFeatures]), norm));
    },
    merge(weight: tf.Tensor, s: LinearSite) {
      if (gated) throw new AdapterConfigError('Cannot merge LoRA layer with gating.', 'use_gating');
      const v = tf.add(weight, toLayout(deltaW(), s));
      const scale = tf.div(tf.reshape(m, [site.outFeatures]), rowNorms(v, s));
      return tf.mul(v, s.weightLayout === 'in_out' ? scale : tf.reshape(scale, [-1, 1]));
    },
  };
}
