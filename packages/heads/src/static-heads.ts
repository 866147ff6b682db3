import { type JsonValue, toNumber } from '@adapters/core';
import type { HeadConfig } from './head-config';
import { STATIC_TO_FLEX_HEAD_MAP } from './static-head-map';

/** A static head converted to a flex head: its config and the key renaming of its weights. */
export interface StaticHeadConversion {
  readonly config: HeadConfig;
  /** Renames a static checkpoint key (e.g. `classifier.weight`) to the flex key, or returns null if it is not a head key. */
  readonly rename: (key: string) => string | null;
}

/** True when `modelClass` (e.g. `BertForSequenceClassification`) has a static → flex head mapping. */
export function isStaticHeadClass(modelClass: string): boolean {
  return Object.hasOwn(STATIC_TO_FLEX_HEAD_MAP, modelClass);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Python `get_head_config_and_rename_list`: the flex head config of a static head class (with
 * `num_labels` / `num_choices` and `label2id`, default `{"LABEL_0": 0, "LABEL_1": 1}`) and the
 * rename of `<static module>.<param>` keys to `heads.<name>.<index>.<param>`.
 */
export function staticHeadConversion(
  modelClass: string,
  headName: string,
  label2id: Readonly<Record<string, JsonValue>> | null,
  numLabels?: number | null,
): StaticHeadConversion {
  const data = STATIC_TO_FLEX_HEAD_MAP[modelClass];
  if (!data) throw new Error(`No static → flex head mapping for ${modelClass}`);
  const labels: Record<string, JsonValue> = label2id ? { ...label2id } : { LABEL_0: 0, LABEL_1: 1 };
  const n = numLabels || Object.keys(labels).length;
  const config: HeadConfig = { ...(data.config as Record<string, JsonValue>) };
  const type = String(config.head_type);
  if (type === 'multiple_choice') {
    config.num_choices = n;
    config.label2id = labels;
  } else if (type !== 'causal_lm' && type !== 'masked_lm' && type !== 'seq2seq_lm') {
    config.num_labels = n;
    config.label2id = labels;
  }
  const rules: [RegExp, string][] = [];
  data.layers.forEach((name, i) => {
    if (name !== null) rules.push([new RegExp(`${escapeRegExp(name)}\\.(\\S+)`), `heads.${headName}.${i}.$1`]);
  });
  return {
    config,
    rename: (key) => {
      for (const [re, to] of rules) if (re.test(key)) return key.replace(re, to);
      return null;
    },
  };
}

/** Reads `label2id` from a `config.json`-like object (values as numbers). */
export function label2idOf(json: Readonly<Record<string, unknown>>): Record<string, JsonValue> | null {
  const l = json.label2id;
  if (l === null || l === undefined || typeof l !== 'object' || Array.isArray(l)) return null;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(l as Record<string, JsonValue>)) out[k] = Number(toNumber(v));
  return out;
}
