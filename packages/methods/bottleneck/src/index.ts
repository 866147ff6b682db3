/**
 * `@adapters/bottleneck`: bottleneck adapters (`seq_bn`, `double_seq_bn`, `par_bn`,
 * `scaled_par_bn`, AdapterPlus, any `BnConfig` without PHM layers) and AdapterFusion, compatible
 * with the Python `adapters` library.
 *
 * @packageDocumentation
 */
export { bottleneck, isPlainBottleneck } from './bottleneck';
export { createBottleneckModule, type BottleneckModuleOptions } from './adapter-module';
export {
  linearProjection,
  defaultLinearInit,
  type Projection,
  type ProjectionBuilder,
  type ProjectionSpec,
} from './projection';
export {
  bottleneckOptions,
  validateBottleneckConfig,
  reductionFactorAt,
  bottleneckSize,
  type BottleneckOptions,
  type ScalingOption,
  type ResidualBeforeLn,
} from './options';
export { bottleneckTargets, LOCATION_KEYS, locationKeyOf } from './targets';
export { bottleneckActivation, BOTTLENECK_ACTIVATION_NAMES } from './activations';
export { INIT_SCHEMES, type InitScheme, normalInit, kaimingUniformInit, truncNormalInit, linearBiasInit } from './init';
export { pyFloorDiv } from './py-math';
export { createBertFusion, bertFusionProvider, type BertFusionModule } from './fusion';
export { fusionOptions, fusionConfigDict, resolvedFusionConfig, type FusionOptions } from './fusion-options';
export {
  saveAdapterFusion,
  loadAdapterFusion,
  adapterFusionConfigJson,
  assignFusionWeights,
  type SaveAdapterFusionOptions,
  type LoadAdapterFusionOptions,
} from './fusion-files';
export { fusionRegularizationLoss, type FusionRegularizationOptions } from './regularization';
