export { gpt2 } from './gpt2';
export { type Gpt2Config, parseGpt2Config } from './config';
export { gpt2Sites } from './sites';
export { gpt2WeightSpecs } from './weights';
export { gpt2Attention } from './attention';
export { type LayerCache, pastKey, presentKey } from './cache';
