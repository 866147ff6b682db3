import { type Hooks, dense, getActivation, layerNorm } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { XmodConfig } from './config';

type W = ReadonlyMap<string, tf.Tensor>;

/**
 * The per-row language ids of a batch (transformers behaviour): `lang_ids` `[B]` when given, else
 * `default_language` for every row. Read on the host once per forward, as transformers does
 * (`unique_consecutive`, `.item()`).
 */
export function languageIds(c: XmodConfig, langIds: tf.Tensor | undefined, batch: number): number[] {
  let ids: number[];
  if (langIds) {
    if (langIds.rank !== 1 || langIds.shape[0] !== batch) throw new Error(`X-MOD: lang_ids must be [${batch}], got [${langIds.shape}]`);
    ids = Array.from(langIds.dataSync(), Number);
  } else {
    if (c.defaultLanguage === null) throw new Error('X-MOD: input language unknown: pass "lang_ids" or set default_language in config.json');
    ids = new Array<number>(batch).fill(c.languages.indexOf(c.defaultLanguage));
  }
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= c.languages.length) throw new Error(`X-MOD: lang id ${id} is not in [0, ${c.languages.length})`);
  }
  return ids;
}

/** Repeats per-row ids when a Parallel block has multiplied the batch (Python repeats the batch). */
function idsForBatch(ids: readonly number[], batch: number): number[] {
  if (batch % ids.length !== 0) throw new Error(`X-MOD: ${ids.length} lang_ids for a batch of ${batch}`);
  return Array.from({ length: batch }, (_, i) => ids[i % ids.length]!);
}

/**
 * transformers `XmodOutput.lang_adapter`: optional LayerNorm (`adapter_layer_norm`, or the reused
 * `output.LayerNorm`), then each row through its language's `adapter_modules.<lang>`
 * (`dense1 → act → dense2`), dropout, plus the residual (taken after the LayerNorm when
 * `ln_before_adapter`).
 */
export function languageAdapter(c: XmodConfig, w: W, layer: number, h: tf.Tensor, rowIds: readonly number[], hooks: Hooks): tf.Tensor {
  const ids = idsForBatch(rowIds, h.shape[0]!);
  const p = `encoder.layer.${layer}.output`;
  let x = h;
  let residual = h;
  if (c.adapterLayerNorm) x = layerNorm(x, w.get(`${p}.adapter_layer_norm.weight`), w.get(`${p}.adapter_layer_norm.bias`), c.layerNormEps);
  else if (c.adapterReuseLayerNorm) x = layerNorm(x, w.get(`${p}.LayerNorm.weight`), w.get(`${p}.LayerNorm.bias`), c.layerNormEps);
  if (c.lnBeforeAdapter) residual = x;
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const run = (lang: number, t: tf.Tensor): tf.Tensor => {
    const a = `${p}.adapter_modules.${c.languages[lang]!}`;
    return dense(act(dense(t, w.get(`${a}.dense1.weight`)!, w.get(`${a}.dense1.bias`))), w.get(`${a}.dense2.weight`)!, w.get(`${a}.dense2.bias`));
  };
  const langs = [...new Set(ids)];
  let out: tf.Tensor;
  if (langs.length === 1) out = run(langs[0]!, x);
  else {
    const order: number[] = [];
    const parts = langs.map((lang) => {
      const rows = ids.flatMap((id, i) => (id === lang ? [i] : []));
      order.push(...rows);
      return run(lang, tf.gather(x, tf.tensor1d(rows, 'int32')));
    });
    const inverse = new Int32Array(order.length);
    order.forEach((row, k) => (inverse[row] = k));
    out = tf.gather(tf.concat(parts, 0), tf.tensor1d(inverse, 'int32'));
  }
  return tf.add(hooks.dropout(out, c.hiddenDropoutProb), residual);
}
