import type { LinearPoint, Site } from '@adapters/core';
import type { BertConfig } from './config';

/**
 * Every hook site of a BERT-family model, with Python's module paths (bare-model naming).
 *
 * With `add_cross_attention` (decoders) each layer also has its `crossattention` sub-layer, wired as
 * Python's BERT mixins wire it: `crossattention.self.{query,key,value}` are LoRA-wrapped like
 * self-attention ("selfattn", here `cross.q/k/v`), its prefix layer has location key `cross_prefix`,
 * and `crossattention.output` is a `BertSelfOutput` — a bottleneck layer with location key
 * `mh_adapter` (not `cross_adapter`), here `block.cross` with `locationKey: 'mh_adapter'`.
 */
export function bertSites(c: BertConfig): Site[] {
  const h = c.hiddenSize;
  const headDim = h / c.numAttentionHeads;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: h }];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    const lin = (point: LinearPoint, path: string, inF: number, outF: number): Site => ({
      kind: 'linear',
      point,
      layer: i,
      path,
      inFeatures: inF,
      outFeatures: outF,
      weightKey: `${path}.weight`,
      weightLayout: 'in_out',
    });
    sites.push(
      lin('attn.q', `${l}.attention.self.query`, h, h),
      lin('attn.k', `${l}.attention.self.key`, h, h),
      lin('attn.v', `${l}.attention.self.value`, h, h),
      { kind: 'attention', point: 'attn.self', layer: i, path: `${l}.attention.self`, numHeads: c.numAttentionHeads, headDim, hiddenSize: h, location: 'self_prefix' },
      lin('attn.o', `${l}.attention.output.dense`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention.output`, hiddenSize: h, hasLayerNorm: true },
    );
    if (c.addCrossAttention) {
      sites.push(
        lin('cross.q', `${l}.crossattention.self.query`, h, h),
        lin('cross.k', `${l}.crossattention.self.key`, h, h),
        lin('cross.v', `${l}.crossattention.self.value`, h, h),
        { kind: 'attention', point: 'attn.cross', layer: i, path: `${l}.crossattention.self`, numHeads: c.numAttentionHeads, headDim, hiddenSize: h, location: 'cross_prefix' },
        { kind: 'residual', point: 'block.cross', layer: i, path: `${l}.crossattention.output`, hiddenSize: h, hasLayerNorm: true, locationKey: 'mh_adapter' },
      );
    }
    sites.push(
      lin('ffn.up', `${l}.intermediate.dense`, h, c.intermediateSize),
      lin('ffn.down', `${l}.output.dense`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output`, hiddenSize: h, hasLayerNorm: true },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
