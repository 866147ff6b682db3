import {
  type Hooks,
  type LinearPoint,
  type Site,
  type WeightSpec,
  attention,
  getActivation,
  layerNorm,
  mergeHeads,
  splitHeads,
} from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Sizes of a BERT-style post-LN encoder stack (`encoder.layer.<i>`: `attention.self.{query,key,value}`,
 * `attention.output.{dense,LayerNorm}`, `intermediate.dense`, `output.{dense,LayerNorm}`).
 */
export interface EncoderDims {
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly layerNormEps: number;
}

/** Hook sites of the encoder layers, with Python's module paths (as Python's BERT integration). */
export function encoderSites(c: EncoderDims): Site[] {
  const h = c.hiddenSize;
  const sites: Site[] = [];
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
      { kind: 'residual', point: 'block.attn', layer: i, path: `${l}.attention.output`, hiddenSize: h, hasLayerNorm: true },
      lin('ffn.up', `${l}.intermediate.dense`, h, c.intermediateSize),
      lin('ffn.down', `${l}.output.dense`, c.intermediateSize, h),
      { kind: 'residual', point: 'block.ffn', layer: i, path: `${l}.output`, hiddenSize: h, hasLayerNorm: true },
      { kind: 'layer', point: 'layer.out', layer: i, path: l, hiddenSize: h },
    );
  }
  return sites;
}

/** Weights of the encoder layers; linear kernels `[in, out]` (checkpoint `[out, in]`). */
export function encoderWeightSpecs(c: EncoderDims): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [];
  const linear = (path: string, inF: number, outF: number): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  const norm = (path: string): void => {
    specs.push({ name: `${path}.weight`, shape: [h], init: 'ones', aliases: [`${path}.gamma`] });
    specs.push({ name: `${path}.bias`, shape: [h], init: 'zeros', aliases: [`${path}.beta`] });
  };
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = `encoder.layer.${i}`;
    linear(`${l}.attention.self.query`, h, h);
    linear(`${l}.attention.self.key`, h, h);
    linear(`${l}.attention.self.value`, h, h);
    linear(`${l}.attention.output.dense`, h, h);
    norm(`${l}.attention.output.LayerNorm`);
    linear(`${l}.intermediate.dense`, h, c.intermediateSize);
    linear(`${l}.output.dense`, c.intermediateSize, h);
    norm(`${l}.output.LayerNorm`);
  }
  return specs;
}

/**
 * One post-LN encoder layer with every hook point of Python's BERT-style integration
 * (`BertSelfAttentionWithAdapters`, `BertSelfOutput`/`BertOutput` bottleneck layers).
 * `mask` is additive (`[B, 1, 1, T]`, 0 = attend).
 */
export function encoderLayer(c: EncoderDims, w: ReadonlyMap<string, tf.Tensor>, i: number, x: tf.Tensor, mask: tf.Tensor, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}`;
  const get = (name: string): tf.Tensor => {
    const t = w.get(name);
    if (!t) throw new Error(`weight ${name} is missing`);
    return t;
  };
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor => hooks.linear(point, i, input, get(`${path}.weight`), w.get(`${path}.bias`));
  const norm = (path: string) => (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${path}.weight`), w.get(`${path}.bias`), c.layerNormEps);
  const heads = c.numAttentionHeads;
  // Python: a forward pre-hook on every layer runs adjust_tensors_for_parallel_(hidden, mask).
  const m = hooks.matchBatch(x, mask);
  let q = splitHeads(lin('attn.q', `${p}.attention.self.query`, x), heads);
  const k = splitHeads(lin('attn.k', `${p}.attention.self.key`, x), heads);
  const v = splitHeads(lin('attn.v', `${p}.attention.self.value`, x), heads);
  const kv = hooks.attention('attn.self', i, { key: k, value: v, mask: hooks.matchBatch(k, m), hidden: x });
  q = hooks.matchBatch(kv.key, q);
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) => hooks.dropout(t, c.attentionProbsDropoutProb));
  const attnOut = hooks.dropout(lin('attn.o', `${p}.attention.output.dense`, mergeHeads(ctxt)), c.hiddenDropoutProb);
  const a = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), norm(`${p}.attention.output.LayerNorm`));
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, act(lin('ffn.up', `${p}.intermediate.dense`, a))), c.hiddenDropoutProb);
  const y = hooks.residual('block.ffn', i, out, a, norm(`${p}.output.LayerNorm`));
  return hooks.layerOutput(i, y);
}
