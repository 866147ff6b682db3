import {
  ADAPTER_FILES,
  ADAPTERS_VERSION,
  AdapterConfigError,
  AdapterFormatError,
  type JsonValue,
  type LinearSite,
  type ModelDefinition,
  type RawTensor,
  type Storage,
  configToDict,
  joinPath,
  pyFloat,
  pyTruthy,
  pythonJsonDumps,
  resolveAdapterConfig,
  serializeSafetensors,
  toNumber,
  utf8,
} from '@adapters/core';
import { adapterModelClassName } from '@adapters/heads';
import { type HeadFiles, peftHeadToAdapters } from './head-conversion';
import { type ModelRef, modelRef, siteByPath } from './model-ref';
import { parsePeftKey, readPeft, type PeftCheckpoint } from './peft-files';
import { type TargetModules, matchesTarget } from './target-modules';

/** Options of {@link peftToAdapters}. */
export interface PeftToAdaptersOptions {
  /** The base model's `config.json` (required: maps module names to adapters' locations and sizes). */
  modelConfig: Readonly<Record<string, unknown>>;
  /** Model plugin (default: the registered one serving `model_type`). */
  model?: ModelDefinition<unknown>;
  /** Adapter name (default `"default"`, PEFT's adapter name). */
  name?: string;
  /** `model_class` written to `adapter_config.json` (default `<Model>AdapterModel`). */
  modelClass?: string;
  /** `model_name` (default: PEFT's `base_model_name_or_path`, else the `config.json` `_name_or_path`). */
  modelName?: string;
}

/** An adapters folder in memory. */
export interface AdaptersFiles {
  readonly name: string;
  /** `adapter_config.json` text (Python format). */
  readonly configJson: string;
  /** `adapter.safetensors` tensors. */
  readonly tensors: Map<string, RawTensor>;
  /** Head files when the PEFT checkpoint carried a task head in `modules_to_save`. */
  readonly head: HeadFiles | null;
}

const LORA_PARAMS = ['lora_A.weight', 'lora_B.weight', 'ia3_l'];
const ATTN_KEY: Partial<Record<LinearSite['point'], string>> = { 'attn.q': 'q', 'attn.k': 'k', 'attn.v': 'v' };

/** Normalises keys that still carry the adapter name (`lora_A.default.weight`, `ia3_l.default`). */
function dropAdapterName(key: string): string {
  return key.replace(/\.(lora_[AB])\.[^.]+\.weight$/, '.$1.weight').replace(/\.ia3_l\.[^.]+$/, '.ia3_l');
}

/** adapters' LoRA location flags for a set of targeted sites; throws where they cannot express the set. */
function locations(ref: ModelRef, sites: readonly LinearSite[]): Record<string, JsonValue> {
  const matrices = new Set<string>();
  let intermediate = false;
  let output = false;
  for (const s of sites) {
    const k = ATTN_KEY[s.point];
    if (k) matrices.add(k);
    else if (s.point === 'ffn.up') intermediate = true;
    else if (s.point === 'ffn.down') output = true;
    else throw new AdapterConfigError(`${s.path} (${s.point}): adapters' LoRA targets only q/k/v, the FFN up (intermediate) and down (output) projections`, 'target_modules');
  }
  const layers = new Set(sites.map((s) => s.layer));
  const leaveOut = Array.from({ length: ref.numLayers }, (_, i) => i).filter((i) => !layers.has(i));
  // adapters places the same modules in every layer not left out: check the set is of that form.
  const have = new Set(sites.map((s) => s.path));
  for (const s of ref.linearSites) {
    if (!layers.has(s.layer)) continue;
    const k = ATTN_KEY[s.point];
    const wanted = k ? matrices.has(k) : s.point === 'ffn.up' ? intermediate : s.point === 'ffn.down' ? output : false;
    if (wanted && !have.has(s.path)) {
      throw new AdapterConfigError(`PEFT adapts ${[...matrices, ...(intermediate ? ['ffn.up'] : []), ...(output ? ['ffn.down'] : [])].join('/')} but not ${s.path}; adapters needs the same modules in every adapted layer`, 'target_modules');
    }
  }
  const order = ['q', 'k', 'v'].filter((m) => matrices.has(m));
  return { selfattn_lora: order.length > 0, intermediate_lora: intermediate, output_lora: output, attn_matrices: order, leave_out: leaveOut };
}

/**
 * Converts a PEFT LoRA or IA3 checkpoint to an adapters adapter. LoRA: `r`, `lora_alpha` (with
 * `use_rslora` folded into `alpha = lora_alpha·√r`), `lora_dropout`, targets → `attn_matrices` /
 * `intermediate_lora` / `output_lora` / `leave_out`; IA3: `ia3_l` `[out, 1]` → `lora_B` with
 * `alpha = 1`. A task head in `modules_to_save` (SEQ_CLS, TOKEN_CLS, QUESTION_ANS) becomes a flex
 * head of the same name. Anything else throws {@link AdapterConfigError} naming the field.
 */
export function peftToAdaptersFiles(peft: PeftCheckpoint, opts: PeftToAdaptersOptions): AdaptersFiles {
  const ref = modelRef(opts.modelConfig, opts.model);
  const cfg = peft.config;
  const type = String(cfg.peft_type);
  if (type !== 'LORA' && type !== 'IA3') {
    throw new AdapterConfigError(`PEFT type ${type} does not convert to adapters (LORA and IA3 do)`, 'peft_type');
  }
  const name = opts.name ?? 'default';
  const check = (field: string, ok: boolean, why: string): void => {
    if (!ok) throw new AdapterConfigError(`${why}; adapters has no equivalent`, field);
  };
  if (type === 'LORA') {
    check('bias', (cfg.bias ?? 'none') === 'none', `bias="${String(cfg.bias)}" trains base-model biases`);
    check('use_dora', !pyTruthy(cfg.use_dora ?? false), 'DoRA checkpoints store magnitudes of W + ΔW');
    check('lora_bias', !pyTruthy(cfg.lora_bias ?? false), 'lora_bias adds a bias to lora_B');
    check('rank_pattern', Object.keys((cfg.rank_pattern ?? {}) as object).length === 0, 'per-module ranks (rank_pattern)');
    check('alpha_pattern', Object.keys((cfg.alpha_pattern ?? {}) as object).length === 0, 'per-module alphas (alpha_pattern)');
    check('layer_replication', (cfg.layer_replication ?? null) === null, 'layer_replication changes the model');
  }
  const ffn = cfg.feedforward_modules;
  const sites = new Map<string, LinearSite>();
  const tensors = new Map<string, RawTensor>();
  const rest = new Map<string, RawTensor>();
  let r = 0;
  for (const [rawKey, t] of peft.tensors) {
    const parsed = parsePeftKey(dropAdapterName(rawKey), LORA_PARAMS);
    if (!parsed) {
      rest.set(rawKey, t);
      continue;
    }
    const site = siteByPath(ref, parsed.module);
    if (!site) throw new AdapterConfigError(`${parsed.module} is not a linear layer of the ${ref.modelType} model`, 'target_modules');
    sites.set(site.path, site);
    const base = `${site.path}.loras.${name}`;
    if (parsed.param === 'ia3_l') {
      if (type !== 'IA3') throw new AdapterFormatError(rawKey, 'ia3_l in a LORA checkpoint');
      const isFfn = t.shape[0] === 1 && t.shape[1] === site.inFeatures && site.inFeatures !== 1;
      const listed = typeof ffn === 'string' || Array.isArray(ffn) ? matchesTarget(parsed.module, ffn as TargetModules) : false;
      check('feedforward_modules', !isFfn && !listed, `${site.path} is a feed-forward IA3 module (scales its input, [1, in])`);
      tensors.set(`${base}.lora_B`, t);
    } else {
      tensors.set(`${base}.${parsed.param === 'lora_A.weight' ? 'lora_A' : 'lora_B'}`, t);
      if (parsed.param === 'lora_A.weight') r = t.shape[0]!;
    }
  }
  if (sites.size === 0) throw new AdapterFormatError('<peft>', 'no LoRA / IA3 weights found');
  const head = peftHeadToAdapters(rest, cfg, ref, name, opts.modelName ?? modelNameOf(peft, opts));
  const loc = locations(ref, [...sites.values()]);
  let dict: Record<string, unknown>;
  if (type === 'LORA') {
    const rank = Number(toNumber(cfg.r) ?? r);
    const loraAlpha = Number(toNumber(cfg.lora_alpha) ?? 8);
    const alpha = pyTruthy(cfg.use_rslora ?? false) ? loraAlpha * Math.sqrt(rank) : loraAlpha;
    dict = {
      architecture: 'lora',
      ...loc,
      r: rank,
      alpha: Number.isInteger(alpha) ? alpha : pyFloat(alpha),
      dropout: pyFloat(Number(toNumber(cfg.lora_dropout) ?? 0)),
      composition_mode: 'add',
      init_weights: 'lora',
    };
  } else {
    dict = { architecture: 'lora', ...loc, r: 1, alpha: 1, dropout: pyFloat(0), composition_mode: 'scale', init_weights: 'ia3' };
  }
  const config = resolveAdapterConfig(dict);
  const full = {
    config: configToDict(config),
    hidden_size: ref.hiddenSize,
    model_class: opts.modelClass ?? adapterModelClassName(ref.modelType),
    model_name: opts.modelName ?? modelNameOf(peft, opts),
    model_type: ref.modelType,
    name,
    version: ADAPTERS_VERSION,
  };
  return { name, configJson: pythonJsonDumps(full, { indent: 2, sortKeys: true }), tensors, head };
}

function modelNameOf(peft: PeftCheckpoint, opts: PeftToAdaptersOptions): string {
  const b = peft.config.base_model_name_or_path;
  if (typeof b === 'string' && b) return b;
  return String(opts.modelConfig._name_or_path ?? opts.modelConfig.model_type ?? '');
}

/**
 * `adapters convert --from peft --to adapters`: reads a PEFT folder and writes an adapters folder
 * (`adapter_config.json` + `adapter.safetensors`, plus `head_config.json` + `model_head.safetensors`
 * when the checkpoint carried a task head). Returns the adapter name.
 */
export async function peftToAdapters(storage: Storage, dirIn: string, dirOut: string, opts: PeftToAdaptersOptions): Promise<string> {
  const files = peftToAdaptersFiles(await readPeft(storage, dirIn), opts);
  await storage.mkdir(dirOut);
  await storage.writeFile(joinPath(dirOut, ADAPTER_FILES.weights), serializeSafetensors(files.tensors, null));
  await storage.writeFile(joinPath(dirOut, ADAPTER_FILES.config), utf8.encode(files.configJson));
  if (files.head) {
    await storage.writeFile(joinPath(dirOut, ADAPTER_FILES.headWeights), serializeSafetensors(files.head.tensors, null));
    await storage.writeFile(joinPath(dirOut, ADAPTER_FILES.headConfig), utf8.encode(files.head.configJson));
  }
  return files.name;
}
