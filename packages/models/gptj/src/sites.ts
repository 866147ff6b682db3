import type { LinearPoint, Site } from '@adapters/core';
import type { GptjConfig } from './config';

/**
 * Every hook site of GPT-J, with Python's module paths (bare `GPTJModel` naming, no
 * `transformer.` prefix). Pre-LN, parallel blocks: the residual sites have no LayerNorm.
 */
export function gptjSites(c: GptjConfig): Site[] {
  const h = c.hiddenSize;
  // Python hooks invertible adapters on `self.drop` (the embedding output after dropout).
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'drop', hiddenSize: h }];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `h.${i}`;
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
      lin('attn.q', `${l}.attn.q_proj`, h, h),
      lin('attn.k', `${l}.attn.k_proj`, h, h),
      lin('attn.v', `${l}.attn.v_proj`, h, h),
      { kind: 'attention', point: 'attn.self', layer: i, path: `${l}.attn`, numHeads: c.numHeads, headDim: c.headDim, hiddenSize: h, location: 'self_prefix' },
      lin('attn.o', `${l}.attn.out_proj`, h, h),
      lin('ffn.up', `${l}.mlp.fc_in`, h, c.innerSize),
      lin('ffn.down', `${l}.mlp.fc_out`, c.innerSize, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
