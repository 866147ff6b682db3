import type { LinearPoint, Site } from '@adapters/core';
import type { TinyTransformerConfig } from './config';

/**
 * Every hook site of the tiny transformer. `path` is the module path used in adapter state-dict
 * keys (`blocks.0.attn.q.loras.<name>.lora_A`, `blocks.0.attn_adapters.adapters.<name>.…`).
 */
export function tinyTransformerSites(c: TinyTransformerConfig): Site[] {
  const h = c.dModel;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: h }];
  for (let i = 0; i < c.numLayers; i++) {
    const b = `blocks.${i}`;
    const lin = (point: LinearPoint, path: string, inF: number, outF: number): Site => ({
      kind: 'linear',
      point,
      layer: i,
      path: `${b}.${path}`,
      inFeatures: inF,
      outFeatures: outF,
      weightKey: `${b}.${path}.weight`,
      weightLayout: 'in_out',
    });
    sites.push(
      lin('attn.q', 'attn.q', h, h),
      lin('attn.k', 'attn.k', h, h),
      lin('attn.v', 'attn.v', h, h),
      { kind: 'attention', point: 'attn.self', layer: i, path: `${b}.attn`, numHeads: c.numHeads, headDim: h / c.numHeads, hiddenSize: h, location: 'self_prefix' },
      lin('attn.o', 'attn.o', h, h),
      // Pre-LN: the residual sites get no LayerNorm (the norm sits before each sub-layer).
      { kind: 'residual', point: 'block.attn', layer: i, path: `${b}.attn_adapters`, hiddenSize: h, hasLayerNorm: false },
      lin('ffn.up', 'ffn.up', h, c.dFf),
      lin('ffn.down', 'ffn.down', c.dFf, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${b}.ffn_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: b, hiddenSize: h },
    );
  }
  return sites;
}
