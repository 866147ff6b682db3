/**
 * `@adapters/compacter`: Compacter and Compacter++ (bottleneck adapters with parameterized
 * hypercomplex multiplication layers), compatible with the Python `adapters` library.
 *
 * @packageDocumentation
 */
export { compacter, createCompacter, isCompacterConfig, validateCompacterConfig } from './compacter';
export { phmProjection } from './phm-layer';
export { createPhmShared, sharedKey, ruleNames } from './shared';
export { phmWeight, phmApply, bmm } from './kronecker';
export { initW, initRule, type CompacterFixes } from './phm-init';
export {
  phmOptions,
  checkDivisible,
  HYPERCOMPLEX_INITS,
  PHM_C_INITS,
  type PhmOptions,
  type HypercomplexInit,
  type PhmCInit,
} from './options';
