import {
  ADAPTERS_VERSION,
  AdapterConfigError,
  type JsonValue,
  type RawTensor,
  pythonJsonDumps,
} from '@adapters/core';
import { adapterModelClassName, isStaticHeadClass, staticHeadConversion } from '@adapters/heads';
import type { ModelRef } from './model-ref';
import { PEFT_KEY_PREFIX } from './peft-files';

/** A flex head in memory: `head_config.json` text and `model_head.safetensors` tensors. */
export interface HeadFiles {
  readonly name: string;
  readonly configJson: string;
  readonly tensors: Map<string, RawTensor>;
}

/** The HF static-head class behind each PEFT task type that saves a head in `modules_to_save`. */
const TASK_CLASS_SUFFIX: Readonly<Record<string, string>> = {
  SEQ_CLS: 'ForSequenceClassification',
  TOKEN_CLS: 'ForTokenClassification',
  QUESTION_ANS: 'ForQuestionAnswering',
};

function configLabels(json: Readonly<Record<string, unknown>>, n: number): Record<string, JsonValue> | null {
  const l2i = json.label2id;
  if (l2i && typeof l2i === 'object' && Object.keys(l2i).length === n) {
    return Object.fromEntries(Object.entries(l2i as Record<string, unknown>).map(([k, v]) => [k, Number(v)]));
  }
  const i2l = json.id2label;
  if (i2l && typeof i2l === 'object' && Object.keys(i2l).length === n) {
    return Object.fromEntries(Object.entries(i2l as Record<string, unknown>).map(([id, label]) => [String(label), Number(id)]));
  }
  return null;
}

/**
 * Converts the task head a PEFT checkpoint keeps in `modules_to_save` (e.g. BERT's `classifier`
 * for SEQ_CLS) into a flex head named `name`, through Python's static → flex head map
 * (`BertForSequenceClassification` → classification head on the pooler, layers 1, no activation).
 * Returns null when there are no such tensors; throws for tensors it cannot place.
 */
export function peftHeadToAdapters(
  rest: ReadonlyMap<string, RawTensor>,
  peftConfig: Readonly<Record<string, JsonValue>>,
  ref: ModelRef,
  name: string,
  modelName: string,
): HeadFiles | null {
  if (rest.size === 0) return null;
  const keys = [...rest.keys()];
  const suffix = TASK_CLASS_SUFFIX[String(peftConfig.task_type)];
  const staticClass = suffix ? adapterModelClassName(ref.modelType).replace(/AdapterModel$/, '') + suffix : '';
  if (!suffix || !isStaticHeadClass(staticClass)) {
    throw new AdapterConfigError(
      `tensors ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''} are neither LoRA/IA3 weights nor a known task head (task_type ${String(peftConfig.task_type)})`,
      'modules_to_save',
    );
  }
  const norm = (k: string): string =>
    (k.startsWith(PEFT_KEY_PREFIX) ? k.slice(PEFT_KEY_PREFIX.length) : k).replace(/\.modules_to_save\.[^.]+\./, '.');
  const probe = staticHeadConversion(staticClass, name, null);
  const renamed = new Map<string, RawTensor>();
  for (const [k, t] of rest) {
    const n = probe.rename(norm(k));
    if (n === null) throw new AdapterConfigError(`${k} is not part of the ${staticClass} head`, 'modules_to_save');
    renamed.set(n, t);
  }
  const outIndex = Math.max(...[...renamed.keys()].map((k) => Number(k.split('.')[2])));
  const outWeight = renamed.get(`heads.${name}.${outIndex}.weight`);
  const numLabels = outWeight ? outWeight.shape[0]! : 2;
  const labels = configLabels(ref.config, numLabels) ?? Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i]));
  const conv = staticHeadConversion(staticClass, name, labels, numLabels);
  const full = {
    config: conv.config,
    hidden_size: ref.hiddenSize,
    model_class: adapterModelClassName(ref.modelType),
    model_name: modelName,
    model_type: ref.modelType,
    name,
    version: ADAPTERS_VERSION,
  };
  return { name, configJson: pythonJsonDumps(full, { indent: 2, sortKeys: true }), tensors: renamed };
}
