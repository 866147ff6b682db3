export { xmod, xmodWithLanguageAdapters, createXmod, type XmodOptions } from './xmod';
export { type XmodConfig, parseXmodConfig } from './config';
export { xmodSites } from './sites';
export { xmodWeightSpecs } from './weights';
