import { type ModelDefinition, defineModel } from '@adapters/core';
import { type DebertaConfig, parseDebertaConfig } from './config';
import { debertaForward } from './forward';
import { debertaSites } from './sites';
import { debertaWeightSpecs } from './weights';

type Base = Omit<ModelDefinition<DebertaConfig>, 'name' | 'modelTypes' | 'unsupportedConfigs' | 'parseConfig'>;

const base: Base = {
  // Python SUPPORTED_MODELS[Parallel] lists deberta and deberta-v2. (The fused v1 in_proj LoRA
  // itself accepts a single adapter only, as Python's LoRAMergedLinear.)
  compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
  basePrefix: () => 'deberta',
  info: (c) => ({
    modelType: c.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numAttentionHeads: c.numAttentionHeads,
    config: c.raw,
  }),
  sites: debertaSites,
  weightSpecs: debertaWeightSpecs,
  forward: debertaForward,
};

function parseAs(modelType: 'deberta' | 'deberta-v2') {
  return (json: Readonly<Record<string, unknown>>): DebertaConfig => parseDebertaConfig({ ...json, model_type: json.model_type ?? modelType });
}

/**
 * DeBERTa (v1, `model_type` `deberta`): fused `in_proj` (one `attn.qkv` site), `q_bias`/`v_bias`,
 * disentangled c2p/p2c attention over relative position embeddings. As Python's
 * `DebertaAdapterModel`, `dora` and `dvora` configs are rejected.
 */
export const deberta = defineModel<DebertaConfig>({
  ...base,
  name: 'deberta',
  modelTypes: ['deberta'],
  // Python: DebertaAdapterModel.not_supported_adapter_configs = ["dora", "dvora"].
  unsupportedConfigs: ['dora', 'dvora'],
  parseConfig: (json) => {
    const c = parseAs('deberta')(json);
    if (c.version !== 1) throw new Error(`the "deberta" model plugin serves model_type deberta; use debertaV2 for ${c.modelType}`);
    return c;
  },
});

/**
 * DeBERTa-v2 / v3 (`model_type` `deberta-v2`): separate `query_proj`/`key_proj`/`value_proj`,
 * log-bucketed relative positions (`position_buckets`), `share_att_key`, `norm_rel_ebd`, and the
 * optional convolution after the first layer.
 */
export const debertaV2 = defineModel<DebertaConfig>({
  ...base,
  name: 'deberta-v2',
  modelTypes: ['deberta-v2'],
  parseConfig: (json) => {
    const c = parseAs('deberta-v2')(json);
    if (c.version !== 2) throw new Error(`the "deberta-v2" model plugin serves model_type deberta-v2; use deberta for ${c.modelType}`);
    return c;
  },
});
