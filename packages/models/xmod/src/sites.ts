import type { LinearPoint, Site } from '@adapters/core';
import type { XmodConfig } from './config';

/**
 * Every hook site of an X-MOD encoder, with Python's module paths (bare model). As Python, the
 * attention bottleneck (`attention.output`) gets no LayerNorm; the output bottleneck gets one in
 * the adapters behaviour (`adapter_layer_norm` or `output.LayerNorm`), none in the transformers
 * behaviour (the language adapter follows).
 */
export function xmodSites(c: XmodConfig): Site[] {
  const h = c.hiddenSize;
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
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention.output`, hiddenSize: h, hasLayerNorm: false },
      lin('ffn.up', `${l}.intermediate.dense`, h, c.intermediateSize),
      lin('ffn.down', `${l}.output.dense`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output`, hiddenSize: h, hasLayerNorm: !c.languageAdapters },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
