import type { LinearPoint, Site } from '@adapters/core';
import type { DebertaConfig } from './config';

/**
 * Every hook site of a DeBERTa / DeBERTa-v2 encoder, with Python's module paths (bare model).
 * v1 has one fused `attn.qkv` site (`attention.self.in_proj`, Python `LoRAMergedLinear`) whose
 * output blocks are `[H, H, H]` as Python's merged LoRA assumes; v2 has `attn.q/k/v` at
 * `query_proj` / `key_proj` / `value_proj`.
 */
export function debertaSites(c: DebertaConfig): Site[] {
  const h = c.hiddenSize;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: h }];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    const lin = (point: LinearPoint, path: string, inF: number, outF: number, fusedSizes?: number[]): Site => ({
      kind: 'linear',
      point,
      layer: i,
      path,
      inFeatures: inF,
      outFeatures: outF,
      weightKey: `${path}.weight`,
      weightLayout: 'in_out',
      ...(fusedSizes ? { fusedSizes } : {}),
    });
    if (c.version === 1) sites.push(lin('attn.qkv', `${l}.attention.self.in_proj`, h, 3 * h, [h, h, h]));
    else {
      sites.push(
        lin('attn.q', `${l}.attention.self.query_proj`, h, h),
        lin('attn.k', `${l}.attention.self.key_proj`, h, h),
        lin('attn.v', `${l}.attention.self.value_proj`, h, h),
      );
    }
    sites.push(
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.attention.self`,
        numHeads: c.numAttentionHeads,
        headDim: h / c.numAttentionHeads,
        hiddenSize: h,
        location: 'self_prefix',
      },
      lin('attn.o', `${l}.attention.output.dense`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention.output`, hiddenSize: h, hasLayerNorm: true },
      lin('ffn.up', `${l}.intermediate.dense`, h, c.intermediateSize),
      lin('ffn.down', `${l}.output.dense`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output`, hiddenSize: h, hasLayerNorm: true },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
