import * as tf from '@tensorflow/tfjs-core';
import { type SetupNode, firstAdapter, fusionName, lastAdapter } from '../composition/blocks';
import type { FusionModule, LayerNormFn, ResidualModule } from '../define-method';
import { CompositionError } from '../errors';
import type { ForwardContext } from '../forward-context';
import type { ResidualSite } from '../hook-points';
import { type ComposableOps, CompositionEngine, batchOps } from './compose';

/** Python `BottleneckState`. */
interface ResidualState {
  hidden: tf.Tensor;
  input: tf.Tensor | null;
  residual: tf.Tensor;
  up: tf.Tensor | null;
  last: string | null;
}

const sl = (t: tf.Tensor | null, a: number, b: number): tf.Tensor | null => (t ? batchOps.slice(t, a, b) : null);
const seqSlice = (t: tf.Tensor, a: number, b: number): tf.Tensor =>
  tf.slice(t, [0, a, 0], [t.shape[0]!, b - a, t.shape[2]!]);

/**
 * The residual-site layer (Python `BottleneckLayer.bottleneck_layer_forward`): composes the active
 * bottleneck modules (Stack, Fuse, Split, BatchSplit, Parallel, Average) and finishes with the last
 * adapter's `post_forward`. With no adapter active: `LN(hidden + input)`.
 */
export function runResidualSite(
  site: ResidualSite,
  modules: ReadonlyMap<string, ResidualModule>,
  fusions: ReadonlyMap<string, FusionModule>,
  setup: SetupNode,
  ctx: ForwardContext,
  hidden: tf.Tensor,
  input: tf.Tensor | null,
  layerNorm: LayerNormFn | null,
  supported: ComposableOps<ResidualState>['supported'],
): tf.Tensor {
  if (input) {
    input = ctx.matchBatch(hidden, input);
    hidden = ctx.matchBatch(input, hidden);
  }
  const ops: ComposableOps<ResidualState> = {
    label: `residual site ${site.point}@${site.layer} (${site.path})`,
    supported,
    allowMultiParallelize: false,
    batchSize: (s) => s.hidden.shape[0]!,
    vslice: (s, a, b) => ({
      hidden: batchOps.slice(s.hidden, a, b),
      input: sl(s.input, a, b),
      residual: batchOps.slice(s.residual, a, b),
      up: sl(s.up, a, b),
      last: s.last,
    }),
    gatherRows: (s, idx) => ({
      hidden: batchOps.gather(s.hidden, idx),
      input: s.input ? batchOps.gather(s.input, idx) : null,
      residual: batchOps.gather(s.residual, idx),
      up: s.up ? batchOps.gather(s.up, idx) : null,
      last: s.last,
    }),
    padAndConcat: (states) => ({
      hidden: tf.concat(states.map((s) => s.hidden), 0),
      input: states[0]!.input ? tf.concat(states.map((s) => s.input!), 0) : null,
      residual: tf.concat(states.map((s) => s.residual), 0),
      up: states[0]!.up ? tf.concat(states.map((s) => s.up!), 0) : null,
      last: states[states.length - 1]!.last,
    }),
    repeat: (s, n) => ({
      hidden: batchOps.repeat(s.hidden, n),
      input: s.input ? batchOps.repeat(s.input, n) : null,
      residual: batchOps.repeat(s.residual, n),
      up: s.up ? batchOps.repeat(s.up, n) : null,
      last: s.last,
    }),
    mean: (states, w) => ({
      ...states[0]!,
      hidden: batchOps.weightedMean(states.map((s) => s.hidden), w, ctx.fixes.average),
      last: states[states.length - 1]!.last,
    }),
    preBlock: (setupNode, s) => {
      const name = typeof setupNode === 'string' ? setupNode : firstAdapter(setupNode);
      const m = modules.get(name);
      if (!m) return s;
      const pre = m.preForward(s.hidden, s.input, layerNorm, ctx);
      return { ...s, hidden: pre.hidden, residual: pre.residual };
    },
    composeSingle: (name, s) => {
      const r = modules.get(name)!.forward(s.hidden, s.residual, ctx);
      return { ...s, hidden: r.output, up: r.up, last: name };
    },
    composeFuse: (block, s, lvl, engine) => {
      const name = fusionName(block);
      const fusion = fusions.get(name);
      if (!fusion) throw new CompositionError(`No fusion layer "${name}" at ${site.path}; add it with addAdapterFusion.`);
      const last = lastAdapter(block);
      const lastModule = modules.get(last);
      if (!lastModule) throw new CompositionError(`Fuse: adapter "${last}" has no module at ${site.path}.`);
      const pre = lastModule.preForward(s.hidden, s.input, layerNorm, ctx, { queryBeforeLn: fusion.queryBeforeLn ?? false });
      const state: ResidualState = { ...s, hidden: pre.hidden, residual: pre.residual };
      const children: ResidualState[] = [];
      for (const c of block.children) {
        const r = engine.runChild(block, c, state, lvl);
        if (r) children.push(r);
      }
      if (children.length === 0) return { ...state, last };
      // [B, T, N, H] like Python's stack(...).permute(1, 2, 0, 3)
      const ups = tf.stack(children.map((c) => c.up!), 2);
      const out = fusion.forward(pre.query, ups, state.residual, ctx, block);
      return { ...state, hidden: out, last };
    },
    composeSplit: (block, s, lvl, engine) => {
      const total = block.splits.reduce((a, b) => a + b, 0);
      const seq = s.hidden.shape[1]!;
      if (total !== seq) {
        throw new CompositionError(
          `The given input has sequence length ${seq} which is not equal to the sum of splits [${block.splits.join(', ')}]`,
        );
      }
      const state = ops.preBlock(block, s);
      const outs: tf.Tensor[] = [];
      let last: string | null = null;
      let start = 0;
      block.children.forEach((c, i) => {
        const end = start + block.splits[i]!;
        const child: ResidualState = {
          hidden: seqSlice(state.hidden, start, end),
          input: state.input ? seqSlice(state.input, start, end) : null,
          residual: seqSlice(state.residual, start, end),
          up: state.up ? seqSlice(state.up, start, end) : null,
          last: null,
        };
        const r = engine.runChild(block, c, child, lvl);
        if (r) {
          outs.push(r.hidden);
          last = r.last ?? last;
        }
        start = end;
      });
      return { ...state, hidden: tf.concat(outs, 1), last };
    },
  };
  const engine = new CompositionEngine(ops, new Set(modules.keys()), ctx);
  const inputHidden = hidden;
  const state = engine.compose(setup, { hidden, input, residual: input ?? hidden, up: null, last: null });
  if (state.last === null) return finishWithoutAdapter(state.hidden, state.input, layerNorm);
  // After a Parallel block replicated the state, the pre-compose hidden states (which parallel
  // bottlenecks add back in post_forward) are repeated to match. Python passes them unreplicated
  // and ParallelAdapter.post_forward fails to broadcast (batch > 1).
  return modules.get(state.last)!.postForward(state.hidden, ctx.matchBatch(state.hidden, inputHidden), state.input, layerNorm, ctx);
}

/** `LN(hidden + input)`, `hidden + input`, or `hidden` — the layer without adapters. */
export function finishWithoutAdapter(hidden: tf.Tensor, input: tf.Tensor | null, layerNorm: LayerNormFn | null): tf.Tensor {
  if (input && layerNorm) return layerNorm(tf.add(hidden, input));
  if (input) return tf.add(hidden, input);
  return hidden;
}
