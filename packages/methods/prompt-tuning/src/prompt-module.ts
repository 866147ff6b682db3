import type { EmbeddingModule, EmbeddingState, ForwardContext } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PromptCombine } from './options';

/**
 * The embedding-output part of prompt tuning (Python `PromptTuning.forward` + `prefix_attention_mask`):
 * tiles the prompt `[L, E]` over the batch, combines it with the embedded input and prepends
 * `L` "attend" entries to the `[B, T]` attention mask. The prompt table itself is a model-level
 * (shared) parameter.
 */
export function createPromptModule(prompt: tf.Variable, combine: PromptCombine): EmbeddingModule {
  const length = prompt.shape[0]!;
  return {
    params: new Map(),
    forward(state: EmbeddingState, ctx: ForwardContext): EmbeddingState {
      const h = state.hidden;
      const b = h.shape[0]!;
      const p = tf.tile(tf.expandDims(tf.cast(prompt, h.dtype), 0), [b, 1, 1]);
      const hidden =
        combine === 'prefix'
          ? tf.concat([p, h], 1)
          : tf.concat([tf.slice(h, [0, 0, 0], [-1, 1, -1]), p, tf.slice(h, [0, 1, 0], [-1, -1, -1])], 1);
      // Python's `prefix_attention_mask` always prepends the prompt positions at the front, also for
      // `prefix_after_bos` (the BOS row's mask entry then covers the last prompt position).
      const mask = state.mask ? tf.concat([tf.ones([state.mask.shape[0]!, length], state.mask.dtype), state.mask], 1) : null;
      ctx.promptTokensLength = length;
      return { hidden, mask };
    },
  };
}
