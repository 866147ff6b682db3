export { vit } from './vit';
export { type VitConfig, parseVitConfig, numPatches, configNumber, configPair, configPatchSize, checkVisionGeometry } from './config';
export { vitSites } from './sites';
export { vitWeightSpecs } from './weights';
export { vitForward } from './forward';
export { patchEmbed, checkPixels, applyMaskToken } from './patch';
export { type RgbImage, type Resample, RESAMPLE_BY_ID } from './image/types';
export { resizeImage } from './image/resample';
export { centerCrop } from './image/crop';
export {
  type ImageProcessorConfig,
  VIT_IMAGE_PROCESSOR_DEFAULTS,
  BEIT_IMAGE_PROCESSOR_DEFAULTS,
  parseImageProcessorConfig,
  preprocessImage,
  preprocessImages,
} from './image/processor';
