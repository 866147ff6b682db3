/**
 * `@adapters/demo`: the embedded default — a tiny BERT pretrained here with masked LM on a
 * generated review corpus, a review-sentiment dataset, and {@link runDemo}, which trains a LoRA and
 * a bottleneck adapter on it.
 *
 * @packageDocumentation
 */
export { runDemo, type DemoOptions, type DemoResult, type DemoAdapterResult } from './demo';
export { ASSETS_DIR, MODEL_DIR, DATA_DIR } from './paths';
export { generateReview, generateReviews, generateCorpus, generateDescription, type Review } from './corpus/generate';
export { buildWordPieceVocab, wordPieceTokenizerJson, tokenizerConfigJson, bertWords, SPECIAL_TOKENS } from './vocab';
export { createMlmHead, mlmTask, mlmCollate, mlmHeadVariables, type MlmHead, type MlmCollateOptions } from './mlm';
export { baseWeightsSafetensors } from './save-model';
