import { AdapterConfigError, type LinearSite, type ModelDefinition, modelForType } from '@adapters/core';

/** What the converters need to know about the base model: its linear sites and naming. */
export interface ModelRef {
  readonly modelType: string;
  readonly definition: ModelDefinition<unknown>;
  /** Python `base_model_prefix` (`bert`, `roberta`, …). */
  readonly basePrefix: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** Every linear site (module path → hook point and layer). */
  readonly linearSites: readonly LinearSite[];
  /** The `config.json` object the reference was built from. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Builds a {@link ModelRef} from a Hugging Face `config.json` object, choosing the model package
 * by `model_type` (it must be registered, e.g. `import '@adapters/bert/register'`, or passed).
 */
export function modelRef(configJson: Readonly<Record<string, unknown>>, definition?: ModelDefinition<unknown>): ModelRef {
  const modelType = String(configJson.model_type ?? '');
  if (!modelType && !definition) throw new AdapterConfigError('config.json has no model_type', 'model_type');
  const def = definition ?? modelForType(modelType);
  const config = def.parseConfig(configJson);
  const info = def.info(config);
  return {
    modelType: info.modelType,
    definition: def,
    basePrefix: def.basePrefix(config),
    hiddenSize: info.hiddenSize,
    numLayers: info.numLayers,
    linearSites: def.sites(config).filter((s): s is LinearSite => s.kind === 'linear'),
    config: configJson,
  };
}

/** The linear site with this module path (with or without the base prefix), if any. */
export function siteByPath(ref: ModelRef, path: string): LinearSite | undefined {
  const p = path.startsWith(`${ref.basePrefix}.`) ? path.slice(ref.basePrefix.length + 1) : path;
  return ref.linearSites.find((s) => s.path === p);
}

/** PEFT `fan_in_fan_out`: true for GPT-2, whose projections are `Conv1D` (`[in, out]` weights). */
export function fanInFanOut(modelType: string): boolean {
  return modelType === 'gpt2';
}
