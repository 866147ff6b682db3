import type { LinearPoint, Site } from '@adapters/core';
import type { LlamaConfig } from './config';
import { ffnPoints, layerPath } from './paths';

/**
 * Every hook site of a Llama-family decoder with Python's module paths (bare `LlamaModel`
 * naming, e.g. `layers.0.self_attn.q_proj`). Bottleneck sites are pre-LN (no LayerNorm passed);
 * their modules live in `layers.<i>.attention_adapters` / `layers.<i>.output_adapters` as in
 * Python. The prefix-tuning site uses the key/value head count (reference §1.6, GQA).
 */
export function llamaSites(c: LlamaConfig): Site[] {
  const h = c.hiddenSize;
  const qOut = c.numAttentionHeads * c.headDim;
  const kvOut = c.numKeyValueHeads * c.headDim;
  const ffn = ffnPoints(c);
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embed_tokens', hiddenSize: h }];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = layerPath(i);
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
      lin('attn.q', `${l}.self_attn.q_proj`, h, qOut),
      lin('attn.k', `${l}.self_attn.k_proj`, h, kvOut),
      lin('attn.v', `${l}.self_attn.v_proj`, h, kvOut),
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.self_attn`,
        numHeads: c.numKeyValueHeads,
        headDim: c.headDim,
        hiddenSize: h,
        location: 'self_prefix',
      },
      lin('attn.o', `${l}.self_attn.o_proj`, qOut, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: false },
      lin(ffn.up, `${l}.mlp.up_proj`, h, c.intermediateSize),
      lin(ffn.down, `${l}.mlp.down_proj`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
