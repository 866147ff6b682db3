export { deberta, debertaV2 } from './deberta';
export { type DebertaConfig, type PosAttType, parseDebertaConfig } from './config';
export { debertaSites } from './sites';
export { debertaWeightSpecs } from './weights';
export { logBucketPosition, relativePositions } from './relative-position';
