import * as tf from '@tensorflow/tfjs-core';
import type { SetupNode } from './composition/blocks';

/** Opt-in corrections of Python composition quirks (see {@link ForwardContext.fixes}). */
export interface CompositionFixes {
  /** `Average` = Σ wᵢ·hᵢ (Python divides by N once more). */
  average?: boolean;
  /** LoRA `Stack`: every adapter sees the layer input; deltas add (Python chains the first delta into the second). */
  loraStack?: boolean;
}

/**
 * Per-forward-pass state shared by all hooks (Python's `ForwardContext`), passed explicitly
 * instead of living in a thread-local.
 */
export class ForwardContext {
  /** Training mode: dropout active. */
  readonly training: boolean;
  /** The active adapter setup for this pass (null: no adapters). */
  readonly setup: SetupNode | null;
  /** Layers in which adapters are skipped (AdapterDrop at inference). */
  readonly skipLayers: ReadonlySet<number>;
  /** Attention mask `[B, T]` (1 = token, 0 = padding) of the current inputs, if any. */
  attentionMask: tf.Tensor | null = null;
  /** Set once a Parallel block has replicated the batch. */
  adaptersParallelized = false;
  /** Batch size before Parallel replication. */
  originalBatchSize = -1;
  /** Number of prompt-tuning positions prepended to the sequence. */
  promptTokensLength = 0;
  /** Task ids for MultiTask blocks (child positions). */
  taskIds: number[] | null = null;
  /** Free-form per-pass cache for methods (e.g. prefix states computed once per pass). */
  readonly cache = new Map<string, unknown>();
  /** Gating scores collected when requested: adapter → layer → location → values. */
  readonly gatingScores: Map<string, Map<number, Map<string, tf.Tensor>>> | null;
  /**
   * Opt-in corrections of Python quirks (defaults reproduce Python): `average` — `Average` returns
   * Σ wᵢ·hᵢ instead of Python's (1/N)·Σ wᵢ·hᵢ; `loraStack` — each LoRA of a `Stack` sees the layer
   * input (deltas add up) instead of the previous adapter's delta.
   */
  readonly fixes: Readonly<CompositionFixes>;
  private dropoutCounter = 0;
  private readonly seed: number;

  constructor(opts: {
    training: boolean;
    setup: SetupNode | null;
    skipLayers?: Iterable<number>;
    seed?: number;
    collectGatingScores?: boolean;
    fixes?: CompositionFixes;
  }) {
    this.fixes = opts.fixes ?? {};
    this.training = opts.training;
    this.setup = opts.setup;
    this.skipLayers = new Set(opts.skipLayers ?? []);
    this.seed = opts.seed ?? 0;
    this.gatingScores = opts.collectGatingScores ? new Map() : null;
  }

  /** Dropout that is the identity in eval mode or for rate 0; seeded deterministically per pass. */
  dropout(x: tf.Tensor, rate: number): tf.Tensor {
    if (!this.training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.seed * 1_000_003 + this.dropoutCounter++);
  }

  /**
   * Python's `adjust_tensors_for_parallel`: repeats `t` along the batch axis so that its batch
   * matches `ref`'s (after a Parallel block replicated the hidden states).
   */
  matchBatch<T extends tf.Tensor>(ref: tf.Tensor, t: T): T {
    const rb = ref.shape[0]!;
    const tb = t.shape[0]!;
    // Python only repeats when `hidden.shape[0] >= tensor.shape[0]`; a larger tensor passes unchanged
    // (the residual of GPT-J's parallel block can be the replicated one).
    if (rb <= tb || tb === 0) return t;
    if (rb % tb !== 0) throw new Error(`Cannot match batch ${tb} to ${rb}`);
    const reps = t.shape.map((_, i) => (i === 0 ? rb / tb : 1));
    return tf.tile(t, reps) as T;
  }

  /**
   * Python's `match_attn_matrices_for_parallel`: repeats every tensor along the batch to the
   * largest batch among them (e.g. q replicated by a Parallel LoRA while k has no adapter).
   */
  matchBatches(ts: readonly tf.Tensor[]): tf.Tensor[] {
    const max = Math.max(...ts.map((t) => t.shape[0]!));
    const ref = ts.find((t) => t.shape[0] === max)!;
    return ts.map((t) => this.matchBatch(ref, t));
  }

  /** Stores a gating score (when collection was requested). */
  storeGatingScore(adapter: string, layer: number, location: string, score: tf.Tensor): void {
    if (!this.gatingScores) return;
    let byLayer = this.gatingScores.get(adapter);
    if (!byLayer) this.gatingScores.set(adapter, (byLayer = new Map()));
    let byLoc = byLayer.get(layer);
    if (!byLoc) byLayer.set(layer, (byLoc = new Map()));
    byLoc.set(location, tf.keep(score.clone()));
  }
}
