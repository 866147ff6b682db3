/**
 * `@adapters/electra`: ELECTRA (`ElectraModel`) for Adapters for TypeScript.
 *
 * @packageDocumentation
 */
export { electra } from './electra';
export { type ElectraConfig, parseElectraConfig } from './config';
export { electraSites } from './sites';
export { electraWeightSpecs } from './weights';
