export { beit, createBeit, type BeitOptions } from './beit';
export { type BeitConfig, parseBeitConfig, windowSize, numRelativeDistance } from './config';
export { beitSites } from './sites';
export { beitWeightSpecs } from './weights';
export { beitForward } from './forward';
export { relativePositionIndex, relativePositionBias, effectiveTable, bilinearMatrix } from './relative-position';
// BEiT's image processor defaults (256 bicubic → center crop 224) and the shared preprocessing pipeline.
export {
  BEIT_IMAGE_PROCESSOR_DEFAULTS,
  type ImageProcessorConfig,
  type RgbImage,
  parseImageProcessorConfig,
  preprocessImage,
  preprocessImages,
} from '@adapters/vit';
