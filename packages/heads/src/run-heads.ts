import { AdaptersError, type ModelOutput, type SetupNode, parallelChannels } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type HeadEnv, type HeadInputs, type HeadOutput, headForward } from './head-forward';
import type { ResolvedHeadSetup } from './head-setup';
import type { PredictionHead } from './prediction-head';

/** Labels and masks for the heads of one forward pass. */
export interface HeadTargets {
  readonly attentionMask: tf.Tensor | null;
  readonly labels?: tf.Tensor;
  readonly startPositions?: tf.Tensor;
  readonly endPositions?: tf.Tensor;
  readonly promptTokensLength: number;
}

/** Result of running the heads: one output per head and the combined loss where Python sums it. */
export type HeadsResult = { heads: HeadOutput[]; loss?: tf.Scalar };

function rows(t: tf.Tensor | null | undefined, start: number, size: number): tf.Tensor | undefined {
  if (!t) return undefined;
  return tf.slice(t, [start], [size]);
}

function summedLoss(outs: readonly HeadOutput[]): tf.Scalar | undefined {
  if (outs.length === 0 || !outs.every((o) => o.loss)) return undefined;
  return tf.addN(outs.map((o) => o.loss!)) as tf.Scalar;
}

/**
 * Python `forward_head`: BatchSplit → head i on its rows (labels, masks and positions sliced
 * too); Parallel adapters (or a Parallel head setup) → head i on the i-th replica of the batch;
 * several heads → each on the whole batch; both block forms sum the head losses.
 */
export function runHeads(
  setup: ResolvedHeadSetup,
  heads: ReadonlyMap<string, PredictionHead>,
  base: ModelOutput,
  targets: HeadTargets,
  adapterSetup: SetupNode | null,
  env: HeadEnv,
): HeadsResult {
  const used = setup.names.map((n) => {
    const h = heads.get(n);
    if (!h) throw new AdaptersError(`Unknown head_name '${n}'. Heads: ${[...heads.keys()].join(', ') || 'none'}.`);
    return h;
  });
  const seq = base.last_hidden_state;
  const pooled = base.pooler_output;
  const batch = seq.shape[0]!;
  const common = { promptTokensLength: targets.promptTokensLength };
  if (setup.kind === 'batchsplit') {
    const total = setup.batchSizes.reduce((a, b) => a + b, 0);
    if (total !== batch) throw new AdaptersError(`The specified batch sizes [${setup.batchSizes.join(', ')}] do not match the actual batch size ${batch}.`);
    let start = 0;
    const outs = used.map((head, i) => {
      const size = setup.batchSizes[i]!;
      const inp: HeadInputs = {
        ...common,
        sequence: rows(seq, start, size)!,
        pooled: rows(pooled, start, size),
        attentionMask: rows(targets.attentionMask, start, size) ?? null,
        labels: rows(targets.labels, start, size),
        startPositions: rows(targets.startPositions, start, size),
        endPositions: rows(targets.endPositions, start, size),
      };
      start += size;
      return headForward(head, inp, env);
    });
    const loss = summedLoss(outs);
    return loss ? { heads: outs, loss } : { heads: outs };
  }
  const channels = adapterSetup ? parallelChannels(adapterSetup) : 1;
  if (setup.kind === 'parallel' || channels > 1) {
    if (used.length !== channels) {
      throw new AdaptersError(`The number of parallel adapters (${channels}) and the number of active heads (${used.length}) must match.`);
    }
    const orig = batch / channels;
    const outs = used.map((head, i) =>
      headForward(
        head,
        {
          ...common,
          sequence: rows(seq, i * orig, orig)!,
          pooled: rows(pooled, i * orig, orig),
          attentionMask: targets.attentionMask,
          labels: targets.labels,
          startPositions: targets.startPositions,
          endPositions: targets.endPositions,
        },
        env,
      ),
    );
    const loss = summedLoss(outs);
    return loss ? { heads: outs, loss } : { heads: outs };
  }
  const inp: HeadInputs = { ...common, ...targets, sequence: seq, pooled };
  const outs = used.map((head) => headForward(head, inp, env));
  // Several heads on the same batch: Python's MultiHeadOutput carries no combined loss here.
  if (outs.length === 1 && outs[0]!.loss) return { heads: outs, loss: outs[0]!.loss };
  return { heads: outs };
}
