/**
 * Every config class and `ADAPTER_CONFIG_MAP` preset of the Python `adapters` library (v1.2.0 field set), as
 * data. Field order and defaults follow `src/adapters/configuration/adapter_config.py` and
 * `adapter_fusion_config.py` exactly (dataclass order: inherited fields keep their position, new ones are
 * appended). Python floats with integral values are written `pyFloat(…)`.
 *
 * Differences from adapters 1.1.0 (which made the fixtures): `init_weights_seed` (bottleneck, prefix, prompt,
 * LoRA, ReFT) and LoRA's `use_dora`, `vera_d`, `vera_b` are new fields. Their defaults are falsy, so config hashes
 * are unchanged; loading a 1.1.0 `adapter_config.json` fills them with their defaults.
 */

import { defineConfigClass, type ConfigClass } from './config-class';
import { pyFloat, type JsonValue } from './python-value';

/** Python `AdapterConfig`: the abstract root (class attribute `architecture = None`). */
export const AdapterConfigBase: ConfigClass = defineConfigClass({ className: 'AdapterConfig', abstract: true, architecture: null });

/** Python `MultiTaskConfig`: abstract marker class of multi-task methods. */
export const MultiTaskConfig: ConfigClass = defineConfigClass({ className: 'MultiTaskConfig', extends: AdapterConfigBase, abstract: true });

/** Python `BnConfig`: bottleneck adapters. No `architecture` key in its JSON. */
export const BnConfig: ConfigClass = defineConfigClass({
  className: 'BnConfig',
  extends: AdapterConfigBase,
  architecture: null,
  required: ['mh_adapter', 'output_adapter', 'reduction_factor', 'non_linearity'],
  fields: {
    original_ln_before: false,
    original_ln_after: true,
    ln_before: false,
    ln_after: false,
    init_weights: 'bert',
    init_weights_seed: null,
    is_parallel: false,
    scaling: pyFloat(1),
    use_gating: false,
    residual_before_ln: true,
    adapter_residual_before_ln: false,
    inv_adapter: null,
    inv_adapter_reduction_factor: null,
    cross_adapter: false,
    leave_out: [],
    dropout: pyFloat(0),
    phm_layer: false,
    phm_dim: 4,
    factorized_phm_W: true,
    shared_W_phm: false,
    shared_phm_rule: true,
    factorized_phm_rule: false,
    phm_c_init: 'normal',
    phm_init_range: 0.0001,
    learn_phm: true,
    hypercomplex_nonlinearity: 'glorot-uniform',
    phm_rank: 1,
    phm_bias: true,
    stochastic_depth: pyFloat(0),
  },
  unionCompatible: { mustDifferIn: ['mh_adapter', 'output_adapter'] },
  // v1 configs nested the invertible adapter: {"invertible_adapter": {"block_type": ..., "reduction_factor": ...}}.
  legacyKeys: { invertible_adapter: { block_type: 'inv_adapter', reduction_factor: 'inv_adapter_reduction_factor' } },
});

/** Python `SeqBnConfig` (Pfeiffer): identifiers `seq_bn`, `pfeiffer`. */
export const SeqBnConfig: ConfigClass = defineConfigClass({
  className: 'SeqBnConfig',
  extends: BnConfig,
  fields: {
    original_ln_before: true,
    original_ln_after: true,
    residual_before_ln: true,
    adapter_residual_before_ln: false,
    ln_before: false,
    ln_after: false,
    mh_adapter: false,
    output_adapter: true,
    non_linearity: 'relu',
    reduction_factor: 16,
  },
});

/** Python `CompacterPlusPlusConfig`: identifier `compacter++`. */
export const CompacterPlusPlusConfig: ConfigClass = defineConfigClass({
  className: 'CompacterPlusPlusConfig',
  extends: SeqBnConfig,
  fields: { phm_layer: true, reduction_factor: 32, non_linearity: 'gelu' },
});

/** Python `SeqBnInvConfig`: identifiers `seq_bn_inv`, `pfeiffer+inv`. */
export const SeqBnInvConfig: ConfigClass = defineConfigClass({
  className: 'SeqBnInvConfig',
  extends: SeqBnConfig,
  fields: { inv_adapter: 'nice', inv_adapter_reduction_factor: 2 },
});

/** Python `DoubleSeqBnConfig` (Houlsby): identifiers `double_seq_bn`, `houlsby`. */
export const DoubleSeqBnConfig: ConfigClass = defineConfigClass({
  className: 'DoubleSeqBnConfig',
  extends: BnConfig,
  fields: {
    original_ln_before: false,
    original_ln_after: true,
    residual_before_ln: true,
    adapter_residual_before_ln: false,
    ln_before: false,
    ln_after: false,
    mh_adapter: true,
    output_adapter: true,
    non_linearity: 'swish',
    reduction_factor: 16,
  },
});

/** Python `CompacterConfig`: identifier `compacter`. */
export const CompacterConfig: ConfigClass = defineConfigClass({
  className: 'CompacterConfig',
  extends: DoubleSeqBnConfig,
  fields: { phm_layer: true, reduction_factor: 32, non_linearity: 'gelu' },
});

/** Python `DoubleSeqBnInvConfig`: identifiers `double_seq_bn_inv`, `houlsby+inv`. */
export const DoubleSeqBnInvConfig: ConfigClass = defineConfigClass({
  className: 'DoubleSeqBnInvConfig',
  extends: DoubleSeqBnConfig,
  fields: { inv_adapter: 'nice', inv_adapter_reduction_factor: 2 },
});

/** Python `ParBnConfig` (He et al. parallel adapter): identifiers `par_bn`, `parallel`. */
export const ParBnConfig: ConfigClass = defineConfigClass({
  className: 'ParBnConfig',
  extends: BnConfig,
  fields: {
    original_ln_before: false,
    original_ln_after: true,
    ln_before: false,
    ln_after: false,
    mh_adapter: false,
    output_adapter: true,
    non_linearity: 'relu',
    reduction_factor: 2,
    init_weights: 'mam_adapter',
    is_parallel: true,
    scaling: pyFloat(4),
  },
});

/** Python `AdapterPlusConfig` (no identifier string in Python). */
export const AdapterPlusConfig: ConfigClass = defineConfigClass({
  className: 'AdapterPlusConfig',
  extends: BnConfig,
  fields: {
    original_ln_after: false,
    original_ln_before: true,
    residual_before_ln: false,
    stochastic_depth: 0.1,
    init_weights: 'houlsby',
    scaling: 'channel',
    mh_adapter: false,
    output_adapter: true,
    reduction_factor: 96,
    non_linearity: 'gelu',
  },
});

/** Python `PrefixTuningConfig`: identifiers `prefix_tuning`, `prefix_tuning_flat`. */
export const PrefixTuningConfig: ConfigClass = defineConfigClass({
  className: 'PrefixTuningConfig',
  extends: AdapterConfigBase,
  architecture: 'prefix_tuning',
  fields: {
    architecture: 'prefix_tuning',
    encoder_prefix: true,
    cross_prefix: true,
    leave_out: [],
    flat: false,
    prefix_length: 30,
    bottleneck_size: 512,
    non_linearity: 'tanh',
    dropout: pyFloat(0),
    use_gating: false,
    shared_gating: true,
    init_weights_seed: null,
  },
});

/** Python `PromptTuningConfig`: identifier `prompt_tuning`. `random_uniform_scale` is a class attribute. */
export const PromptTuningConfig: ConfigClass = defineConfigClass({
  className: 'PromptTuningConfig',
  extends: AdapterConfigBase,
  architecture: 'prompt_tuning',
  fields: {
    architecture: 'prompt_tuning',
    prompt_length: 10,
    prompt_init: 'random_uniform',
    prompt_init_text: null,
    combine: 'prefix',
    init_weights_seed: null,
  },
  classAttributes: { random_uniform_scale: 0.5 },
});

/** Python `LoRAConfig`: identifier `lora`. IA3/VeRA/DoRA/DvoRA configs serialize as `"lora"` and reload as this class. */
export const LoRAConfig: ConfigClass = defineConfigClass({
  className: 'LoRAConfig',
  extends: AdapterConfigBase,
  architecture: 'lora',
  fields: {
    architecture: 'lora',
    selfattn_lora: true,
    intermediate_lora: false,
    output_lora: false,
    leave_out: [],
    r: 8,
    alpha: 8,
    dropout: pyFloat(0),
    attn_matrices: ['q', 'v'],
    composition_mode: 'add',
    init_weights: 'lora',
    init_weights_seed: null,
    use_gating: false,
    use_dora: false,
    vera_d: null,
    vera_b: null,
    dtype: null,
  },
});

/** Python `IA3Config`: identifier `ia3`. */
export const IA3Config: ConfigClass = defineConfigClass({
  className: 'IA3Config',
  extends: LoRAConfig,
  fields: {
    selfattn_lora: true,
    intermediate_lora: true,
    output_lora: false,
    leave_out: [],
    r: 1,
    alpha: 1,
    dropout: pyFloat(0),
    attn_matrices: ['k', 'v'],
    composition_mode: 'scale',
    init_weights: 'ia3',
    use_gating: false,
    dtype: null,
  },
});

/** Python `VeraConfig`: identifier `vera`. */
export const VeraConfig: ConfigClass = defineConfigClass({
  className: 'VeraConfig',
  extends: LoRAConfig,
  fields: {
    selfattn_lora: true,
    intermediate_lora: false,
    output_lora: false,
    r: 8,
    vera_d: 0.1,
    vera_b: pyFloat(0),
    init_weights: 'vera',
    composition_mode: 'add',
    dtype: null,
  },
});

/** Python `DoRAConfig`: identifier `dora`. */
export const DoRAConfig: ConfigClass = defineConfigClass({
  className: 'DoRAConfig',
  extends: LoRAConfig,
  fields: {
    selfattn_lora: true,
    intermediate_lora: false,
    output_lora: false,
    leave_out: [],
    r: 8,
    alpha: 8,
    dropout: pyFloat(0),
    attn_matrices: ['q', 'v'],
    composition_mode: 'add',
    init_weights: 'lora',
    init_weights_seed: null,
    use_gating: false,
    use_dora: true,
  },
});

/** Python `DvoRAConfig`: identifier `dvora`. */
export const DvoRAConfig: ConfigClass = defineConfigClass({
  className: 'DvoRAConfig',
  extends: LoRAConfig,
  fields: {
    selfattn_lora: true,
    intermediate_lora: false,
    output_lora: false,
    leave_out: [],
    r: 8,
    alpha: 8,
    dropout: pyFloat(0),
    vera_d: 0.1,
    vera_b: pyFloat(0),
    init_weights: 'vera',
    composition_mode: 'add',
    use_gating: false,
    use_dora: true,
  },
});

/** Python `MTLLoRAConfig` (also a `MultiTaskConfig`): identifier `mtl_lora`. */
export const MTLLoRAConfig: ConfigClass = defineConfigClass({
  className: 'MTLLoRAConfig',
  extends: LoRAConfig,
  mixins: [MultiTaskConfig],
  architecture: 'mtl_lora',
  fields: {
    n_up_projection: 1,
    task_specific_matrix_type: 'singular_values',
    weights_sharpness: 0.05,
  },
});

/**
 * Python `ReftConfig`. `subtract_projection` is an un-annotated class attribute: never saved, so a saved DiReFT
 * reloads as `ReftConfig` with `subtract_projection = true` (a library bug the fixtures document).
 */
export const ReftConfig: ConfigClass = defineConfigClass({
  className: 'ReftConfig',
  extends: AdapterConfigBase,
  architecture: 'reft',
  required: ['layers', 'prefix_positions', 'suffix_positions', 'r', 'orthogonality'],
  fields: {
    tied_weights: false,
    dropout: 0.05,
    non_linearity: null,
    dtype: null,
    architecture: 'reft',
    output_reft: true,
    init_weights_seed: null,
  },
  classAttributes: { subtract_projection: true },
});

/** Python `LoReftConfig`: identifier `loreft`. */
export const LoReftConfig: ConfigClass = defineConfigClass({
  className: 'LoReftConfig',
  extends: ReftConfig,
  fields: { layers: 'all', prefix_positions: 3, suffix_positions: 0, r: 1, orthogonality: true, tied_weights: false, dtype: null },
});

/** Python `NoReftConfig`: identifier `noreft`. */
export const NoReftConfig: ConfigClass = defineConfigClass({
  className: 'NoReftConfig',
  extends: ReftConfig,
  fields: { layers: 'all', prefix_positions: 3, suffix_positions: 0, r: 1, orthogonality: false, tied_weights: false, dtype: null },
});

/** Python `DiReftConfig`: identifier `direft` (`subtract_projection = false` as a class attribute). */
export const DiReftConfig: ConfigClass = defineConfigClass({
  className: 'DiReftConfig',
  extends: ReftConfig,
  fields: { layers: 'all', prefix_positions: 3, suffix_positions: 0, r: 1, orthogonality: false, tied_weights: false, dtype: null },
  classAttributes: { subtract_projection: false },
});

/** Python `AdapterFusionConfig`: all fields required; what `AdapterFusionConfig.load` always returns. */
export const AdapterFusionConfig: ConfigClass = defineConfigClass({
  className: 'AdapterFusionConfig',
  extends: AdapterConfigBase,
  required: [
    'key',
    'query',
    'value',
    'query_before_ln',
    'regularization',
    'residual_before',
    'temperature',
    'value_before_softmax',
    'value_initialized',
    'dropout_prob',
  ],
});

/** Python `StaticAdapterFusionConfig`: fusion preset `static`. */
export const StaticAdapterFusionConfig: ConfigClass = defineConfigClass({
  className: 'StaticAdapterFusionConfig',
  extends: AdapterFusionConfig,
  fields: {
    key: true,
    query: true,
    value: false,
    query_before_ln: false,
    regularization: false,
    residual_before: false,
    temperature: false,
    value_before_softmax: true,
    value_initialized: false,
    dropout_prob: null,
  },
});

/** Python `DynamicAdapterFusionConfig`: fusion preset `dynamic` (the default). */
export const DynamicAdapterFusionConfig: ConfigClass = defineConfigClass({
  className: 'DynamicAdapterFusionConfig',
  extends: AdapterFusionConfig,
  fields: {
    key: true,
    query: true,
    value: true,
    query_before_ln: false,
    regularization: true,
    residual_before: false,
    temperature: false,
    value_before_softmax: true,
    value_initialized: true,
    dropout_prob: null,
  },
});

/** Every Python adapter config class (registration order of the built-in registry). */
export const PYTHON_CONFIG_CLASSES: readonly ConfigClass[] = Object.freeze([
  AdapterConfigBase,
  MultiTaskConfig,
  BnConfig,
  SeqBnConfig,
  CompacterPlusPlusConfig,
  SeqBnInvConfig,
  DoubleSeqBnConfig,
  CompacterConfig,
  DoubleSeqBnInvConfig,
  ParBnConfig,
  AdapterPlusConfig,
  PrefixTuningConfig,
  PromptTuningConfig,
  LoRAConfig,
  IA3Config,
  VeraConfig,
  DoRAConfig,
  DvoRAConfig,
  MTLLoRAConfig,
  ReftConfig,
  LoReftConfig,
  NoReftConfig,
  DiReftConfig,
  AdapterFusionConfig,
  StaticAdapterFusionConfig,
  DynamicAdapterFusionConfig,
]);

/** Python `AdapterConfig._get_config_class`: `architecture` value → class name (`null` = key missing or None). */
export const PYTHON_ARCHITECTURES: ReadonlyArray<readonly [string | null, string]> = Object.freeze([
  ['prefix_tuning', 'PrefixTuningConfig'],
  ['lora', 'LoRAConfig'],
  ['mtl_lora', 'MTLLoRAConfig'],
  ['prompt_tuning', 'PromptTuningConfig'],
  ['reft', 'ReftConfig'],
  [null, 'BnConfig'],
] as const);

/** A preset of one class, constructed as `ClassName(**overrides)`. */
export interface SinglePresetDefinition {
  /** Identifier used in `add_adapter(name, config=...)` and config strings. */
  readonly identifier: string;
  /** Class to instantiate. */
  readonly className: string;
  /** Constructor keyword arguments. */
  readonly overrides?: Readonly<Record<string, JsonValue>>;
  /** For deprecated identifiers: the current identifier. */
  readonly deprecatedFor?: string;
}

/** A preset union (Python `MAMConfig()`, `UniPELTConfig()`). */
export interface UnionPresetDefinition {
  /** Identifier. */
  readonly identifier: string;
  /** Class name of the union (`MAMConfig`). */
  readonly unionClassName: string;
  /** Members, each `ClassName(**overrides)`. */
  readonly members: ReadonlyArray<{ readonly className: string; readonly overrides?: Readonly<Record<string, JsonValue>> }>;
  /** Changes applied to every member afterwards with `replace` (UniPELT: `use_gating=True`). */
  readonly replaceAll?: Readonly<Record<string, JsonValue>>;
}

/** A preset definition. */
export type PresetDefinition = SinglePresetDefinition | UnionPresetDefinition;

/** Python `ADAPTER_CONFIG_MAP`, in its order (deprecated identifiers first). `DEFAULT_ADAPTER_CONFIG` is `seq_bn`. */
export const PYTHON_ADAPTER_CONFIG_PRESETS: readonly PresetDefinition[] = Object.freeze<PresetDefinition[]>([
  { identifier: 'pfeiffer', className: 'SeqBnConfig', deprecatedFor: 'seq_bn' },
  { identifier: 'houlsby', className: 'DoubleSeqBnConfig', deprecatedFor: 'double_seq_bn' },
  { identifier: 'parallel', className: 'ParBnConfig', deprecatedFor: 'par_bn' },
  { identifier: 'scaled_parallel', className: 'ParBnConfig', overrides: { scaling: 'learned' }, deprecatedFor: 'scaled_par_bn' },
  { identifier: 'pfeiffer+inv', className: 'SeqBnInvConfig', deprecatedFor: 'seq_bn_inv' },
  { identifier: 'houlsby+inv', className: 'DoubleSeqBnInvConfig', deprecatedFor: 'double_seq_bn_inv' },
  { identifier: 'seq_bn', className: 'SeqBnConfig' },
  { identifier: 'double_seq_bn', className: 'DoubleSeqBnConfig' },
  { identifier: 'par_bn', className: 'ParBnConfig' },
  { identifier: 'scaled_par_bn', className: 'ParBnConfig', overrides: { scaling: 'learned' } },
  { identifier: 'seq_bn_inv', className: 'SeqBnInvConfig' },
  { identifier: 'double_seq_bn_inv', className: 'DoubleSeqBnInvConfig' },
  { identifier: 'compacter++', className: 'CompacterPlusPlusConfig' },
  { identifier: 'compacter', className: 'CompacterConfig' },
  { identifier: 'prefix_tuning', className: 'PrefixTuningConfig' },
  { identifier: 'prefix_tuning_flat', className: 'PrefixTuningConfig', overrides: { flat: true } },
  { identifier: 'prompt_tuning', className: 'PromptTuningConfig' },
  { identifier: 'mtl_lora', className: 'MTLLoRAConfig' },
  { identifier: 'lora', className: 'LoRAConfig' },
  { identifier: 'ia3', className: 'IA3Config' },
  { identifier: 'vera', className: 'VeraConfig' },
  { identifier: 'dora', className: 'DoRAConfig' },
  { identifier: 'dvora', className: 'DvoRAConfig' },
  { identifier: 'loreft', className: 'LoReftConfig' },
  { identifier: 'noreft', className: 'NoReftConfig' },
  { identifier: 'direft', className: 'DiReftConfig' },
  {
    identifier: 'mam',
    unionClassName: 'MAMConfig',
    members: [{ className: 'PrefixTuningConfig', overrides: { bottleneck_size: 800 } }, { className: 'ParBnConfig' }],
  },
  {
    identifier: 'unipelt',
    unionClassName: 'UniPELTConfig',
    members: [
      { className: 'PrefixTuningConfig', overrides: { prefix_length: 10 } },
      { className: 'SeqBnConfig', overrides: { reduction_factor: 16 } },
      { className: 'LoRAConfig', overrides: { r: 8, alpha: 2 } },
    ],
    replaceAll: { use_gating: true },
  },
]);

/** Python `ADAPTERFUSION_CONFIG_MAP`. */
export const PYTHON_FUSION_CONFIG_PRESETS: readonly SinglePresetDefinition[] = Object.freeze([
  { identifier: 'static', className: 'StaticAdapterFusionConfig' },
  { identifier: 'dynamic', className: 'DynamicAdapterFusionConfig' },
]);

/** Python `DEFAULT_ADAPTER_CONFIG`. */
export const DEFAULT_ADAPTER_CONFIG = 'seq_bn';
/** Python `DEFAULT_ADAPTERFUSION_CONFIG`. */
export const DEFAULT_ADAPTERFUSION_CONFIG = 'dynamic';
