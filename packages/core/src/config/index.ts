/**
 * Adapter configuration system of `@adapters/core`: config classes as data, the Python library's classes and
 * presets, config unions, config strings, config hashes and Python-exact JSON.
 *
 * @packageDocumentation
 */

export {
  PyFloat,
  pyFloat,
  isPythonFloat,
  isPythonInt,
  isJsonObject,
  toNumber,
  pyTruthy,
  pyEquals,
  pyFloatRepr,
  pyIntRepr,
  pyStrip,
  comparePyStrings,
  toJsonValue,
  cloneJsonValue,
  type JsonValue,
  type JsonArray,
  type JsonObject,
} from './python-value';
export {
  pythonJsonDumps,
  pythonJsonString,
  parsePythonJson,
  type PythonJsonDumpsOptions,
  type ParsePythonJsonOptions,
} from './python-json';
export { parsePythonLiteral } from './python-literal';
export { sha1Hex } from './sha1';
export {
  defineConfigClass,
  isSubclassOf,
  isAdapterConfig,
  createConfig,
  configFromDict,
  configWithExtra,
  defaultWarn,
  type ConfigClassSpec,
  type ConfigClass,
  type AdapterConfig,
  type UnionCompatibility,
  type LegacyKeyTranslation,
  type FromDictOptions,
  type WarnFn,
} from './config-class';
export {
  createConfigUnion,
  validateConfigUnion,
  isConfigUnion,
  isAnyAdapterConfig,
  configUnionItems,
  type ConfigUnion,
  type AnyAdapterConfig,
} from './union';
export {
  configToDict,
  configGet,
  configValue,
  configMembers,
  requireSingleConfig,
  configArchitecture,
  configItems,
  configReplace,
  configEquals,
  isConfigInstanceOf,
  type ConfigToDictOptions,
} from './config-ops';
export * from './python-configs';
export {
  registerConfigClass,
  findConfigClass,
  getConfigClass,
  listConfigClasses,
  registerArchitecture,
  findArchitectureClass,
  listArchitectures,
  registerConfigPreset,
  getConfigPreset,
  listConfigPresets,
  type RegisterOptions,
} from './registry';
export {
  parseConfigString,
  resolveAdapterConfig,
  adapterConfigFromDict,
  type ConfigInput,
  type ConfigStringEntry,
  type ResolveAdapterConfigOptions,
  type AdapterConfigFromDictOptions,
} from './config-string';
export {
  ADAPTER_CONFIG_HASH_IGNORE_DEFAULT,
  getAdapterConfigHash,
  getAdapterConfigHashInput,
  type ConfigHashOptions,
} from './hash';
export {
  registerFusionConfigPreset,
  getFusionConfigPreset,
  listFusionConfigPresets,
  resolveFusionConfig,
  type ResolveFusionConfigOptions,
} from './fusion-config';
