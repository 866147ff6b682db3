import {
  type AdapterConfig,
  AdapterConfigError,
  type AdapterMethod,
  type AttentionPadding,
  FLOAT32_MIN,
  type ModelInfo,
  PrefixTuningConfig,
  defineMethod,
  isSubclassOf,
  siteKey,
  toNumber,
} from '@adapters/core';
import { prefixLayout } from './layout';
import { prefixPlaced, prefixTuningOptions } from './options';
import { PrefixPool, type PrefixShared, isPrefixShared } from './pool';
import { PREFIX_GATES_CONTAINER, createPrefixModule } from './prefix-module';

/** Options of {@link createPrefixTuning}. */
export interface PrefixTuningMethodOptions {
  /**
   * Opt-in fix of a Python quirk. When Parallel / BatchSplit children end with different key
   * lengths (prefixes of different lengths, or a child without a prefix), Python's
   * `PrefixTuningLayer.pad_and_concat` left-pads keys/values with `config.pad_token_id` and the
   * additive attention mask with `1.0` — so the padded positions are *attended* (with a +1 score
   * bias). Default `false` reproduces that; `true` pads keys/values with 0 and masks the padding.
   */
  readonly fixPadding?: boolean;
}

/**
 * Model types whose Python attention calls prefix tuning with `invert_mask=False` (1 = attend
 * masks): `modeling_distilbert.py` (`invert_mask=False`), `modeling_deberta.py` and
 * `modeling_deberta_v2.py` (`self.prefix_tuning(key_layer, value_layer, hidden_states, attention_mask, False)`).
 */
const NON_INVERTED_MASK_MODELS: ReadonlySet<string> = new Set(['distilbert', 'deberta', 'deberta-v2']);

/** Python's padding of `pad_and_concat` for a model (see {@link PrefixTuningMethodOptions.fixPadding}). */
export function pythonPrefixPadding(model: ModelInfo): AttentionPadding {
  const pad = toNumber(model.config.pad_token_id as number | null | undefined) ?? 0;
  // invert_mask=True (every model but DistilBERT and DeBERTa v1/v2): the mask is padded with 1.0,
  // which in the additive masks all models use means "attend, +1". The 1/0 masks of DistilBERT and
  // DeBERTa are padded with 0 = masked.
  return { keyValue: pad, mask: NON_INVERTED_MASK_MODELS.has(model.modelType) ? FLOAT32_MIN : 1 };
}

/** True for `PrefixTuningConfig` configs (`prefix_tuning`, `prefix_tuning_flat`, union members of `mam`, `unipelt`). */
export function isPrefixTuningConfig(c: AdapterConfig): boolean {
  return isSubclassOf(c.configClass, PrefixTuningConfig);
}

/**
 * Builds the prefix-tuning method (Li & Liang 2021) as in Python `adapters`: a model-level pool of
 * prefixes per adapter (`prefix_tuning.prefix_tunings.<name>.<location>.*`: reparametrized MLP or
 * flat vector) and, per attention site, the layer that prepends this layer's prefix keys/values
 * (with optional gates `<site>.prefix_tuning.prefix_gates.<name>.*`).
 */
export function createPrefixTuning(opts: PrefixTuningMethodOptions = {}): AdapterMethod {
  return defineMethod({
    name: 'prefix_tuning',
    kinds: ['attention'],
    container: PREFIX_GATES_CONTAINER,
    compositions: ['Stack', 'Parallel', 'BatchSplit'],
    accepts: isPrefixTuningConfig,
    validate(config) {
      prefixTuningOptions(config);
    },
    createShared(ctx): PrefixShared {
      const o = prefixTuningOptions(ctx.config);
      const { locations, ids } = prefixLayout(ctx.sites, o);
      if (locations.length === 0) {
        throw new AdapterConfigError(`Prefix ${ctx.adapterName} not found in PrefixTuningPool: the config places it at no attention site of this model.`);
      }
      const pool = new PrefixPool(ctx.adapterName, o, locations, ctx.rng);
      return { params: pool.params, pool, ids };
    },
    createModule(site, ctx) {
      if (!isPrefixShared(ctx.shared)) return undefined;
      const { pool, ids } = ctx.shared;
      if (!prefixPlaced(site, pool.options)) return undefined;
      const id = ids.get(siteKey(site));
      if (id === undefined) return undefined;
      const padding = opts.fixPadding ? undefined : pythonPrefixPadding(ctx.model);
      return createPrefixModule(site, ctx, pool, id, pool.options, padding);
    },
  });
}

/** Prefix tuning with Python's behaviour (register it or pass it to a model). */
export const prefixTuning: AdapterMethod = createPrefixTuning();
