/**
 * `@adapters/albert`: ALBERT (`AlbertModel`) for Adapters for TypeScript.
 *
 * @packageDocumentation
 */
export { albert, createAlbert } from './albert';
export { type AlbertConfig, parseAlbertConfig } from './config';
export { type AlbertOptions } from './forward';
export { type AlbertUniqueLayer, albertUniqueLayers, albertGroupAt, albertApplicationOrder } from './layers';
export { albertSites } from './sites';
export { albertWeightSpecs } from './weights';
