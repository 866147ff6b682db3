/**
 * `@adapters/encoder-decoder`: transformers' `EncoderDecoderModel` (`model_type: "encoder-decoder"`)
 * for Adapters for TypeScript, composed from the registered encoder and decoder plugins.
 *
 * @packageDocumentation
 */
export { encoderDecoder, defineEncoderDecoder, encoderDecoderSites, encoderDecoderWeightSpecs, type EncoderDecoderOptions } from './encoder-decoder';
export { type EncoderDecoderConfig, parseEncoderDecoderConfig } from './config';
export { type SubModel, composedSite, composedSpec } from './sub-model';
export { type CausalLmHead, causalLmHead } from './lm-heads';
export { decoderHooks } from './hooks';
export { shiftTokensRight } from './shift';
