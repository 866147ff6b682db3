export { whisper, whisperFixed, createWhisper } from './whisper';
export { type WhisperConfig, type QueryScaling, parseWhisperConfig } from './config';
export { whisperSites, decoderLayerIndex } from './sites';
export { whisperWeightSpecs } from './weights';
export { whisperForward, pastKey, presentKey } from './forward';
export { decoderMask, type LayerCache } from './decoder';
export { conv1d } from './encoder';
export { whisperGreedyDecode, type WhisperDecodeOptions, type WhisperDecodeResult } from './generate';
export { logMelSpectrogram, melFilterBank, hannWindow, hertzToMel, melToHertz, type LogMel, type LogMelOptions } from './features';
