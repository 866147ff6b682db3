/**
 * `@adapters/distilbert`: DistilBERT (`DistilBertModel`) for Adapters for TypeScript.
 *
 * @packageDocumentation
 */
export { distilbert } from './distilbert';
export { type DistilBertConfig, parseDistilBertConfig, DISTILBERT_LN_EPS } from './config';
export { distilBertSites } from './sites';
export { distilBertWeightSpecs } from './weights';
export { sinusoidalPositions } from './positions';
