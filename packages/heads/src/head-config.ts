import { AdapterConfigError, type JsonValue, type ModelInfo, pyFloat, pyTruthy, toNumber } from '@adapters/core';

/** The head types of Python's `MODEL_HEAD_MAP` that this package implements. */
export type HeadType =
  | 'classification'
  | 'multilabel_classification'
  | 'tagging'
  | 'multiple_choice'
  | 'question_answering'
  | 'masked_lm'
  | 'causal_lm'
  | 'image_classification';

/** Every implemented head type. */
export const HEAD_TYPES: readonly HeadType[] = [
  'classification',
  'multilabel_classification',
  'tagging',
  'multiple_choice',
  'question_answering',
  'masked_lm',
  'causal_lm',
  'image_classification',
];

/** A head's config exactly as Python keeps it (`PredictionHead.config`), written to `head_config.json`. */
export type HeadConfig = Record<string, JsonValue>;

/** `id2label` maps as Python accepts them: `{0: "neg", 1: "pos"}`. */
export type Id2Label = Readonly<Record<number, string>>;

/** Constructor keyword arguments of each Python head class with their defaults (in Python's order). */
const CLASS_PARAMS: Record<HeadType, Readonly<Record<string, JsonValue>>> = {
  classification: { num_labels: 2, layers: 2, activation_function: 'tanh', use_pooler: false, bias: true, dropout_prob: null },
  multilabel_classification: { num_labels: 2, layers: 2, activation_function: 'tanh', use_pooler: false, bias: true, dropout_prob: null },
  multiple_choice: { num_choices: 2, layers: 2, activation_function: 'tanh', use_pooler: false, dropout_prob: null },
  tagging: { num_labels: 2, layers: 1, activation_function: 'tanh', dropout_prob: null },
  question_answering: { num_labels: 2, layers: 1, activation_function: 'tanh', dropout_prob: null },
  image_classification: {
    num_labels: 2,
    layers: 2,
    activation_function: 'tanh',
    multilabel: false,
    use_pooler: false,
    bias: true,
    dropout_prob: null,
  },
  causal_lm: {
    vocab_size: null,
    embedding_size: null,
    layers: 1,
    activation_function: null,
    layer_norm: false,
    bias: false,
    shift_labels: true,
    dropout_prob: null,
  },
  masked_lm: { vocab_size: null, embedding_size: null, layers: 2, activation_function: 'gelu', layer_norm: true, bias: true, shift_labels: false },
};

/** True for `causal_lm` / `masked_lm` (heads built like Python's `CausalLMHead`). */
export function isLmHead(type: HeadType): boolean {
  return type === 'causal_lm' || type === 'masked_lm';
}

/** Narrows a string to a {@link HeadType}. */
export function isHeadType(s: unknown): s is HeadType {
  return typeof s === 'string' && (HEAD_TYPES as readonly string[]).includes(s);
}

function label2idFrom(id2label: Id2Label | null | undefined): JsonValue {
  if (id2label === null || id2label === undefined) return null;
  const out: Record<string, JsonValue> = {};
  for (const [id, label] of Object.entries(id2label)) out[label] = Number(id);
  return out;
}

/** Python `x or default` for config values. */
function orDefault(v: JsonValue | undefined, fallback: JsonValue): JsonValue {
  return v === undefined || !pyTruthy(v) ? fallback : v;
}

/**
 * Builds a head config dict exactly as the Python head class does (same keys, same order,
 * `label2id` from `id2label`), from keyword arguments named as in Python. Unknown keys throw,
 * like Python's `TypeError` for an unexpected keyword argument. Missing `label2id` is filled in
 * with `{"LABEL_i": i}` as `add_prediction_head` does.
 */
export function buildHeadConfig(
  type: HeadType,
  kwargs: Readonly<Record<string, JsonValue | undefined>>,
  info: ModelInfo,
  id2label?: Id2Label | null,
): HeadConfig {
  const params = CLASS_PARAMS[type];
  for (const k of Object.keys(kwargs)) {
    if (!(k in params) && kwargs[k] !== undefined) {
      throw new AdapterConfigError(`head type "${type}" does not accept "${k}"; accepted: ${Object.keys(params).join(', ')}`, k);
    }
  }
  const v = (k: string): JsonValue => (kwargs[k] === undefined ? params[k]! : kwargs[k]!);
  const cfg: HeadConfig = { head_type: type };
  if (isLmHead(type)) {
    cfg.vocab_size = orDefault(kwargs.vocab_size, info.config.vocab_size as JsonValue);
    cfg.embedding_size = orDefault(kwargs.embedding_size, (info.config.embedding_size as JsonValue | undefined) ?? info.hiddenSize);
    for (const k of ['layers', 'activation_function', 'layer_norm', 'bias', 'shift_labels']) cfg[k] = v(k);
    cfg.label2id = null;
    if (type === 'causal_lm') cfg.dropout_prob = v('dropout_prob');
    return cfg;
  }
  for (const k of Object.keys(params)) {
    if (k === 'use_pooler' || k === 'bias' || k === 'dropout_prob' || k === 'multilabel') continue;
    cfg[k] = v(k);
  }
  if (type === 'image_classification') cfg.multilabel = v('multilabel');
  cfg.label2id = label2idFrom(id2label);
  if ('use_pooler' in params) cfg.use_pooler = v('use_pooler');
  if ('bias' in params) cfg.bias = v('bias');
  cfg.dropout_prob = v('dropout_prob');
  fillDefaultLabels(cfg);
  return cfg;
}

/** Python `add_prediction_head`: a `None` label map becomes `{"LABEL_i": i}` for `num_labels` / `num_choices`. */
export function fillDefaultLabels(cfg: HeadConfig): void {
  if (!('label2id' in cfg) || cfg.label2id !== null) return;
  const n = toNumber(cfg.num_labels ?? cfg.num_choices);
  if (n === undefined) return;
  const map: Record<string, JsonValue> = {};
  for (let i = 0; i < n; i++) map[`LABEL_${i}`] = i;
  cfg.label2id = map;
}

/**
 * Python `add_prediction_head_from_config`: splits a saved head config into its type, the
 * keyword arguments of the head class and an `id2label` map (from `id2label` or `label2id`).
 */
export function splitSavedHeadConfig(config: Readonly<Record<string, JsonValue>>): {
  type: HeadType;
  kwargs: Record<string, JsonValue>;
  id2label: Id2Label | null;
} {
  const { head_type: type, id2label: rawId2label, label2id, ...rest } = config;
  if (!isHeadType(type)) {
    throw new AdapterConfigError(`Given head type "${String(type)}" is not known. Known head types: ${HEAD_TYPES.join(', ')}.`, 'head_type');
  }
  let id2label: Record<number, string> | null = null;
  const source = rawId2label ?? null;
  if (source !== null && typeof source === 'object' && !Array.isArray(source)) {
    id2label = {};
    for (const [id, label] of Object.entries(source)) id2label[Number(id)] = String(label);
  } else if (label2id !== null && label2id !== undefined && typeof label2id === 'object' && !Array.isArray(label2id)) {
    id2label = {};
    for (const [label, id] of Object.entries(label2id as Record<string, JsonValue>)) id2label[Number(toNumber(id))] = label;
  }
  return { type, kwargs: rest, id2label };
}

/** Dropout of a head (Python `_get_dropout_prob`): head `dropout_prob` → `classifier_dropout` → `hidden_dropout_prob` → 0. */
export function headDropout(cfg: HeadConfig, info: ModelInfo): number {
  const own = cfg.dropout_prob;
  if (own !== undefined && own !== null) return Number(toNumber(own));
  const c = info.config;
  if (c.classifier_dropout !== undefined && c.classifier_dropout !== null) return Number(c.classifier_dropout);
  if (c.hidden_dropout_prob !== undefined && c.hidden_dropout_prob !== null) return Number(c.hidden_dropout_prob);
  return 0;
}

/** A float keyword argument as Python would write it (`0.1`, `1.0`). */
export function floatArg(x: number | null | undefined): JsonValue | undefined {
  if (x === undefined) return undefined;
  if (x === null) return null;
  return pyFloat(x);
}
