import {
  AdapterFormatError,
  type JsonValue,
  type RawTensor,
  type Storage,
  joinPath,
  parseWeightsFile,
  pythonJsonDumps,
  readJson,
  serializeSafetensors,
  utf8,
} from '@adapters/core';

/** PEFT's file names (`peft.utils.constants`). */
export const PEFT_FILES = {
  config: 'adapter_config.json',
  weights: 'adapter_model.safetensors',
  weightsBin: 'adapter_model.bin',
} as const;

/** Every PEFT state-dict key starts with this (the `PeftModel` → tuner → model wrappers). */
export const PEFT_KEY_PREFIX = 'base_model.model.';

/** A PEFT checkpoint in memory: `adapter_config.json` (Python types kept) and the raw tensors. */
export interface PeftCheckpoint {
  readonly config: Record<string, JsonValue>;
  readonly tensors: Map<string, RawTensor>;
}

/** True when `config` is a PEFT `adapter_config.json` (it has `peft_type`), not an adapters one. */
export function isPeftConfig(config: Readonly<Record<string, unknown>>): boolean {
  return typeof config.peft_type === 'string';
}

/** Reads a PEFT folder: `adapter_config.json` + `adapter_model.safetensors` (or `adapter_model.bin`). */
export async function readPeft(storage: Storage, dir: string): Promise<PeftCheckpoint> {
  const configPath = joinPath(dir, PEFT_FILES.config);
  const config = (await readJson(storage, configPath, { python: true })) as Record<string, JsonValue>;
  if (!isPeftConfig(config)) throw new AdapterFormatError(configPath, 'not a PEFT config (no "peft_type"); adapters folders convert with adaptersToPeft', 'peft_type');
  for (const f of [PEFT_FILES.weights, PEFT_FILES.weightsBin]) {
    const p = joinPath(dir, f);
    if (await storage.exists(p)) return { config, tensors: parseWeightsFile(await storage.readFile(p), p) };
  }
  throw new AdapterFormatError(dir, `no ${PEFT_FILES.weights} or ${PEFT_FILES.weightsBin} found`);
}

/**
 * Writes a PEFT folder as `save_pretrained` does: `adapter_config.json` (indent 2, sorted keys)
 * and `adapter_model.safetensors` with `{"format": "pt"}` metadata.
 */
export async function writePeft(storage: Storage, dir: string, ckpt: PeftCheckpoint): Promise<void> {
  await storage.mkdir(dir);
  await storage.writeFile(joinPath(dir, PEFT_FILES.weights), serializeSafetensors(ckpt.tensors, { format: 'pt' }));
  await storage.writeFile(joinPath(dir, PEFT_FILES.config), utf8.encode(pythonJsonDumps(ckpt.config, { indent: 2, sortKeys: true })));
}

/** Splits `base_model.model.<module>.<param>` into the module path and the PEFT parameter name. */
export function parsePeftKey(key: string, params: readonly string[]): { module: string; param: string } | null {
  const k = key.startsWith(PEFT_KEY_PREFIX) ? key.slice(PEFT_KEY_PREFIX.length) : key;
  for (const p of params) if (k.endsWith(`.${p}`)) return { module: k.slice(0, -p.length - 1), param: p };
  return null;
}
