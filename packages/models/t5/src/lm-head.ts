import type { T5Config } from './config';

/**
 * The factor transformers' `T5ForConditionalGeneration` applies to the decoder output before the LM
 * head: `d_model**-0.5` when the head is tied to `shared.weight` (`tie_word_embeddings`, T5 v1.0
 * checkpoints), 1 otherwise (T5 v1.1 / mT5 have an untied `lm_head`). The base model (this package's
 * forward) never applies it; heads built on T5 must.
 */
export function t5LmHeadScale(c: T5Config): number {
  return c.tieWordEmbeddings ? c.dModel ** -0.5 : 1;
}
