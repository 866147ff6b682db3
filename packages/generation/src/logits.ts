import type { AdapterModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** Maps the last hidden states `[B, hidden]` to vocabulary logits `[B, vocab]`. */
export type LogitsFn = (model: AdapterModel, hidden: tf.Tensor) => tf.Tensor;

/** Base-weight names tried by {@link tiedEmbeddingLogits}, in order. */
export const TIED_EMBEDDING_NAMES: readonly string[] = ['wte.weight', 'embed_tokens.weight'];

/**
 * The default LM head until prediction heads exist: `hidden · Eᵀ` with the input embedding `E`
 * `[vocab, hidden]` (`wte.weight` for GPT-2 / GPT-J, `embed_tokens.weight` for Llama-family
 * models). This is the real head of GPT-2 (tied); for models with an untied `lm_head` (GPT-J) it
 * is only a stand-in — pass your own {@link LogitsFn}.
 */
export const tiedEmbeddingLogits: LogitsFn = (model, hidden) => {
  for (const name of TIED_EMBEDDING_NAMES) {
    const e = model.weights.get(name);
    if (e) return tf.matMul(hidden, e, false, true);
  }
  throw new Error(`generate: no input embedding (${TIED_EMBEDDING_NAMES.join(', ')}) in the model weights; pass a "logits" function`);
};
