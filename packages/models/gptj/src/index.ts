export { gptj } from './gptj';
export { type GptjConfig, parseGptjConfig } from './config';
export { gptjSites } from './sites';
export { gptjWeightSpecs } from './weights';
export { gptjCausalMask } from './mask';
export { applyRotary, rotaryInverseFrequencies, rotarySinCos, rotateEveryTwo } from './rotary';
export { type LayerCache, pastKey, presentKey } from './cache';
