import { type ForwardContext, type LayerModule, type LayerSite, type MethodInitContext, Rng } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ReftPositions, reftPositions } from './positions';
import { readReftConfig } from './reft-config';
import { type ReftUnit, createReftUnit } from './reft-unit';

/** Positions are computed once per forward pass and shape (Python caches them on the ForwardContext). */
function positionsFor(ctx: ForwardContext, hidden: tf.Tensor, prefix: number, suffix: number): ReftPositions {
  const [b, t] = hidden.shape as [number, number, number];
  const key = `reft:positions:${b}:${t}:${prefix}:${suffix}`;
  const cached = ctx.cache.get(key) as ReftPositions | undefined;
  if (cached) return cached;
  let mask: ArrayLike<number> | null = null;
  let maskLen = t;
  if (ctx.attentionMask) {
    const m = ctx.matchBatch(hidden, ctx.attentionMask);
    maskLen = m.shape[1]!;
    mask = m.dataSync() as ArrayLike<number>;
  }
  const pos = reftPositions(mask, b, t, prefix, suffix, maskLen);
  ctx.cache.set(key, pos);
  return pos;
}

/**
 * Python `ReftModule`: gathers the prefix/suffix states of `[B, T, hidden]`, applies the units (two, or one on
 * the concatenation with `tied_weights`) and scatters the results back.
 */
export function createReftModule(site: LayerSite, ctx: MethodInitContext): LayerModule {
  const cfg = readReftConfig(ctx.config);
  const nUnits = cfg.tiedWeights ? 1 : 2;
  const params = new Map<string, tf.Variable>();
  const buffers = new Set<string>();
  const units: ReftUnit[] = [];
  const key = `${site.path}.reft_layer.refts.${ctx.adapterName}`;
  for (let i = 0; i < nUnits; i++) {
    // Python calls fix_seed(init_weights_seed) before each unit: with a seed every unit starts identical.
    const rng = cfg.initWeightsSeed !== null ? new Rng(cfg.initWeightsSeed) : ctx.rng.fork(`${key}.units.${i}`);
    const unit = createReftUnit(
      { hidden: site.hiddenSize, r: cfg.r, orthogonal: cfg.orthogonality, subtractProjection: cfg.subtractProjection, nonLinearity: cfg.nonLinearity, dropout: cfg.dropout },
      rng,
      `${key}.units.${i}`,
    );
    for (const [local, v] of unit.params) params.set(`units.${i}.${local}`, v);
    for (const local of unit.buffers) buffers.add(`units.${i}.${local}`);
    units.push(unit);
  }
  return {
    params,
    buffers,
    forward(hidden, fctx) {
      const [b, t, d] = hidden.shape as [number, number, number];
      const pos = positionsFor(fctx, hidden, cfg.prefixPositions, cfg.suffixPositions);
      const flat = tf.reshape(hidden, [b * t, d]);
      const prefix = pos.prefixLen > 0 ? tf.reshape(tf.gather(flat, tf.tensor1d(pos.prefixRows, 'int32')), [b, pos.prefixLen, d]) : null;
      const suffix = pos.suffixLen > 0 ? tf.reshape(tf.gather(flat, tf.tensor1d(pos.suffixRows, 'int32')), [b, pos.suffixLen, d]) : null;
      const parts: tf.Tensor[] = [];
      if (cfg.tiedWeights) {
        const both = [prefix, suffix].filter((x): x is tf.Tensor => x !== null);
        if (both.length > 0) parts.push(units[0]!.forward(both.length === 1 ? both[0]! : tf.concat(both, 1), fctx));
      } else {
        if (prefix) parts.push(units[0]!.forward(prefix, fctx));
        if (suffix) parts.push(units[1]!.forward(suffix, fctx));
      }
      if (parts.length === 0) return hidden;
      const adapted = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
      const all = tf.concat([flat, tf.reshape(adapted, [-1, d])], 0);
      return tf.reshape(tf.gather(all, tf.tensor1d(pos.outputRows, 'int32')), [b, t, d]);
    },
  };
}
