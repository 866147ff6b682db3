import type { LinearPoint, Site } from '@adapters/core';
import type { Gpt2Config } from './config';

/**
 * Every hook site of GPT-2, with Python's module paths (bare `GPT2Model` naming, no
 * `transformer.` prefix). The fused `attn.c_attn` is one `attn.qkv` site with `fusedSizes`
 * (Python wraps it with `LoRAMergedLinear`); `attn.c_proj` is a site although Python never wraps
 * it for LoRA. Pre-LN blocks: the residual sites have no LayerNorm.
 */
export function gpt2Sites(c: Gpt2Config): Site[] {
  const h = c.hiddenSize;
  // Python hooks invertible adapters on `self.drop` (the embedding output after dropout).
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'drop', hiddenSize: h }];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `h.${i}`;
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
    sites.push(
      lin('attn.qkv', `${l}.attn.c_attn`, h, 3 * h, [h, h, h]),
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.attn`,
        numHeads: c.numHeads,
        headDim: h / c.numHeads,
        hiddenSize: h,
        location: 'self_prefix',
      },
      lin('attn.o', `${l}.attn.c_proj`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: false },
      lin('ffn.up', `${l}.mlp.c_fc`, h, c.innerSize),
      lin('ffn.down', `${l}.mlp.c_proj`, c.innerSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
