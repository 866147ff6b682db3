import type { LinearPoint, Site } from '@adapters/core';
import type { T5Config } from './config';

/** Global (Python `iter_layers`) index of decoder block `j`: decoder blocks continue after the encoder's. */
export const decoderLayerIndex = (c: T5Config, j: number): number => c.numLayers + j;

function linear(layer: number) {
  return (point: LinearPoint, path: string, inF: number, outF: number): Site => ({
    kind: 'linear',
    point,
    layer,
    path,
    inFeatures: inF,
    outFeatures: outF,
    weightKey: `${path}.weight`,
    weightLayout: 'in_out',
  });
}

/**
 * Every hook site of a `T5Model` / `MT5Model` with Python's module paths. Encoder blocks are
 * `0 … L−1`, decoder blocks `L …` (Python `T5ModelAdaptersMixin.iter_layers`).
 *
 * * LoRA: q/k/v of every `T5Attention` (self-attention `attn.*`, decoder `EncDecAttention` `cross.*`:
 *   Python wraps them all as "selfattn"); FF `wi` (or `wi_1` when gated) as `ffn.up` and `wo` as
 *   `ffn.down` (Python quirk: `wi_0` is never wrapped). `o` of self-attention is the `attn.o` site; the
 *   cross-attention `o` is a plain linear.
 * * Bottleneck: the sub-layers `layer.0` (`mh_adapter`, `block.attn`), decoder `layer.1`
 *   (`cross_adapter`, `block.cross`) and the FF sub-layer (`output_adapter`, `block.ffn`), all pre-norm
 *   (`layer_norm=None`).
 * * Prefix tuning: encoder self-attention `encoder_prefix`, decoder self-attention `self_prefix`,
 *   `EncDecAttention` `cross_prefix`; head size `d_kv`.
 * * `embed.out`: the encoder's embedding output (invertible adapters; Python has no prompt tuning for T5).
 * * `layer.out`: each `T5Block` output (ReFT).
 */
export function t5Sites(c: T5Config): Site[] {
  const d = c.dModel;
  const inner = c.numHeads * c.dKv;
  const up = c.isGatedAct ? 'wi_1' : 'wi';
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'encoder', hiddenSize: d, containerPath: 'encoder' }];
  const attnSite = (point: 'attn.self' | 'attn.cross', layer: number, path: string, location: 'self_prefix' | 'encoder_prefix' | 'cross_prefix'): Site => ({
    kind: 'attention',
    point,
    layer,
    path,
    numHeads: c.numHeads,
    headDim: c.dKv,
    hiddenSize: d,
    location,
  });
  const residual = (point: 'block.attn' | 'block.cross' | 'block.ffn', layer: number, path: string): Site => ({
    kind: 'residual',
    point,
    layer,
    path,
    hiddenSize: d,
    hasLayerNorm: false,
  });
  const selfAttn = (layer: number, l: string, location: 'self_prefix' | 'encoder_prefix'): Site[] => {
    const lin = linear(layer);
    const a = `${l}.layer.0.SelfAttention`;
    return [
      lin('attn.q', `${a}.q`, d, inner),
      lin('attn.k', `${a}.k`, d, inner),
      lin('attn.v', `${a}.v`, d, inner),
      attnSite('attn.self', layer, a, location),
      lin('attn.o', `${a}.o`, inner, d),
      residual('block.attn', layer, `${l}.layer.0`),
    ];
  };
  const ff = (layer: number, l: string, sub: number): Site[] => {
    const lin = linear(layer);
    const f = `${l}.layer.${sub}.DenseReluDense`;
    return [
      lin('ffn.up', `${f}.${up}`, d, c.dFf),
      lin('ffn.down', `${f}.wo`, c.dFf, d),
      residual('block.ffn', layer, `${l}.layer.${sub}`),
      { kind: 'layer', point: 'layer.out', layer, path: l, hiddenSize: d },
    ];
  };
  for (let i = 0; i < c.numLayers; i++) {
    const l = `encoder.block.${i}`;
    sites.push(...selfAttn(i, l, 'encoder_prefix'), ...ff(i, l, 1));
  }
  for (let j = 0; j < c.numDecoderLayers; j++) {
    const l = `decoder.block.${j}`;
    const layer = decoderLayerIndex(c, j);
    const lin = linear(layer);
    const x = `${l}.layer.1.EncDecAttention`;
    sites.push(
      ...selfAttn(layer, l, 'self_prefix'),
      lin('cross.q', `${x}.q`, d, inner),
      lin('cross.k', `${x}.k`, d, inner),
      lin('cross.v', `${x}.v`, d, inner),
      attnSite('attn.cross', layer, x, 'cross_prefix'),
      residual('block.cross', layer, `${l}.layer.1`),
      ...ff(layer, l, 2),
    );
  }
  return sites;
}
