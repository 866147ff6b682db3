import {
  ADAPTER_FILES,
  AdapterConfigError,
  AdapterFormatError,
  type JsonValue,
  type ModelDefinition,
  type RawTensor,
  type Storage,
  configMembers,
  configValue,
  float32ToRaw,
  joinPath,
  rawToFloat32,
  readJson,
  readWeights,
  registeredModels,
  resolveAdapterConfig,
  toNumber,
} from '@adapters/core';
import { type ModelRef, fanInFanOut, modelRef } from './model-ref';
import { type PeftTaskType, PREFIXED_TASK_TYPES, peftIa3Config, peftLoraConfig } from './peft-config';
import { PEFT_KEY_PREFIX, type PeftCheckpoint, writePeft } from './peft-files';
import { targetModulesFor } from './target-modules';

/** Options of {@link adaptersToPeft}. */
export interface AdaptersToPeftOptions {
  /**
   * The base model's `config.json`: lets `target_modules` be written as names (`["query",
   * "value"]`, + `layers_to_transform`) instead of an exact regex, and fixes the base prefix.
   */
  modelConfig?: Readonly<Record<string, unknown>>;
  /** Model plugin (default: the registered one serving `model_type`). */
  model?: ModelDefinition<unknown>;
  /** PEFT `task_type` (default null). SEQ_CLS, TOKEN_CLS, QUESTION_ANS and CAUSAL_LM prefix module names with the base prefix (`bert.`). */
  taskType?: PeftTaskType | null;
  /** Force (true) or omit (false) the base prefix in module names, overriding the task-type rule. */
  basePrefix?: boolean;
  /** `base_model_name_or_path` (default: the adapter's `model_name`). */
  baseModelNameOrPath?: string | null;
}

/** A parsed adapters LoRA-family key: `<module>.loras.<name>.<param>`. */
function parseAdaptersKey(key: string, name: string): { module: string; param: string } | null {
  const seg = `.loras.${name}.`;
  const i = key.indexOf(seg);
  if (i < 0) return null;
  return { module: key.slice(0, i), param: key.slice(i + seg.length) };
}

function scaled(raw: RawTensor, factor: number, key: string): RawTensor {
  if (factor === 1) return raw;
  const x = rawToFloat32(raw, { file: '<adapter>', key });
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * factor;
  return float32ToRaw(y, raw.shape);
}

function tryRef(modelType: string, opts: AdaptersToPeftOptions): ModelRef | null {
  if (opts.modelConfig) return modelRef(opts.modelConfig, opts.model);
  const def = opts.model ?? registeredModels().find((m) => m.modelTypes.includes(modelType));
  if (!def) return null;
  try {
    // Default sizes: enough for the base prefix; the layer count is unknown, so targets use a regex.
    return { ...modelRef({ model_type: modelType }, def), numLayers: -1 };
  } catch {
    return null;
  }
}

/**
 * Converts an adapters LoRA or (IA)³ adapter (`adapter_config.json` object + tensors) to a PEFT
 * checkpoint: keys `base_model.model.<module>.lora_A.weight` `[r, in]` / `.lora_B.weight`
 * `[out, r]`, or `<module>.ia3_l` `[out, 1]` (adapters' `alpha` folded in). Throws
 * {@link AdapterConfigError} naming the field for what PEFT cannot express (gating, DoRA, VeRA,
 * MTL-LoRA, config unions).
 */
export function adaptersToPeftCheckpoint(
  adapterJson: Readonly<Record<string, unknown>>,
  tensors: ReadonlyMap<string, RawTensor>,
  opts: AdaptersToPeftOptions = {},
): PeftCheckpoint {
  const name = String(adapterJson.name ?? '');
  const modelType = String(adapterJson.model_type ?? '');
  const config = resolveAdapterConfig(adapterJson.config as Record<string, unknown>);
  const members = configMembers(config);
  if (members.length !== 1) throw new AdapterConfigError('PEFT has no config unions; convert each member separately', 'architecture');
  const c = members[0]!;
  if (configValue(c, 'architecture') !== 'lora') {
    throw new AdapterConfigError(`only LoRA and (IA)³ adapters convert to PEFT, not ${c.className}`, 'architecture');
  }
  for (const [field, ok] of [
    ['use_gating', !configValue(c, 'use_gating')],
    ['use_dora', !configValue(c, 'use_dora')],
    ['vera_d', (configValue(c, 'vera_d') ?? null) === null && (configValue(c, 'vera_b') ?? null) === null],
    ['n_up_projection', configValue(c, 'n_up_projection') === undefined],
  ] as const) {
    if (!ok) throw new AdapterConfigError(`${c.className} with ${field} has no PEFT equivalent`, field);
  }
  const isIa3 = configValue(c, 'composition_mode') === 'scale';
  const alpha = Number(toNumber(configValue(c, 'alpha')));
  const r = Number(toNumber(configValue(c, 'r')));
  const ref = tryRef(modelType, opts);
  const stripPrefix = ref ? `${ref.basePrefix}.` : null;
  const usePrefix = opts.basePrefix ?? (opts.taskType ? PREFIXED_TASK_TYPES.includes(opts.taskType) : false);
  if (usePrefix && !ref) throw new AdapterConfigError(`the base prefix of model_type "${modelType}" is unknown: register its model package or pass modelConfig`, 'model_type');
  const out = new Map<string, RawTensor>();
  const modules = new Set<string>();
  for (const [key, raw] of tensors) {
    const parsed = parseAdaptersKey(stripPrefix && key.startsWith(stripPrefix) ? key.slice(stripPrefix.length) : key, name);
    if (!parsed) continue;
    modules.add(parsed.module);
    const m = `${PEFT_KEY_PREFIX}${usePrefix ? `${ref!.basePrefix}.` : ''}${parsed.module}`;
    if (isIa3 && parsed.param === 'lora_B') out.set(`${m}.ia3_l`, scaled(raw, alpha, key));
    else if (!isIa3 && (parsed.param === 'lora_A' || parsed.param === 'lora_B')) out.set(`${m}.${parsed.param}.weight`, raw);
    else throw new AdapterConfigError(`parameter ${key} has no PEFT equivalent`, parsed.param);
  }
  if (modules.size === 0) throw new AdapterFormatError('<adapter>', `no LoRA weights of adapter "${name}" found`);
  const fullRef = ref && ref.numLayers >= 0 ? ref : null;
  const targets = targetModulesFor([...modules], fullRef, { allowLayersToTransform: !isIa3 });
  const common = {
    baseModelNameOrPath: opts.baseModelNameOrPath === undefined ? ((adapterJson.model_name as string | undefined) ?? null) : opts.baseModelNameOrPath,
    taskType: opts.taskType ?? null,
    targetModules: targets.targetModules,
    fanInFanOut: fanInFanOut(modelType),
  };
  const peftConfig: Record<string, JsonValue> = isIa3
    ? peftIa3Config(common)
    : peftLoraConfig({
        ...common,
        layersToTransform: targets.layersToTransform,
        r,
        loraAlpha: alpha,
        loraDropout: Number(toNumber(configValue(c, 'dropout')) ?? 0),
      });
  return { config: peftConfig, tensors: out };
}

/**
 * `adapters convert --from adapters --to peft`: reads an adapters folder (`adapter_config.json` +
 * `adapter.safetensors` / `pytorch_adapter.bin`) and writes a PEFT folder (`adapter_config.json`
 * + `adapter_model.safetensors`). Returns the PEFT checkpoint written.
 */
export async function adaptersToPeft(storage: Storage, dirIn: string, dirOut: string, opts: AdaptersToPeftOptions = {}): Promise<PeftCheckpoint> {
  const configPath = joinPath(dirIn, ADAPTER_FILES.config);
  const json = await readJson(storage, configPath, { python: true });
  if (typeof json.peft_type === 'string') throw new AdapterFormatError(configPath, 'this is a PEFT folder; convert it with peftToAdapters', 'peft_type');
  const tensors = await readWeights(storage, dirIn, ADAPTER_FILES.weights, ADAPTER_FILES.weightsBin);
  const ckpt = adaptersToPeftCheckpoint(json, tensors, opts);
  await writePeft(storage, dirOut, ckpt);
  return ckpt;
}
