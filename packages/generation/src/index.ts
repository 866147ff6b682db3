/**
 * `@adapters/generation`: greedy and sampled autoregressive generation with a KV cache and a
 * streaming callback, over any decoder model package that follows the KV-cache convention.
 *
 * @packageDocumentation
 */
export { generate, type GenerateOptions, type GenerateResult, type FinishReason } from './generate';
export { tiedEmbeddingLogits, TIED_EMBEDDING_NAMES, type LogitsFn } from './logits';
export { pickToken, argmax, topKFilter, topPFilter, softmax, drawCategorical, type SamplingOptions } from './sampling';
export { positionIds, assertLeftPadded, type IdBatch } from './inputs';
