import { AdapterConfigError } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** Tokenises text into input ids, special tokens included (as Python's `tokenizer(text)["input_ids"]`). */
export type PromptTokenizer = (text: string) => readonly number[];

/**
 * Python's `from_string` token ids: repeated (whole copies) until at least `length` ids, then
 * truncated to `length`.
 */
export function promptTokenIds(ids: readonly number[], length: number): number[] {
  if (ids.length === 0) throw new AdapterConfigError('prompt_init_text tokenises to no tokens', 'prompt_init_text');
  const reps = ids.length < length ? Math.ceil(length / ids.length) : 1;
  const out: number[] = [];
  for (let r = 0; r < reps; r++) out.push(...ids);
  return out.slice(0, length);
}

/** Keys tried (in order) for the input word-embedding matrix `[vocab, E]` of a model. */
export const WORD_EMBEDDING_KEYS: readonly string[] = [
  'embeddings.word_embeddings.weight',
  'embed_tokens.weight',
  'wte.weight',
  'word_embeddings.weight',
  'shared.weight',
];

/** Finds the input word-embedding matrix in the base weights (explicit key first). */
export function findWordEmbeddings(weights: ReadonlyMap<string, tf.Tensor> | undefined, key?: string): tf.Tensor {
  if (!weights) throw new AdapterConfigError("prompt_init='from_string' needs the base model's weights", 'prompt_init');
  const keys = key ? [key] : WORD_EMBEDDING_KEYS;
  for (const k of keys) {
    const w = weights.get(k);
    if (w) return w;
  }
  throw new AdapterConfigError(
    `prompt_init='from_string': no word-embedding weight found (tried ${keys.join(', ')}); pass embeddingWeight to createPromptTuning`,
    'prompt_init',
  );
}

/** Python `base_model_embeddings(ids)`: rows `ids` of the embedding matrix as float32 `[L, E]`. */
export function embeddingRows(embeddings: tf.Tensor, ids: readonly number[], size: number): tf.Tensor {
  const [vocab, e] = embeddings.shape as [number, number];
  if (e !== size) throw new AdapterConfigError(`word embeddings have width ${e}, the prompt needs ${size}`, 'prompt_init');
  const bad = ids.find((i) => !Number.isInteger(i) || i < 0 || i >= vocab);
  if (bad !== undefined) throw new AdapterConfigError(`prompt token id ${bad} is outside the vocabulary (size ${vocab})`, 'prompt_init_text');
  return tf.tidy(() => tf.cast(tf.gather(embeddings, tf.tensor1d(ids as number[], 'int32')), 'float32'));
}
