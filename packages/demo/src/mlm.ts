import { gelu, layerNorm, namedVariable } from '@adapters/core';
import type { AdapterModel } from '@adapters/core';
import { crossEntropy } from '@adapters/heads';
import { type Batch, type Collate, SeededRng, type TaskOutput, type TrainTask } from '@adapters/train';
import * as tf from '@tensorflow/tfjs-core';

/** Masked-LM parameters on top of a BERT (HF `BertOnlyMLMHead`; the decoder is tied to the word embeddings). */
export interface MlmHead {
  dense: tf.Variable;
  denseBias: tf.Variable;
  lnWeight: tf.Variable;
  lnBias: tf.Variable;
  decoderBias: tf.Variable;
}

/** A freshly initialised {@link MlmHead} (normal(0, 0.02) dense kernel, zeros/ones elsewhere). */
export function createMlmHead(hidden: number, vocab: number, seed: number): MlmHead {
  const rng = new SeededRng(seed);
  const normal = (): number => {
    const u = Math.max(rng.next(), 1e-12);
    return 0.02 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const kernel = Float32Array.from({ length: hidden * hidden }, normal);
  return {
    dense: namedVariable(tf.tensor2d(kernel, [hidden, hidden]), 'cls.predictions.transform.dense.kernel', true),
    denseBias: namedVariable(tf.zeros([hidden]), 'cls.predictions.transform.dense.bias', true),
    lnWeight: namedVariable(tf.ones([hidden]), 'cls.predictions.transform.LayerNorm.weight', true),
    lnBias: namedVariable(tf.zeros([hidden]), 'cls.predictions.transform.LayerNorm.bias', true),
    decoderBias: namedVariable(tf.zeros([vocab]), 'cls.predictions.bias', true),
  };
}

/** Names → variables of a head. */
export function mlmHeadVariables(h: MlmHead): Map<string, tf.Variable> {
  return new Map([
    ['cls.predictions.transform.dense.kernel', h.dense],
    ['cls.predictions.transform.dense.bias', h.denseBias],
    ['cls.predictions.transform.LayerNorm.weight', h.lnWeight],
    ['cls.predictions.transform.LayerNorm.bias', h.lnBias],
    ['cls.predictions.bias', h.decoderBias],
  ]);
}

/**
 * The masked-LM task: every base weight and the head train; logits are computed only at the
 * masked positions (`inputs.mlm_positions`, flat indices into `[B·T]`), which keeps the vocabulary
 * projection small.
 */
export function mlmTask(model: AdapterModel, head: MlmHead, wordEmbeddingKey = 'embeddings.word_embeddings.weight'): TrainTask {
  const emb = model.weights.get(wordEmbeddingKey);
  if (!emb) throw new Error(`no ${wordEmbeddingKey} in the model`);
  return {
    trainableVariables: () => new Map([...model.trainableVariables(), ...mlmHeadVariables(head)]),
    forward(batch: Batch, o): TaskOutput {
      const { mlm_positions: positions, ...inputs } = batch.inputs;
      const out = model.forward(inputs, { training: o.training, seed: o.seed });
      const h = out.last_hidden_state;
      const H = h.shape[2]!;
      const sel = tf.gather(tf.reshape(h, [-1, H]), positions!);
      const t = layerNorm(gelu(tf.add(tf.matMul(sel, head.dense), head.denseBias)), head.lnWeight, head.lnBias, 1e-12);
      const logits = tf.add(tf.matMul(t, emb, false, true), head.decoderBias);
      return { loss: crossEntropy(logits, batch.labels!), logits };
    },
  };
}

/** Options of {@link mlmCollate}. */
export interface MlmCollateOptions {
  maskId: number;
  padId: number;
  /** Ids never masked (special tokens). */
  specialIds: ReadonlySet<number>;
  vocabSize: number;
  /** Fraction of tokens to predict. Default 0.15. */
  probability?: number;
  seed: number;
}

/**
 * BERT masking (as `DataCollatorForLanguageModeling`): 15 % of the non-special tokens are
 * predicted; of those 80 % become `[MASK]`, 10 % a random token, 10 % stay. At least one per row.
 */
export function mlmCollate(opts: MlmCollateOptions): Collate<readonly number[]> {
  const rng = new SeededRng(opts.seed);
  const p = opts.probability ?? 0.15;
  const firstRegular = Math.max(...opts.specialIds) + 1;
  return (examples) => {
    const B = examples.length;
    const T = Math.max(...examples.map((e) => e.length));
    const ids = new Int32Array(B * T).fill(opts.padId);
    const mask = new Int32Array(B * T);
    const positions: number[] = [];
    const labels: number[] = [];
    examples.forEach((e, b) => {
      const candidates: number[] = [];
      e.forEach((id, t) => {
        ids[b * T + t] = id;
        mask[b * T + t] = 1;
        if (!opts.specialIds.has(id)) candidates.push(t);
      });
      let chosen = candidates.filter(() => rng.next() < p);
      if (chosen.length === 0 && candidates.length > 0) chosen = [candidates[rng.int(candidates.length)]!];
      for (const t of chosen) {
        const i = b * T + t;
        positions.push(i);
        labels.push(e[t]!);
        const r = rng.next();
        if (r < 0.8) ids[i] = opts.maskId;
        else if (r < 0.9) ids[i] = firstRegular + rng.int(opts.vocabSize - firstRegular);
      }
    });
    return {
      inputs: {
        input_ids: tf.tensor2d(ids, [B, T], 'int32'),
        attention_mask: tf.tensor2d(mask, [B, T], 'int32'),
        token_type_ids: tf.zeros([B, T], 'int32'),
        mlm_positions: tf.tensor1d(positions, 'int32'),
      },
      labels: tf.tensor1d(labels, 'int32'),
      targets: labels,
      size: labels.length,
    };
  };
}
