/**
 * `@adapters/core`: the kernel of Adapters for TypeScript — hook points and composition,
 * adapter management, configs, serialization (safetensors, PyTorch .bin) and training.
 *
 * @packageDocumentation
 */
import { ensureGradientsRegistered } from './register-gradients';

// A used binding keeps tfjs-core's gradient registrations in bundles despite `sideEffects: false`.
ensureGradientsRegistered();

export * from './errors';
export * from './hook-points';
export * from './composition';
export * from './config';
export type {
  AdapterMethod,
  AttentionModule,
  AttentionPadding,
  AttentionState,
  EmbeddingModule,
  EmbeddingState,
  FuseProvider,
  FusionModule,
  LayerModule,
  LayerNormFn,
  LinearModule,
  MethodInitContext,
  ModuleBase,
  ModuleOfKind,
  ResidualModule,
  ResidualPre,
  ResidualFusionOptions,
  SharedParams,
} from './define-method';
export { defineMethod } from './define-method';
export type { Hooks, ModelDefinition, ModelForwardArgs, ModelInfo, ModelOutput, WeightSpec } from './define-model';
export { defineModel } from './define-model';
export { assertConfigSupported } from './config-support';
export { validateAdapterConfig, MAX_BOTTLENECK_EXPANSION, type ValidateConfigOptions } from './validate-config';
export { ForwardContext, type CompositionFixes } from './forward-context';
export { Rng } from './rng';
export { AdapterModel, type AddAdapterOptions, type ForwardOptions, hashString } from './adapter-model';
export { moduleParamKey } from './adapter-entry';
export { registerMethod, registerModel, registeredMethods, registeredModels, modelForType } from './registry';
export { type Storage, MemoryStorage, joinPath, utf8 } from './storage';
export * from './storages/index';
export { loadBaseWeights, randomBaseWeights, namedVariable, type TensorSource } from './weights';
export { loadPretrained, createRandomModel, readCheckpoint, type LoadPretrainedOptions } from './pretrained';
export {
  ADAPTER_FILES,
  ADAPTERS_VERSION,
  saveAdapter,
  loadAdapter,
  adapterConfigJson,
  readJson,
  parseJsonObject,
  readWeights,
  renameAdapterKey,
  assignAdapterWeights,
  type SaveAdapterOptions,
  type LoadAdapterOptions,
} from './serialization/adapter-files';
export { writeFilePair, readFilePair, pairSideFiles, type FilePair, type FilePairNames } from './serialization/file-pair';
export { tensorsToSafetensors, readSafetensorsAsTensors, rawToTensor, parseWeightsFile, variablesToRaw } from './serialization/tensors';
export * from './io';
export * from './nn';
export * from './train';
export { averageAdapter, linearAverage, type AverageAdapterOptions, type AverageInput, type AverageStrategy } from './average';
export { adapterSummary, adapterSummaryRows, type AdapterSummaryRow } from './summary';
export { CompositionEngine, type ComposableOps, batchOps } from './layers/compose';
export { baseLinear } from './layers/linear';
export { finishWithoutAdapter } from './layers/residual';
export * from './backend';
export { saveAdapterSetup, loadAdapterSetup, type AdapterSetupFile } from './serialization/setup-files';
export {
  addTypedAdapter,
  typedAdapterConfig,
  type MethodConfigMap,
  type MethodConfigName,
  type TypedAdapterConfig,
} from './method-config-map';
