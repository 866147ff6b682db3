import { type ModelInfo, pyTruthy, toNumber } from '@adapters/core';
import { type HeadConfig, type HeadType, headDropout, isLmHead } from './head-config';

/** One entry of a head's module list (Python `nn.Sequential` children); the index is its position. */
export type HeadLayer =
  | { readonly kind: 'dropout'; readonly rate: number }
  | { readonly kind: 'linear'; readonly inFeatures: number; readonly outFeatures: number; readonly bias: boolean }
  | { readonly kind: 'activation'; readonly name: string }
  | { readonly kind: 'layernorm'; readonly size: number; readonly eps: number };

function int(cfg: HeadConfig, key: string): number {
  return Number(toNumber(cfg[key]));
}

/**
 * The module list Python builds for a head config: `PredictionHead.build` (Dropout, Linear,
 * activation per layer; the last Linear maps to `num_labels`, 1 for multiple choice, or the hidden
 * size) or `CausalLMHead.build` (Linear, activation, LayerNorm per extra layer, then the output
 * projection to the vocabulary). Modules without weights still take an index, so the parameter
 * names are `heads.<name>.<index>.weight` exactly as in Python.
 */
export function buildHeadLayers(type: HeadType, cfg: HeadConfig, info: ModelInfo): HeadLayer[] {
  const h = info.hiddenSize;
  const layers = int(cfg, 'layers');
  const act = cfg.activation_function;
  const hasAct = pyTruthy(act);
  const out: HeadLayer[] = [];
  if (isLmHead(type)) {
    const emb = cfg.embedding_size === undefined || cfg.embedding_size === null ? h : int(cfg, 'embedding_size');
    const eps = Number(info.config.layer_norm_eps ?? 1e-12);
    for (let l = 0; l < layers - 1; l++) {
      out.push({ kind: 'linear', inFeatures: l === 0 ? h : emb, outFeatures: emb, bias: true });
      if (hasAct) out.push({ kind: 'activation', name: String(act) });
      if (pyTruthy(cfg.layer_norm ?? false)) out.push({ kind: 'layernorm', size: emb, eps });
    }
    out.push({ kind: 'linear', inFeatures: emb, outFeatures: int(cfg, 'vocab_size'), bias: pyTruthy(cfg.bias ?? false) });
    return out;
  }
  const rate = headDropout(cfg, info);
  const bias = cfg.bias === undefined ? true : pyTruthy(cfg.bias);
  for (let l = 0; l < layers; l++) {
    out.push({ kind: 'dropout', rate });
    if (l < layers - 1) {
      out.push({ kind: 'linear', inFeatures: h, outFeatures: h, bias: true });
      if (hasAct) out.push({ kind: 'activation', name: String(act) });
    } else if ('num_labels' in cfg) {
      out.push({ kind: 'linear', inFeatures: h, outFeatures: int(cfg, 'num_labels'), bias });
    } else if ('num_choices' in cfg) {
      out.push({ kind: 'linear', inFeatures: h, outFeatures: 1, bias });
    } else {
      out.push({ kind: 'linear', inFeatures: h, outFeatures: h, bias });
      if (hasAct) out.push({ kind: 'activation', name: String(act) });
    }
  }
  return out;
}

/** Local parameter names (`<index>.weight`, `<index>.bias`) and shapes (PyTorch layout, `[out, in]`). */
export function headParamSpecs(layers: readonly HeadLayer[]): { key: string; shape: number[]; init: 'normal' | 'zeros' | 'ones' }[] {
  const specs: { key: string; shape: number[]; init: 'normal' | 'zeros' | 'ones' }[] = [];
  layers.forEach((l, i) => {
    if (l.kind === 'linear') {
      specs.push({ key: `${i}.weight`, shape: [l.outFeatures, l.inFeatures], init: 'normal' });
      if (l.bias) specs.push({ key: `${i}.bias`, shape: [l.outFeatures], init: 'zeros' });
    } else if (l.kind === 'layernorm') {
      specs.push({ key: `${i}.weight`, shape: [l.size], init: 'ones' });
      specs.push({ key: `${i}.bias`, shape: [l.size], init: 'zeros' });
    }
  });
  return specs;
}
