/**
 * `@adapters/bert-generation`: BERT-Generation (`BertGenerationEncoder`) for Adapters for TypeScript.
 *
 * @packageDocumentation
 */
export { bertGeneration } from './bert-generation';
export { type BertGenerationConfig, parseBertGenerationConfig } from './config';
export { bertGenerationSites } from './sites';
export { bertGenerationWeightSpecs } from './weights';
