import type { LinearPoint, Site } from '@adapters/core';
import type { BartConfig } from './config';

/** Global (Python `iter_layers`) index of decoder layer `j`: decoder layers continue after the encoder's. */
export const decoderLayerIndex = (c: BartConfig, j: number): number => c.encoderLayers + j;

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
 * Every hook site of a `BartModel` / `MBartModel` / `PLBartModel` with Python's module paths. Encoder
 * layers are `0 … Le−1`, decoder layers `Le …` (Python `BartModelAdaptersMixin.iter_layers`).
 *
 * * LoRA: q/k/v of every attention (`attn.*`; decoder `encoder_attn` as `cross.*` — Python wraps them
 *   all as "selfattn"), `fc1` (`ffn.up`, "intermediate"), `fc2` (`ffn.down`, "output"). Self-attention
 *   `out_proj` is the `attn.o` site; cross-attention `out_proj` is a plain linear.
 * * Bottleneck: `attention_adapters` (`block.attn`), decoder `cross_attention_adapters` (`block.cross`),
 *   `output_adapters` (`block.ffn`); post-LN (BART, PLBart: the hook gets the LayerNorm) or pre-LN
 *   (mBART: `layer_norm=None`).
 * * Prefix tuning: encoder `self_attn` `encoder_prefix`, decoder `self_attn` `self_prefix`,
 *   `encoder_attn` `cross_prefix`.
 * * `embed.out`: output of `encoder.layernorm_embedding` (Python's forward hook there: invertible
 *   adapters; no prompt tuning for BART-family models).
 * * `layer.out`: each encoder / decoder layer output (ReFT).
 */
export function bartSites(c: BartConfig): Site[] {
  const d = c.dModel;
  const hasLayerNorm = !c.preLayerNorm;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'encoder.layernorm_embedding', hiddenSize: d, containerPath: 'encoder' }];
  const attnSite = (point: 'attn.self' | 'attn.cross', layer: number, path: string, heads: number, location: 'self_prefix' | 'encoder_prefix' | 'cross_prefix'): Site => ({
    kind: 'attention',
    point,
    layer,
    path,
    numHeads: heads,
    headDim: d / heads,
    hiddenSize: d,
    location,
  });
  const residual = (point: 'block.attn' | 'block.cross' | 'block.ffn', layer: number, path: string): Site => ({
    kind: 'residual',
    point,
    layer,
    path,
    hiddenSize: d,
    hasLayerNorm,
  });
  const selfAttn = (layer: number, l: string, heads: number, location: 'self_prefix' | 'encoder_prefix'): Site[] => {
    const lin = linear(layer);
    return [
      lin('attn.q', `${l}.self_attn.q_proj`, d, d),
      lin('attn.k', `${l}.self_attn.k_proj`, d, d),
      lin('attn.v', `${l}.self_attn.v_proj`, d, d),
      attnSite('attn.self', layer, `${l}.self_attn`, heads, location),
      lin('attn.o', `${l}.self_attn.out_proj`, d, d),
      residual('block.attn', layer, `${l}.attention_adapters`),
    ];
  };
  const ffn = (layer: number, l: string, dim: number): Site[] => {
    const lin = linear(layer);
    return [
      lin('ffn.up', `${l}.fc1`, d, dim),
      lin('ffn.down', `${l}.fc2`, dim, d),
      residual('block.ffn', layer, `${l}.output_adapters`),
      { kind: 'layer', point: 'layer.out', layer, path: l, hiddenSize: d },
    ];
  };
  for (let i = 0; i < c.encoderLayers; i++) {
    const l = `encoder.layers.${i}`;
    sites.push(...selfAttn(i, l, c.encoderAttentionHeads, 'encoder_prefix'), ...ffn(i, l, c.encoderFfnDim));
  }
  for (let j = 0; j < c.decoderLayers; j++) {
    const l = `decoder.layers.${j}`;
    const layer = decoderLayerIndex(c, j);
    const lin = linear(layer);
    sites.push(
      ...selfAttn(layer, l, c.decoderAttentionHeads, 'self_prefix'),
      lin('cross.q', `${l}.encoder_attn.q_proj`, d, d),
      lin('cross.k', `${l}.encoder_attn.k_proj`, d, d),
      lin('cross.v', `${l}.encoder_attn.v_proj`, d, d),
      attnSite('attn.cross', layer, `${l}.encoder_attn`, c.decoderAttentionHeads, 'cross_prefix'),
      residual('block.cross', layer, `${l}.cross_attention_adapters`),
      ...ffn(layer, l, c.decoderFfnDim),
    );
  }
  return sites;
}
