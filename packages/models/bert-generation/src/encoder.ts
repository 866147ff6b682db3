import {
  type Hooks,
  type LinearPoint,
  type Site,
  type WeightSpec,
  attention,
  dense,
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
  /** Decoders with `add_cross_attention`: a `crossattention` sub-layer after self-attention. */
  readonly addCrossAttention?: boolean;
}

/** Encoder states and their additive `[B, 1, 1, Tk]` mask for the cross-attention of decoders. */
export interface CrossInput {
  readonly states: tf.Tensor;
  readonly mask: tf.Tensor;
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
    );
    if (c.addCrossAttention) {
      // Python's BERT mixins: selfattn LoRA on cross q/k/v, `cross_prefix`, `crossattention.output` a mh_adapter layer.
      sites.push(
        lin('cross.q', `${l}.crossattention.self.query`, h, h),
        lin('cross.k', `${l}.crossattention.self.key`, h, h),
        lin('cross.v', `${l}.crossattention.self.value`, h, h),
        {
          kind: 'attention',
          point: 'attn.cross',
          layer: i,
          path: `${l}.crossattention.self`,
          numHeads: c.numAttentionHeads,
          headDim: h / c.numAttentionHeads,
          hiddenSize: h,
          location: 'cross_prefix',
        },
        { kind: 'residual', point: 'block.cross', layer: i, path: `${l}.crossattention.output`, hiddenSize: h, hasLayerNorm: true, locationKey: 'mh_adapter' },
      );
    }
    sites.push(
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
    if (c.addCrossAttention) {
      linear(`${l}.crossattention.self.query`, h, h);
      linear(`${l}.crossattention.self.key`, h, h);
      linear(`${l}.crossattention.self.value`, h, h);
      linear(`${l}.crossattention.output.dense`, h, h);
      norm(`${l}.crossattention.output.LayerNorm`);
    }
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
export function encoderLayer(
  c: EncoderDims,
  w: ReadonlyMap<string, tf.Tensor>,
  i: number,
  x: tf.Tensor,
  mask: tf.Tensor,
  hooks: Hooks,
  cross: CrossInput | null = null,
): tf.Tensor {
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
  let a = hooks.residual('block.attn', i, attnOut, hooks.matchBatch(attnOut, x), norm(`${p}.attention.output.LayerNorm`));
  if (cross) a = crossAttention(c, w, i, a, cross, hooks);
  const act = getActivation(c.hiddenAct, 'hidden_act');
  const out = hooks.dropout(lin('ffn.down', `${p}.output.dense`, act(lin('ffn.up', `${p}.intermediate.dense`, a))), c.hiddenDropoutProb);
  const y = hooks.residual('block.ffn', i, out, a, norm(`${p}.output.LayerNorm`));
  return hooks.layerOutput(i, y);
}

/**
 * The `crossattention` sub-layer of a decoder layer (Python `BertSelfAttentionWithAdapters` with
 * `encoder_hidden_states`, then `BertSelfOutputWithAdapters`): queries from `x`, keys/values from the
 * encoder states, prefix hook `attn.cross`, plain `output.dense`, residual hook `block.cross`.
 */
function crossAttention(c: EncoderDims, w: ReadonlyMap<string, tf.Tensor>, i: number, x: tf.Tensor, cross: CrossInput, hooks: Hooks): tf.Tensor {
  const p = `encoder.layer.${i}.crossattention`;
  const get = (name: string): tf.Tensor => {
    const t = w.get(name);
    if (!t) throw new Error(`weight ${name} is missing`);
    return t;
  };
  const lin = (point: LinearPoint, path: string, input: tf.Tensor): tf.Tensor => hooks.linear(point, i, input, get(`${path}.weight`), w.get(`${path}.bias`));
  const heads = c.numAttentionHeads;
  const [q0, k0, v0] = hooks.matchBatches([
    lin('cross.q', `${p}.self.query`, x),
    lin('cross.k', `${p}.self.key`, cross.states),
    lin('cross.v', `${p}.self.value`, cross.states),
  ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const kv = hooks.attention('attn.cross', i, { key: splitHeads(k0, heads), value: splitHeads(v0, heads), mask: hooks.matchBatch(k0, cross.mask), hidden: x });
  const q = hooks.matchBatch(kv.key, splitHeads(q0, heads));
  const ctxt = attention(q, kv.key, kv.value, kv.mask, 1 / Math.sqrt(c.hiddenSize / heads), (t) => hooks.dropout(t, c.attentionProbsDropoutProb));
  const out = hooks.dropout(dense(mergeHeads(ctxt), get(`${p}.output.dense.weight`), w.get(`${p}.output.dense.bias`)), c.hiddenDropoutProb);
  const ln = (t: tf.Tensor): tf.Tensor => layerNorm(t, w.get(`${p}.output.LayerNorm.weight`), w.get(`${p}.output.LayerNorm.bias`), c.layerNormEps);
  return hooks.residual('block.cross', i, out, hooks.matchBatch(kv.key, x), ln);
}
