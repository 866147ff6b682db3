import type { LinearPoint, Site } from '@adapters/core';
import type { WhisperConfig } from './config';

/** Global (Python `iter_layers`) index of decoder layer `j`: decoder layers continue after the encoder's. */
export const decoderLayerIndex = (c: WhisperConfig, j: number): number => c.encoderLayers + j;

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
 * Every hook site of a `WhisperModel` with Python's module paths. Encoder layers are `0 … Le−1`,
 * decoder layers `Le …` (Python `WhisperModelAdaptersMixin.iter_layers`). Prefix locations as Python:
 * encoder self-attention `encoder_prefix`, decoder self-attention `self_prefix`, cross-attention
 * `cross_prefix`. LoRA wraps q/k/v of every attention (cross-attention included); the cross-attention
 * `out_proj` is a plain linear (no site). The embedding site is the encoder's final `layer_norm` output,
 * where Python hooks invertible adapters.
 */
export function whisperSites(c: WhisperConfig): Site[] {
  const d = c.dModel;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'encoder.layer_norm', hiddenSize: d, containerPath: 'encoder' }];
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
  for (let i = 0; i < c.encoderLayers; i++) {
    const l = `encoder.layers.${i}`;
    const lin = linear(i);
    sites.push(
      lin('attn.q', `${l}.self_attn.q_proj`, d, d),
      lin('attn.k', `${l}.self_attn.k_proj`, d, d),
      lin('attn.v', `${l}.self_attn.v_proj`, d, d),
      attnSite('attn.self', i, `${l}.self_attn`, c.encoderAttentionHeads, 'encoder_prefix'),
      lin('attn.o', `${l}.self_attn.out_proj`, d, d),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: d, hasLayerNorm: false },
      lin('ffn.up', `${l}.fc1`, d, c.encoderFfnDim),
      lin('ffn.down', `${l}.fc2`, c.encoderFfnDim, d),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: d, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: d },
    );
  }
  for (let j = 0; j < c.decoderLayers; j++) {
    const l = `decoder.layers.${j}`;
    const layer = decoderLayerIndex(c, j);
    const lin = linear(layer);
    sites.push(
      lin('attn.q', `${l}.self_attn.q_proj`, d, d),
      lin('attn.k', `${l}.self_attn.k_proj`, d, d),
      lin('attn.v', `${l}.self_attn.v_proj`, d, d),
      attnSite('attn.self', layer, `${l}.self_attn`, c.decoderAttentionHeads, 'self_prefix'),
      lin('attn.o', `${l}.self_attn.out_proj`, d, d),
      { kind: 'residual', point: 'block.attn', layer, path: `${l}.attention_adapters`, hiddenSize: d, hasLayerNorm: false },
      lin('cross.q', `${l}.encoder_attn.q_proj`, d, d),
      lin('cross.k', `${l}.encoder_attn.k_proj`, d, d),
      lin('cross.v', `${l}.encoder_attn.v_proj`, d, d),
      attnSite('attn.cross', layer, `${l}.encoder_attn`, c.decoderAttentionHeads, 'cross_prefix'),
      { kind: 'residual', point: 'block.cross', layer, path: `${l}.cross_attention_adapters`, hiddenSize: d, hasLayerNorm: false },
      lin('ffn.up', `${l}.fc1`, d, c.decoderFfnDim),
      lin('ffn.down', `${l}.fc2`, c.decoderFfnDim, d),
      { kind: 'residual', point: 'block.ffn', layer, path: `${l}.output_adapters`, hiddenSize: d, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer, path: l, hiddenSize: d },
    );
  }
  return sites;
}
