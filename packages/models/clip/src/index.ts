export { clip } from './clip';
export { type ClipConfig, type ClipTextConfig, type ClipVisionConfig, type ClipTowerConfig, parseClipConfig } from './config';
export { clipSites, layerIndex, prefixLocation, TOWER_MODEL_TYPE, type Tower } from './sites';
export { clipWeightSpecs } from './weights';
export { clipForward, l2Normalize } from './forward';
export { patchEmbed } from './vision';
export { causalPaddingMask, eosPositions } from './text';
export { clipContrastiveLoss, clipPairLoss, type ImageTextBatch } from './contrastive';
export { zeroShotClassify, type ZeroShotResult } from './zero-shot';
