import * as tf from '@tensorflow/tfjs-core';
import type { SetupNode } from '../composition/blocks';
import type { LinearModule } from '../define-method';
import type { ForwardContext } from '../forward-context';
import type { LinearSite } from '../hook-points';
import { type ComposableOps, CompositionEngine, batchOps } from './compose';

/** Python `LoRAState`. */
interface LinearState {
  input: tf.Tensor;
  hidden: tf.Tensor | null;
  output: tf.Tensor;
  last: string | null;
}

/** `x·W + b` with W given as `[in, out]` (the layout models pass to `hooks.linear`). */
export function baseLinear(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  const shape = x.shape;
  const x2 = shape.length === 2 ? x : tf.reshape(x, [-1, shape[shape.length - 1]!]);
  let y = tf.matMul(x2, weight);
  if (bias) y = tf.add(y, bias);
  if (shape.length === 2) return y;
  return tf.reshape(y, [...shape.slice(0, -1), y.shape[1]!]);
}

/**
 * The linear-site layer (Python `LoRALinear.forward`): base projection, then the active LoRA-family
 * modules composed over the setup, combined by the last adapter's `com`.
 */
export function runLinearSite(
  site: LinearSite,
  modules: ReadonlyMap<string, LinearModule>,
  setup: SetupNode,
  ctx: ForwardContext,
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | undefined,
  supported: ComposableOps<LinearState>['supported'],
): tf.Tensor {
  const output = baseLinear(x, weight, bias);
  const ops: ComposableOps<LinearState> = {
    label: `linear site ${site.point}@${site.layer} (${site.path})`,
    supported,
    allowMultiParallelize: true,
    batchSize: (s) => s.input.shape[0]!,
    vslice: (s, a, b) => ({
      input: batchOps.slice(s.input, a, b),
      hidden: s.hidden ? batchOps.slice(s.hidden, a, b) : null,
      output: batchOps.slice(s.output, a, b),
      last: s.last,
    }),
    gatherRows: (s, idx) => ({
      input: batchOps.gather(s.input, idx),
      hidden: s.hidden ? batchOps.gather(s.hidden, idx) : null,
      output: batchOps.gather(s.output, idx),
      last: s.last,
    }),
    padAndConcat: (states) => ({
      input: tf.concat(states.map((s) => s.input), 0),
      hidden: states[0]!.hidden ? tf.concat(states.map((s) => s.hidden!), 0) : null,
      output: tf.concat(states.map((s) => s.output), 0),
      last: states[states.length - 1]!.last,
    }),
    repeat: (s, n) => ({
      input: batchOps.repeat(s.input, n),
      hidden: s.hidden ? batchOps.repeat(s.hidden, n) : null,
      output: batchOps.repeat(s.output, n),
      last: s.last,
    }),
    mean: (states, w) => ({
      input: states[0]!.input,
      hidden: states[0]!.hidden ? batchOps.weightedMean(states.map((s) => s.hidden!), w, ctx.fixes.average) : null,
      output: states[0]!.output,
      last: states[states.length - 1]!.last,
    }),
    preBlock: (_setup, s) => s,
    composeSingle: (name, s) => {
      const m = modules.get(name)!;
      if (ctx.fixes.loraStack && s.hidden !== null && s.last !== null) {
        // Opt-in fix: the adapter sees the layer input; deltas of additive adapters add up.
        const own = m.forward(null, s.input, ctx, site);
        return { ...s, hidden: tf.add(s.hidden, own), last: name };
      }
      return { ...s, hidden: m.forward(s.hidden, s.input, ctx, site), last: name };
    },
  };
  const engine = new CompositionEngine(ops, new Set(modules.keys()), ctx);
  const state = engine.compose(setup, { input: x, hidden: null, output, last: null });
  if (state.last === null || state.hidden === null) return state.output;
  return modules.get(state.last)!.combine(state.output, state.hidden, site, weight);
}
