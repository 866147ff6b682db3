import type { Hooks } from '@adapters/core';

/**
 * The hooks the decoder runs with: every layer hook is dispatched at `layer + offset` (the
 * decoder's sites' `hookLayer`), and the embedding hook passes its state through — Python patches
 * the decoder's `invertible_adapters_forward` to act only in reverse (in an LM head) and
 * `EncoderDecoderModel` supports no prompt tuning, so nothing acts on the decoder's embeddings.
 */
export function decoderHooks(hooks: Hooks, offset: number): Hooks {
  return {
    ctx: hooks.ctx,
    linear: (point, layer, x, weight, bias) => hooks.linear(point, layer + offset, x, weight, bias),
    residual: (point, layer, hidden, input, layerNorm) => hooks.residual(point, layer + offset, hidden, input, layerNorm),
    attention: (point, layer, state) => hooks.attention(point, layer + offset, state),
    embedding: (_point, state) => state,
    layerOutput: (layer, hidden) => hooks.layerOutput(layer + offset, hidden),
    matchBatch: (ref, t) => hooks.matchBatch(ref, t),
    matchBatches: (ts) => hooks.matchBatches(ts),
    dropout: (x, rate) => hooks.dropout(x, rate),
  };
}
