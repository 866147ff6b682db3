/**
 * Validation of the fields of the Python config classes (`LoRAConfig`, `BnConfig`,
 * `PrefixTuningConfig`, `PromptTuningConfig`, `ReftConfig` and their subclasses, defined in core as
 * data): wrong types and impossible values throw an {@link AdapterConfigError} naming the class,
 * field and value, before any parameter is allocated. Runs in `AdapterModel.addAdapter` (with the
 * model, so layer indices and sizes are checked too); method packages add the checks of their
 * implementation (activation names, PHM divisibility, …) through `AdapterMethod.validate`.
 *
 * Python comparison (adapters 1.1/1.2) — rejected here although Python accepts silently:
 * - LoRA `alpha <= 0` (Python: scaling `alpha / r` <= 0 disables or inverts the update);
 * - `attn_matrices` entries other than `q`, `k`, `v` (Python: never match, silently ignored);
 * - `leave_out` entries outside `[0, layers)` (Python: never match, silently ignored);
 * - `dropout == 1` (torch zeroes everything; tfjs dropout rejects rate 1 at training time);
 * - negative `reduction_factor` (Python clamps the bottleneck to 1 unit);
 * - LoRA `r` above the largest projection size of the model, and bottlenecks more than
 *   {@link MAX_BOTTLENECK_EXPANSION}× wider than the hidden size (sanity bounds: such configs only
 *   allocate huge, useless tensors; a hostile file could use them to exhaust memory).
 * Rejected like Python (which fails with ValueError/ZeroDivisionError/torch errors): `r <= 0` or
 * non-integer, `reduction_factor == 0`, unknown `composition_mode`, `init_weights`, `inv_adapter`,
 * `composition_mode: "scale"` with `r != 1` or with dropout, non-positive prefix/prompt lengths.
 * Warned, as Python silently clamps it: a `reduction_factor` larger than the hidden size (the
 * bottleneck becomes 1 unit).
 */
import {
  type AdapterConfig,
  type AnyAdapterConfig,
  BnConfig,
  type ConfigClass,
  type JsonValue,
  LoRAConfig,
  PrefixTuningConfig,
  PromptTuningConfig,
  ReftConfig,
  type WarnFn,
  configMembers,
  isSubclassOf,
  configValue,
  defaultWarn,
  isJsonObject,
  isPythonFloat,
  toNumber,
} from './config';
import type { ModelInfo } from './define-model';
import { AdapterConfigError } from './errors';

/** Largest accepted bottleneck size relative to the hidden size (`reduction_factor >= 1/16`). */
export const MAX_BOTTLENECK_EXPANSION = 16;

/** Options of {@link validateAdapterConfig}. */
export interface ValidateConfigOptions {
  /** Receives warnings for values Python accepts but that are probably mistakes (default `console.warn`). */
  warn?: WarnFn;
  /** Number of layers indexed by `leave_out` (default `model.numLayers`). */
  layerCount?: number;
}

/** A short rendering of a config value for messages (long values are cut). */
function show(v: JsonValue | undefined): string {
  const s = v === undefined ? 'undefined' : isPythonFloat(v) ? String(toNumber(v)) : (JSON.stringify(v) ?? String(v));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** One config member being checked: reads fields and fails naming them. */
class FieldChecker {
  constructor(private readonly c: AdapterConfig) {}

  get className(): string {
    return this.c.className;
  }

  fail(field: string, message: string): never {
    throw new AdapterConfigError(`${this.c.className}.${field} = ${show(configValue(this.c, field))}: ${message}`, field);
  }

  value(field: string): JsonValue | undefined {
    return configValue(this.c, field);
  }

  /** A Python int (not a float, not a bool) within bounds; `null` allowed when `nullable`. */
  int(field: string, min: number, opts: { nullable?: boolean } = {}): number | null {
    const v = this.value(field);
    if (v === undefined || (v === null && opts.nullable)) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || isPythonFloat(v)) this.fail(field, `expected an integer >= ${min}`);
    if (v < min) this.fail(field, `must be an integer >= ${min}`);
    return v;
  }

  /** A finite int or float; `null` allowed when `nullable`. */
  num(field: string, opts: { nullable?: boolean } = {}): number | null {
    const v = this.value(field);
    if (v === undefined || (v === null && opts.nullable)) return null;
    const n = typeof v === 'boolean' ? undefined : toNumber(v);
    if (n === undefined || !Number.isFinite(n)) this.fail(field, 'expected a finite number');
    return n;
  }

  /** A dropout probability in [0, 1). */
  probability(field: string): void {
    const p = this.num(field, { nullable: true });
    if (p !== null && !(p >= 0 && p < 1)) this.fail(field, 'must be a probability in [0, 1)');
  }

  oneOf(field: string, allowed: readonly (string | null)[]): void {
    const v = this.value(field);
    if (v === undefined) return;
    if (!allowed.includes(v as string | null)) this.fail(field, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  stringOrNull(field: string): void {
    const v = this.value(field);
    if (v !== undefined && v !== null && typeof v !== 'string') this.fail(field, 'expected a string or null');
  }

  /** `leave_out`: a list of layer indices in [0, layers). */
  layerList(field: string, layers: number | undefined): void {
    const v = this.value(field);
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) this.fail(field, 'expected a list of layer indices');
    for (const x of v) {
      if (typeof x !== 'number' || !Number.isInteger(x) || isPythonFloat(x)) this.fail(field, `entry ${show(x)} is not an integer layer index`);
      if (x < 0 || (layers !== undefined && x >= layers)) {
        this.fail(field, `layer index ${x} is outside [0, ${layers ?? '∞'})${layers !== undefined ? ` for this model of ${layers} layers` : ''}`);
      }
    }
  }
}

/** The largest input/output size of a projection of the model (bounds a useful LoRA rank). */
function largestProjection(model: ModelInfo): number {
  const cfg = model.config;
  const sizes = [model.hiddenSize];
  for (const k of ['intermediate_size', 'n_inner', 'ffn_dim', 'd_ff', 'dim_feedforward']) {
    const v = cfg[k];
    if (typeof v === 'number' && Number.isFinite(v)) sizes.push(v);
  }
  // No feed-forward size in the config (e.g. GPT-2's n_inner: null): the usual 4 × hidden.
  if (sizes.length === 1) sizes.push(4 * model.hiddenSize);
  return Math.max(...sizes);
}

function validateLora(f: FieldChecker, model: ModelInfo | undefined): void {
  const r = f.int('r', 1);
  if (r !== null && model && r > largestProjection(model)) {
    f.fail('r', `exceeds the largest projection size (${largestProjection(model)}) of this model: the rank of the update cannot exceed min(in, out)`);
  }
  const alpha = f.num('alpha');
  if (alpha !== null && alpha <= 0) f.fail('alpha', 'must be > 0 (scaling = alpha / r; Python accepts it silently and the adapter does nothing or the opposite)');
  f.probability('dropout');
  const matrices = f.value('attn_matrices');
  if (matrices !== undefined && matrices !== null) {
    if (!Array.isArray(matrices)) f.fail('attn_matrices', 'expected a list of "q", "k", "v"');
    for (const m of matrices) if (m !== 'q' && m !== 'k' && m !== 'v') f.fail('attn_matrices', `entry ${show(m)} is not one of "q", "k", "v"`);
  }
  f.oneOf('composition_mode', ['add', 'scale']);
  if (f.value('composition_mode') === 'scale') {
    if (r !== null && r !== 1) f.fail('r', 'composition_mode "scale" ((IA)³) needs r = 1 (Python: "Can only use composition_mode=\'scale\' when r == 1.")');
    const p = f.num('dropout', { nullable: true });
    if (p !== null && p > 0) f.fail('dropout', '(IA)³ (composition_mode "scale") does not support dropout (Python raises the same)');
  }
  f.oneOf('init_weights', ['lora', 'bert', 'ia3', 'vera']);
  f.num('vera_d', { nullable: true });
  f.num('vera_b', { nullable: true });
}

function validateBottleneck(f: FieldChecker, model: ModelInfo | undefined, warn: WarnFn): void {
  const rf = f.value('reduction_factor');
  const factors: [string, JsonValue | undefined][] = isJsonObject(rf) ? Object.entries(rf) : [['', rf]];
  for (const [key, x] of factors) {
    const n = typeof x === 'boolean' ? undefined : toNumber(x);
    const where = key ? ` (entry "${key}")` : '';
    if (n === undefined || !Number.isFinite(n)) f.fail('reduction_factor', `expected a positive number or a mapping of them${where}`);
    if (n <= 0) f.fail('reduction_factor', `must be > 0${where} (0 divides by zero in Python; a negative factor is clamped to a 1-unit bottleneck)`);
    if (!model) continue;
    const size = Math.floor(model.hiddenSize / n);
    if (size > MAX_BOTTLENECK_EXPANSION * model.hiddenSize) {
      f.fail('reduction_factor', `gives a bottleneck of ${size} units${where}, more than ${MAX_BOTTLENECK_EXPANSION}× the hidden size ${model.hiddenSize}`);
    }
    if (size < 1) {
      warn(`${f.className}.reduction_factor ${n}${where} exceeds the hidden size ${model.hiddenSize}: the bottleneck is clamped to 1 unit (as in Python)`);
    }
  }
  f.stringOrNull('non_linearity');
  f.probability('dropout');
  f.oneOf('inv_adapter', [null, 'nice', 'glow']);
  if (f.value('inv_adapter')) {
    const irf = f.num('inv_adapter_reduction_factor', { nullable: true });
    if (irf !== null && irf <= 0) f.fail('inv_adapter_reduction_factor', 'must be > 0');
  }
  if (f.value('phm_layer') === true) {
    f.int('phm_dim', 1);
    f.int('phm_rank', 1);
  }
}

function validateSingle(c: AdapterConfig, model: ModelInfo | undefined, opts: ValidateConfigOptions): void {
  const f = new FieldChecker(c);
  const layers = opts.layerCount ?? model?.numLayers;
  const is = (cls: ConfigClass): boolean => isSubclassOf(c.configClass, cls);
  f.layerList('leave_out', layers);
  // Rules of the Python config classes (defined in core as data), not of any method plugin.
  if (is(LoRAConfig)) validateLora(f, model);
  else if (is(BnConfig)) validateBottleneck(f, model, opts.warn ?? defaultWarn);
  else if (is(PrefixTuningConfig)) {
    f.int('prefix_length', 1);
    f.int('bottleneck_size', 1);
    f.probability('dropout');
    f.stringOrNull('non_linearity');
  } else if (is(PromptTuningConfig)) {
    f.int('prompt_length', 1);
    f.oneOf('prompt_init', ['random_uniform', 'from_string']);
    f.oneOf('combine', ['prefix', 'prefix_after_bos']);
  } else if (is(ReftConfig)) {
    f.int('r', 1);
    f.int('prefix_positions', 0);
    f.int('suffix_positions', 0);
    f.probability('dropout');
    f.stringOrNull('non_linearity');
    if (configValue(c, 'layers') !== 'all') f.layerList('layers', layers);
  }
}

/**
 * Validates every member of `config` (a union's members one by one). With `model`, also checks
 * values that depend on it: `leave_out` indices against the layer count, LoRA `r` and bottleneck
 * sizes against the model's dimensions.
 * @throws AdapterConfigError naming the config class, the field and its value.
 */
export function validateAdapterConfig(config: AnyAdapterConfig, model?: ModelInfo, opts: ValidateConfigOptions = {}): void {
  for (const member of configMembers(config)) validateSingle(member, model, opts);
}
