import type { LinearPoint, Site } from '@adapters/core';
import type { AlbertConfig } from './config';
import { albertUniqueLayers } from './layers';

/**
 * Every hook site of ALBERT with Python's module paths. Sites exist once per DISTINCT layer
 * (`albert_layer_groups.<g>.albert_layers.<j>`), numbered as Python's `iter_layers` does, because
 * Python attaches adapters to the shared layer modules: a layer group applied several times calls
 * the same sites (and the same adapters) each time. The embedding site has `embedding_size`
 * (hooks run on the embeddings, before `embedding_hidden_mapping_in`).
 */
export function albertSites(c: AlbertConfig): Site[] {
  const h = c.hiddenSize;
  const sites: Site[] = [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: c.embeddingSize }];
  for (const { index: i, path: l } of albertUniqueLayers(c)) {
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
      lin('attn.q', `${l}.attention.query`, h, h),
      lin('attn.k', `${l}.attention.key`, h, h),
      lin('attn.v', `${l}.attention.value`, h, h),
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.attention`,
        numHeads: c.numAttentionHeads,
        headDim: h / c.numAttentionHeads,
        hiddenSize: h,
        location: 'self_prefix',
      },
      lin('attn.o', `${l}.attention.dense`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention.attention_adapters`, hiddenSize: h, hasLayerNorm: true },
      lin('ffn.up', `${l}.ffn`, h, c.intermediateSize),
      lin('ffn.down', `${l}.ffn_output`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: true },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
