import type { LinearPoint, Site } from '@adapters/core';
import type { DistilBertConfig } from './config';

/**
 * Every hook site of DistilBERT with Python's module paths (bare `DistilBertModel` naming). The
 * bottleneck sites are the `attention_adapters` / `output_adapters` modules Python adds to each
 * `TransformerBlock` (post-LN: both get the block's LayerNorm).
 */
export function distilBertSites(c: DistilBertConfig): Site[] {
  const h = c.dim;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: h }];
  for (let i = 0; i < c.nLayers; i++) {
    const l = `transformer.layer.${i}`;
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
      lin('attn.q', `${l}.attention.q_lin`, h, h),
      lin('attn.k', `${l}.attention.k_lin`, h, h),
      lin('attn.v', `${l}.attention.v_lin`, h, h),
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.attention`,
        numHeads: c.nHeads,
        headDim: h / c.nHeads,
        hiddenSize: h,
        location: 'self_prefix',
      },
      lin('attn.o', `${l}.attention.out_lin`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: true },
      lin('ffn.up', `${l}.ffn.lin1`, h, c.hiddenDim),
      lin('ffn.down', `${l}.ffn.lin2`, c.hiddenDim, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: true },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
