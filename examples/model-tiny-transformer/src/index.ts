/**
 * `example-model-tiny-transformer`: a third-party model plugin for Adapters for TypeScript (a small
 * pre-LN transformer encoder), written against the public API of `@adapters/core` only.
 *
 * @packageDocumentation
 */
export { tinyTransformer } from './model';
export { type TinyTransformerConfig, parseTinyTransformerConfig } from './config';
export { tinyTransformerSites } from './sites';
export { tinyTransformerWeightSpecs } from './weights';
export { tinyTransformerForward } from './forward';
