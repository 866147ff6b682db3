import { type JsonValue, pyFloat } from '@adapters/core';
import type { TargetModules } from './target-modules';

/** PEFT `TaskType` values (`task_type` in `adapter_config.json`). */
export type PeftTaskType = 'SEQ_CLS' | 'SEQ_2_SEQ_LM' | 'CAUSAL_LM' | 'TOKEN_CLS' | 'QUESTION_ANS' | 'FEATURE_EXTRACTION';

/** Task types whose PEFT model wraps a `<Model>For<Task>` class, so module names carry the base prefix (`bert.`). */
export const PREFIXED_TASK_TYPES: readonly PeftTaskType[] = ['SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'CAUSAL_LM'];

/** Fields shared by every PEFT config (`PeftConfig`). */
export interface PeftBaseFields {
  baseModelNameOrPath: string | null;
  taskType: PeftTaskType | null;
  targetModules: TargetModules;
  layersToTransform: number[] | null;
  fanInFanOut: boolean;
}

function base(f: PeftBaseFields, peftType: string): Record<string, JsonValue> {
  return {
    auto_mapping: null,
    base_model_name_or_path: f.baseModelNameOrPath,
    fan_in_fan_out: f.fanInFanOut,
    inference_mode: true,
    modules_to_save: null,
    peft_type: peftType,
    revision: null,
    target_modules: typeof f.targetModules === 'string' ? f.targetModules : [...f.targetModules],
    task_type: f.taskType,
  };
}

/** A PEFT `LoraConfig` dict with the long-standing fields (`r`, `lora_alpha`, `lora_dropout`, `bias="none"`, …). */
export function peftLoraConfig(f: PeftBaseFields & { r: number; loraAlpha: number; loraDropout: number }): Record<string, JsonValue> {
  return {
    ...base(f, 'LORA'),
    alpha_pattern: {},
    bias: 'none',
    init_lora_weights: true,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: f.layersToTransform,
    loftq_config: {},
    lora_alpha: Number.isInteger(f.loraAlpha) ? f.loraAlpha : pyFloat(f.loraAlpha),
    lora_dropout: pyFloat(f.loraDropout),
    megatron_config: null,
    megatron_core: 'megatron.core',
    r: f.r,
    rank_pattern: {},
    use_dora: false,
    use_rslora: false,
  };
}

/** A PEFT `IA3Config` dict (no feed-forward modules: adapters' (IA)³ scales outputs only). */
export function peftIa3Config(f: Omit<PeftBaseFields, 'layersToTransform'>): Record<string, JsonValue> {
  return { ...base({ ...f, layersToTransform: null }, 'IA3'), feedforward_modules: [], init_ia3_weights: true };
}
