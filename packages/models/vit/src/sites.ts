import type { LinearPoint, Site } from '@adapters/core';
import type { VitConfig } from './config';

/**
 * Every hook site of a `ViTModel`, with Python's module paths (bare-model naming, as Python's
 * `ViT*AdaptersMixin`): LoRA on `attention.attention.{query,key,value}`, `intermediate.dense`,
 * `output.dense`; prefix tuning on `attention.attention` (`self_prefix`); the bottlenecks
 * `encoder.layer.<i>.attention_adapters` (on `ViTLayer`) and `encoder.layer.<i>.output.output_adapters`
 * (on `ViTOutput`), both pre-LN (`layer_norm = None`); prompt tuning at the embeddings output;
 * ReFT on each layer output.
 */
export function vitSites(c: VitConfig): Site[] {
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
      lin('attn.q', `${l}.attention.attention.query`, h, h),
      lin('attn.k', `${l}.attention.attention.key`, h, h),
      lin('attn.v', `${l}.attention.attention.value`, h, h),
      {
        kind: 'attention',
        point: 'attn.self',
        layer: i,
        path: `${l}.attention.attention`,
        numHeads: c.numAttentionHeads,
        headDim: h / c.numAttentionHeads,
        hiddenSize: h,
        location: 'self_prefix',
      },
      // Python does not wrap `attention.output.dense` (ViTSelfOutput) with LoRA; the site exists for the vocabulary.
      lin('attn.o', `${l}.attention.output.dense`, h, h),
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: false },
      lin('ffn.up', `${l}.intermediate.dense`, h, c.intermediateSize),
      lin('ffn.down', `${l}.output.dense`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output.output_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}
