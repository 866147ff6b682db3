import * as tf from '@tensorflow/tfjs-core';
import { addMany } from '../nn';
import {
  type AverageBlock,
  type BatchSplitBlock,
  type BlockType,
  type CompositionBlock,
  type FuseBlock,
  type MultiTaskBlock,
  type ParallelBlock,
  type SetupNode,
  type SplitBlock,
  type StackBlock,
  ALLOWED_NESTINGS,
  flattenSetup,
  isBlock,
  parallelChannels,
  setupToString,
} from '../composition/blocks';
import { CompositionError } from '../errors';
import type { ForwardContext } from '../forward-context';

/**
 * The state operations of one site kind (Python's `ComposableAdapterLayerBase` abstract methods).
 * The core implements these per kind; methods only implement the single-adapter step.
 */
export interface ComposableOps<S> {
  /** Batch size of a state. */
  batchSize(s: S): number;
  /** Slice rows `[start, end)` of every batched tensor. */
  vslice(s: S, start: number, end: number): S;
  /** Gather rows by index (MultiTask reordering). */
  gatherRows(s: S, idx: number[]): S;
  /** Concatenate along the batch. */
  padAndConcat(states: S[]): S;
  /** Repeat `n` times along the batch. */
  repeat(s: S, n: number): S;
  /** Weighted mean of children states (Python: mean over children of `w_i · h_i`). */
  mean(states: S[], weights: number[]): S;
  /** Optional pre-processing before the children of a block / a single adapter run. */
  preBlock(setup: SetupNode, s: S): S;
  /** Runs one adapter. */
  composeSingle(name: string, s: S, lvl: number): S;
  /** Fuse support (bottleneck sites). */
  composeFuse?(block: FuseBlock, s: S, lvl: number, engine: CompositionEngine<S>): S;
  /** Split support (bottleneck sites). */
  composeSplit?(block: SplitBlock, s: S, lvl: number, engine: CompositionEngine<S>): S;
  /** Whether inputs may be parallelised several times independently (LoRA). */
  readonly allowMultiParallelize: boolean;
  /**
   * Whether a child of a Parallel block without a module at this site may pass its slice through
   * unchanged (prefix tuning: Python `PrefixTuningLayer.pad_and_concat` pads it). Default false:
   * such a mix is a {@link CompositionError} (Python fails there with a KeyError / a `cat` of None,
   * or drops the other children's LoRA deltas).
   */
  readonly parallelPassThrough?: boolean;
  /** Block types supported at this site (Python's `supported_compositions`). */
  readonly supported: readonly BlockType[];
  /** A label used in error messages, e.g. `linear site attn.q@0`. */
  readonly label: string;
}

/**
 * The generic composition engine: a faithful port of Python's `compose_*` functions, driven by a
 * kind's {@link ComposableOps}. `names` are the adapters that have a module at this site.
 */
export class CompositionEngine<S> {
  constructor(
    readonly ops: ComposableOps<S>,
    readonly names: ReadonlySet<string>,
    readonly ctx: ForwardContext,
  ) {}

  /** Entry point (Python `compose`). */
  compose(setup: SetupNode, state: S): S {
    if (isBlock(setup)) return this.block(setup, state, 0);
    if (this.names.has(setup)) return this.ops.composeSingle(setup, state, 0);
    throw new CompositionError(`Invalid adapter setup: ${setup} has no module at ${this.ops.label}`);
  }

  /** Dispatches on the block type, checking the site supports it when it touches this site. */
  block(b: CompositionBlock, state: S, lvl: number): S {
    const touches = flattenSetup(b).some((n) => this.names.has(n));
    if (touches && !this.ops.supported.includes(b.type)) {
      throw new CompositionError(
        `${b.type} is not supported at ${this.ops.label}; supported here: ${this.ops.supported.join(', ')}.`,
      );
    }
    switch (b.type) {
      case 'Stack':
        return this.stack(b, state, lvl);
      case 'Fuse':
        return this.fuse(b, state, lvl);
      case 'Split':
        return this.split(b, state, lvl);
      case 'BatchSplit':
        return this.batchSplit(b, state, lvl);
      case 'Parallel':
        return this.parallel(b, state, lvl);
      case 'Average':
        return this.average(b, state, lvl);
      case 'MultiTask':
        return this.multiTask(b, state, lvl);
    }
  }

  /** Python `check_composition_valid`. */
  checkValid(parent: CompositionBlock, child: CompositionBlock, lvl: number): void {
    if (parent.type === 'Stack' && lvl >= 1) {
      throw new CompositionError(`Specified adapter setup is too deep. Cannot have ${child.type} at level ${lvl}`);
    }
    if (!ALLOWED_NESTINGS[parent.type].includes(child.type)) {
      throw new CompositionError(
        `Cannot nest ${child.type} inside ${parent.type}. Only the following nestings are allowed: ${ALLOWED_NESTINGS[parent.type].join(', ')}`,
      );
    }
  }

  private child(parent: CompositionBlock, child: SetupNode, state: S, lvl: number): S | undefined {
    if (isBlock(child)) {
      this.checkValid(parent, child, lvl);
      return this.block(child, state, lvl + 1);
    }
    if (this.names.has(child)) return this.ops.composeSingle(child, state, lvl + 1);
    return undefined;
  }

  stack(b: StackBlock, state: S, lvl: number): S {
    for (const c of b.children) {
      if (isBlock(c)) {
        this.checkValid(b, c, lvl);
        state = this.block(c, state, lvl + 1);
      } else if (this.names.has(c)) {
        state = this.ops.preBlock(c, state);
        state = this.ops.composeSingle(c, state, lvl + 1);
      }
    }
    return state;
  }

  fuse(b: FuseBlock, state: S, lvl: number): S {
    if (!flattenSetup(b).some((n) => this.names.has(n))) return state;
    if (!this.ops.composeFuse) throw new CompositionError(`Fuse is not supported at ${this.ops.label}.`);
    return this.ops.composeFuse(b, state, lvl, this);
  }

  split(b: SplitBlock, state: S, lvl: number): S {
    if (!flattenSetup(b).some((n) => this.names.has(n))) return state;
    if (!this.ops.composeSplit) throw new CompositionError(`Split is not supported at ${this.ops.label}.`);
    return this.ops.composeSplit(b, state, lvl, this);
  }

  /** Runs a child of a block on a state (shared by Fuse/Split implementations). */
  runChild(parent: CompositionBlock, child: SetupNode, state: S, lvl: number): S | undefined {
    return this.child(parent, child, state, lvl);
  }

  batchSplit(b: BatchSplitBlock, state: S, lvl: number): S {
    const total = b.batchSizes.reduce((a, x) => a + x, 0);
    const bsz = this.ops.batchSize(state);
    if (total !== bsz) {
      throw new CompositionError(
        `The given batch has a size of ${bsz} which is not equal to the sum of batch_sizes [${b.batchSizes.join(', ')}]`,
      );
    }
    state = this.ops.preBlock(b, state);
    const out: S[] = [];
    let start = 0;
    b.children.forEach((c, i) => {
      const end = start + b.batchSizes[i]!;
      const slice = this.ops.vslice(state, start, end);
      out.push(this.child(b, c, slice, lvl) ?? slice);
      start = end;
    });
    return this.ops.padAndConcat(out);
  }

  /**
   * Children of a Parallel block must all have a module at this site, or none of them (unless the
   * site kind passes such children through, see {@link ComposableOps.parallelPassThrough}).
   */
  private checkParallelPlacement(b: ParallelBlock): void {
    if (this.ops.parallelPassThrough) return;
    const here: string[] = [];
    const absent: string[] = [];
    for (const c of b.children) (flattenSetup(c).some((n) => this.names.has(n)) ? here : absent).push(setupToString(c));
    if (here.length === 0 || absent.length === 0) return;
    const list = (xs: string[]): string => xs.map((x) => `"${x}"`).join(', ');
    throw new CompositionError(
      `${setupToString(b)}: ${list(here)} ${here.length === 1 ? 'has a module' : 'have modules'} at ${this.ops.label} but ${list(absent)} ` +
        `${absent.length === 1 ? 'has' : 'have'} none there. The children of a Parallel block must be placed at the same hook sites ` +
        '(same method, locations and leave_out); Python fails here too (or silently drops a LoRA delta).',
    );
  }

  parallel(b: ParallelBlock, state: S, lvl: number): S {
    this.checkParallelPlacement(b);
    const ctx = this.ctx;
    const channels = parallelChannels(b);
    let orig: number;
    if (!ctx.adaptersParallelized) {
      orig = this.ops.batchSize(state);
      state = this.ops.repeat(state, channels);
      ctx.adaptersParallelized = true;
      ctx.originalBatchSize = orig;
    } else {
      const bsz = this.ops.batchSize(state);
      if (this.ops.allowMultiParallelize && bsz === ctx.originalBatchSize) {
        state = this.ops.repeat(state, channels);
        orig = bsz;
      } else if (bsz % channels !== 0) {
        throw new CompositionError(
          'The total input batch size in a Parallel adapter block must be divisible by the number of parallel channels.',
        );
      } else orig = bsz / channels;
    }
    state = this.ops.preBlock(b, state);
    const out: S[] = b.children.map((c, i) => {
      const slice = this.ops.vslice(state, i * orig, (i + 1) * orig);
      return this.child(b, c, slice, lvl) ?? slice;
    });
    return this.ops.padAndConcat(out);
  }

  average(b: AverageBlock, state: S, lvl: number): S {
    state = this.ops.preBlock(b, state);
    const out: S[] = [];
    const weights: number[] = [];
    b.children.forEach((c, i) => {
      const r = this.child(b, c, state, lvl);
      if (r !== undefined) {
        out.push(r);
        weights.push(b.weights[i]!);
      }
    });
    if (out.length === 0) return state;
    // Python multiplies each child state by its weight from the full weight vector; children
    // without a module here are skipped, which shortens the stacked tensor — mirror that by
    // using the weights of the children that ran.
    return this.ops.mean(out, weights);
  }

  multiTask(b: MultiTaskBlock, state: S, lvl: number): S {
    state = this.ops.preBlock(b, state);
    const ids = this.ctx.taskIds;
    if (!ids) throw new CompositionError('MultiTask composition needs task ids passed to forward (taskIds).');
    const order = ids.map((t, i) => [t, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((p) => p[1]);
    const counts = b.children.map((_, c) => ids.filter((t) => t === c).length);
    const sorted = this.ops.gatherRows(state, order);
    const inner = this.batchSplit({ type: 'BatchSplit', children: b.children, batchSizes: counts }, sorted, lvl);
    const inverse = new Array<number>(order.length);
    order.forEach((o, i) => (inverse[o] = i));
    return this.ops.gatherRows(inner, inverse);
  }
}

/** Helpers for implementing {@link ComposableOps} over tensors with the batch on axis 0. */
export const batchOps = {
  slice(t: tf.Tensor, start: number, end: number): tf.Tensor {
    const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
    const size = t.shape.map((d, i) => (i === 0 ? end - start : d));
    return tf.slice(t, begin, size);
  },
  repeat(t: tf.Tensor, n: number): tf.Tensor {
    return tf.tile(t, t.shape.map((_, i) => (i === 0 ? n : 1)));
  },
  gather(t: tf.Tensor, idx: number[]): tf.Tensor {
    return tf.gather(t, tf.tensor1d(idx, 'int32'), 0);
  },
  /**
   * Python: `mean(stack(states) * w[:,None,None,None], 0)` — i.e. (1/N)·Σ w_i·h_i (a documented
   * Python quirk); with `fixed` the plain weighted sum Σ w_i·h_i.
   */
  weightedMean(ts: tf.Tensor[], weights: number[], fixed = false): tf.Tensor {
    const scaled = ts.map((t, i) => tf.mul(t, weights[i]!));
    return fixed ? addMany(scaled) : tf.div(addMany(scaled), ts.length);
  },
};
