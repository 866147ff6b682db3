export { bert } from './bert';
export { type BertConfig, parseBertConfig } from './config';
export { bertSites } from './sites';
export { bertWeightSpecs } from './weights';
