import type { LinearPoint, Site } from '@adapters/core';
import type { ClipConfig, ClipTowerConfig } from './config';

/** The two towers in Python's `iter_layers` order: text layers first, then vision layers. */
export type Tower = 'text_model' | 'vision_model';

/**
 * `model_type` of each tower's config class (`CLIPTextConfig` / `CLIPVisionConfig`). Python builds the
 * CLIP attention prefix layers with `add_model_type_to_key=True`, so their prefix location keys (and
 * the saved names `prefix_tuning.prefix_tunings.<name>.<location>.*`) are `<model_type>_self_prefix`.
 */
export const TOWER_MODEL_TYPE: Readonly<Record<Tower, string>> = { text_model: 'clip_text_model', vision_model: 'clip_vision_model' };

/** Python's prefix-tuning location key of a tower's self-attention (e.g. `clip_text_model_self_prefix`). */
export function prefixLocation(tower: Tower): `${string}_self_prefix` {
  return `${TOWER_MODEL_TYPE[tower]}_self_prefix`;
}

/** Global (Python) layer index of layer `i` of `tower`: vision layers continue after the text layers. */
export function layerIndex(c: ClipConfig, tower: Tower, i: number): number {
  return tower === 'text_model' ? i : c.text.numHiddenLayers + i;
}

function towerSites(c: ClipConfig, tower: Tower, t: ClipTowerConfig): Site[] {
  const h = t.hiddenSize;
  const sites: Site[] = [];
  for (let i = 0; i < t.numHiddenLayers; i++) {
    const layer = layerIndex(c, tower, i);
    const l = `${tower}.encoder.layers.${i}`;
    const lin = (point: LinearPoint, path: string, inF: number, outF: number): Site => ({
      kind: 'linear',
      point,
      layer,
      path,
      inFeatures: inF,
      outFeatures: outF,
      weightKey: `${path}.weight`,
      weightLayout: 'in_out',
    });
    sites.push(
      lin('attn.q', `${l}.self_attn.q_proj`, h, h),
      lin('attn.k', `${l}.self_attn.k_proj`, h, h),
      lin('attn.v', `${l}.self_attn.v_proj`, h, h),
      {
        kind: 'attention',
        point: 'attn.self',
        layer,
        path: `${l}.self_attn`,
        numHeads: t.numAttentionHeads,
        headDim: h / t.numAttentionHeads,
        hiddenSize: h,
        location: prefixLocation(tower),
      },
      // Python wraps only q/k/v (and fc1/fc2) with LoRA; out_proj is a plain Linear, the site exists for the vocabulary.
      lin('attn.o', `${l}.self_attn.out_proj`, h, h),
      { kind: 'residual', point: 'block.attn', layer, path: `${l}.attention_adapters`, hiddenSize: h, hasLayerNorm: false },
      lin('ffn.up', `${l}.mlp.fc1`, h, t.intermediateSize),
      lin('ffn.down', `${l}.mlp.fc2`, t.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer, path: `${l}.output_adapters`, hiddenSize: h, hasLayerNorm: false },
      { kind: 'layer', point: 'layer.out', layer, path: l, hiddenSize: h },
    );
  }
  return sites;
}

/**
 * Every hook site of a `CLIPModel`, with Python's module paths (`text_model.encoder.layers.<i>…`,
 * `vision_model.encoder.layers.<i>…`). Layer numbering as Python's `CLIPModelAdaptersMixin.iter_layers`:
 * text layers `0 … Lt−1`, vision layers `Lt … Lt+Lv−1`. The embedding site is the text embedding
 * output (Python hooks invertible adapters on `text_model.embeddings`; the vision tower has none).
 */
export function clipSites(c: ClipConfig): Site[] {
  return [
    { kind: 'embedding', point: 'embed.out', layer: -1, path: 'text_model.embeddings', hiddenSize: c.text.hiddenSize, containerPath: 'text_model' },
    ...towerSites(c, 'text_model', c.text),
    ...towerSites(c, 'vision_model', c.vision),
  ];
}
