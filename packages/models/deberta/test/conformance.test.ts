import { bottleneck } from '@adapters/bottleneck';
import { type Hooks, AdapterConfigError, ForwardContext, Parallel, createRandomModel, dense, randomBaseWeights } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { dora, lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { deberta, debertaV2 } from '../src';

const base = {
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  relative_attention: true,
  pos_att_type: 'c2p|p2c',
};
const v1 = { ...base, model_type: 'deberta', position_biased_input: false };
const v2 = { ...base, model_type: 'deberta-v2', position_buckets: 4, share_att_key: true, norm_rel_ebd: 'layer_norm', position_biased_input: false };
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[2, 5, 9, 4, 3, 7], [2, 7, 3, 0, 0, 0]], [2, 6], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], [2, 6], 'int32'),
  token_type_ids: tf.tensor2d([[0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]], [2, 6], 'int32'),
});

// v1: deberta-base layout; absolute positions + token types + embed_proj + talking heads.
describeModel(deberta, { config: v1, inputs });
describeModel(deberta, { config: { ...v1, position_biased_input: true, type_vocab_size: 2, embedding_size: 8, talking_head: true, max_relative_positions: 3 }, inputs });
describeModel(deberta, { config: { ...v1, relative_attention: false, pos_att_type: null }, inputs });
// v2 with share_att_key calls attn.q / attn.k twice (see below); the exactly-once suite runs without it.
describeModel(debertaV2, { config: { ...v2, share_att_key: false }, inputs });
describeModel(debertaV2, { config: { ...v2, share_att_key: false, conv_kernel_size: 3, conv_groups: 2, position_buckets: -1, pos_att_type: ['p2c'] }, inputs });
describeModel(debertaV2, { config: { ...v2, relative_attention: false }, inputs });

/** Counts hook calls per point@layer while running without adapters. */
function countCalls(def: typeof debertaV2, cfg: Record<string, unknown>): Map<string, number> {
  const config = def.parseConfig(cfg);
  const weights = randomBaseWeights(def, config, 1);
  const calls = new Map<string, number>();
  const ctx = new ForwardContext({ training: false, setup: null });
  const hit = (id: string): void => void calls.set(id, (calls.get(id) ?? 0) + 1);
  const hooks: Hooks = {
    ctx,
    linear: (p, l, x, w, b) => (hit(`${p}@${l}`), dense(x, w, b)),
    residual: (p, l, h, input, ln) => (hit(`${p}@${l}`), ln ? ln(tf.add(h, input!)) : tf.add(h, input!)),
    attention: (p, l, s) => (hit(`${p}@${l}`), s),
    embedding: (p, s) => (hit(`${p}@-1`), s),
    layerOutput: (l, h) => (hit(`layer.out@${l}`), h),
    matchBatch: (ref, t) => ctx.matchBatch(ref, t),
    matchBatches: (ts) => ctx.matchBatches(ts),
    dropout: (x) => x,
  };
  const x = inputs();
  tf.tidy(() => def.forward({ inputs: x, weights, config, hooks }).last_hidden_state);
  tf.dispose([...Object.values(x), ...weights.values()]);
  return calls;
}

describe('DeBERTa specifics', () => {
  it('v2 share_att_key: the relative embeddings go through the hooked query_proj / key_proj (as Python, where LoRA wraps them)', () => {
    const calls = countCalls(debertaV2, v2);
    for (const l of [0, 1]) {
      expect(calls.get(`attn.q@${l}`)).toBe(2);
      expect(calls.get(`attn.k@${l}`)).toBe(2);
      expect(calls.get(`attn.v@${l}`)).toBe(1);
      expect(calls.get(`attn.o@${l}`)).toBe(1);
    }
    const declared = debertaV2.sites(debertaV2.parseConfig(v2)).map((s) => `${s.point}@${s.layer}`);
    expect([...calls.keys()].sort()).toEqual(declared.sort());
  });

  it('v1 has one fused attn.qkv site with [H, H, H] blocks and no in_proj bias weight', () => {
    const c = deberta.parseConfig(v1);
    const site = deberta.sites(c).find((s) => s.point === 'attn.qkv' && s.layer === 0)!;
    expect(site.kind === 'linear' && site.fusedSizes).toEqual([16, 16, 16]);
    expect(site.path).toBe('encoder.layer.0.attention.self.in_proj');
    const names = deberta.weightSpecs(c).map((s) => s.name);
    expect(names).not.toContain('encoder.layer.0.attention.self.in_proj.bias');
    expect(names).toContain('encoder.layer.0.attention.self.q_bias');
  });

  it('v1 rejects dora / dvora (Python not_supported_adapter_configs); v2 accepts dora', () => {
    const m1 = createRandomModel(deberta, v1, { methods: [lora, dora] });
    expect(() => m1.addAdapter('d', 'dora')).toThrow(AdapterConfigError);
    m1.dispose();
    const m2 = createRandomModel(debertaV2, v2, { methods: [lora, dora] });
    expect(() => m2.addAdapter('d', 'dora')).not.toThrow();
    m2.dispose();
  });

  it('v1 merged LoRA: merging equals the unmerged forward; a Parallel of two LoRAs is refused (single adapter only)', () => {
    const model = createRandomModel(deberta, v1, { seed: 3, std: 0.2, methods: [lora] });
    model.addAdapter('a', "lora[attn_matrices=['q','k','v']]");
    model.addAdapter('b', 'lora');
    for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 7));
    model.setActiveAdapters('a');
    const x = inputs();
    const before = model.forward(x).last_hidden_state;
    model.mergeAdapter('a');
    const after = model.forward(x).last_hidden_state;
    expect(maxAbsDiff(before, after)).toBeLessThan(1e-5);
    model.resetAdapter();
    expect(() => model.forward(x, { setup: Parallel('a', 'b') })).toThrow(/fused/);
    model.dispose();
  });

  for (const [name, def, cfg] of [
    ['v1', deberta, v1],
    ['v2', debertaV2, { ...v2, share_att_key: false }],
  ] as const) {
    it(`${name}: Parallel(a, b) of bottlenecks equals running a and b alone`, () => {
      const model = createRandomModel(def, cfg, { seed: 4, std: 0.2, methods: [bottleneck] });
      model.addAdapter('a', 'double_seq_bn');
      model.addAdapter('b', 'double_seq_bn');
      for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', n === 'a' ? 1 : 2));
      const x = inputs();
      const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
      expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), model.forward(x, { setup: 'a' }).last_hidden_state)).toBeLessThan(1e-5);
      expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), model.forward(x, { setup: 'b' }).last_hidden_state)).toBeLessThan(1e-5);
      model.dispose();
    });

    it(`${name}: prefix tuning and prompt tuning run (prompt tokens lengthen the output) with finite outputs`, () => {
      const model = createRandomModel(def, cfg, { seed: 5, std: 0.2, methods: [prefixTuning, promptTuning] });
      model.addAdapter('p', 'prefix_tuning[prefix_length=3]');
      model.addAdapter('q', 'prompt_tuning[prompt_length=2]');
      const x = inputs();
      const a = model.forward(x, { setup: 'p' }).last_hidden_state;
      expect(a.shape).toEqual([2, 6, 16]);
      const b = model.forward(x, { setup: 'q' }).last_hidden_state;
      expect(b.shape).toEqual([2, 8, 16]);
      for (const t of [a, b]) expect(tf.all(tf.isFinite(t)).dataSync()[0]).toBe(1);
      model.dispose();
    });

    // Python's DeBERTa attention calls prefix_tuning(..., attention_mask, False) (invert_mask=False,
    // a 1/0 mask): PrefixTuningLayer.pad_and_concat pads the shorter child's mask with 0 = masked,
    // so each row equals its adapter alone (models with inverted masks attend the padding, +1).
    it(`${name}: BatchSplit / Parallel of prefixes of different lengths: the padding is masked (invert_mask=False)`, () => {
      const model = createRandomModel(def, cfg, { seed: 6, std: 0.2, methods: [prefixTuning] });
      model.addAdapter('a', { architecture: 'prefix_tuning', flat: true, prefix_length: 4 }, { seed: 1 });
      model.addAdapter('b', { architecture: 'prefix_tuning', flat: true, prefix_length: 2 }, { seed: 2 });
      for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', n === 'a' ? 11 : 12));
      const x = inputs();
      const row = (t: tf.Tensor, i: number, n = 1): tf.Tensor => tf.slice(t, [i, 0, 0], [n, -1, -1]);
      const alone = { a: model.forward(x, { setup: 'a' }).last_hidden_state, b: model.forward(x, { setup: 'b' }).last_hidden_state };
      expect(maxAbsDiff(alone.a, alone.b)).toBeGreaterThan(1e-3);
      const split = model.forward(x, { setup: { type: 'BatchSplit', children: ['a', 'b'], batchSizes: [1, 1] } }).last_hidden_state;
      expect(maxAbsDiff(row(split, 0), row(alone.a, 0))).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(split, 1), row(alone.b, 1))).toBeLessThan(1e-5);
      const par = model.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
      expect(maxAbsDiff(row(par, 0, 2), alone.a)).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(par, 2, 2), alone.b)).toBeLessThan(1e-5);
      model.dispose();
    });
  }

  it('v1 talking heads with identity mixing equal no talking heads', () => {
    const cfg = { ...v1, talking_head: true };
    const model = createRandomModel(deberta, cfg, { seed: 6, std: 0.2 });
    const plain = createRandomModel(deberta, v1, { seed: 6, std: 0.2 });
    for (const [k, v] of plain.weights) model.weights.get(k)!.assign(v);
    for (const l of [0, 1]) for (const n of ['head_logits_proj', 'head_weights_proj']) model.weights.get(`encoder.layer.${l}.attention.self.${n}.weight`)!.assign(tf.eye(2));
    const x = inputs();
    expect(maxAbsDiff(model.forward(x).last_hidden_state, plain.forward(x).last_hidden_state)).toBeLessThan(1e-6);
    model.dispose();
    plain.dispose();
  });

  it('v2 conv layer: a zero kernel and zero bias give LayerNorm(layer0 + tanh(0)) = LayerNorm(layer0) on tokens, 0 on padding', () => {
    const cfg = { ...v2, share_att_key: false, conv_kernel_size: 3, num_hidden_layers: 1 };
    const model = createRandomModel(debertaV2, cfg, { seed: 8, std: 0.2 });
    model.weights.get('encoder.conv.conv.weight')!.assign(tf.zeros([16, 16, 3]));
    model.weights.get('encoder.conv.conv.bias')!.assign(tf.zeros([16]));
    const plain = createRandomModel(debertaV2, { ...cfg, conv_kernel_size: 0 }, { seed: 8, std: 0.2 });
    for (const [k, v] of plain.weights) model.weights.get(k)!.assign(v);
    const x = inputs();
    const ln = model.weights;
    const y0 = plain.forward(x).last_hidden_state;
    const want = tf.tidy(() => {
      const { mean, variance } = tf.moments(y0, -1, true);
      const n = tf.add(tf.mul(tf.div(tf.sub(y0, mean), tf.sqrt(tf.add(variance, 1e-7))), ln.get('encoder.conv.LayerNorm.weight')!), ln.get('encoder.conv.LayerNorm.bias')!);
      return tf.mul(n, tf.expandDims(tf.cast(x.attention_mask!, 'float32'), 2));
    });
    expect(maxAbsDiff(model.forward(x).last_hidden_state, want)).toBeLessThan(1e-5);
    model.dispose();
    plain.dispose();
  });

  for (const [name, def, cfg] of [
    ['v1', deberta, { ...v1, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 }],
    ['v2', debertaV2, { ...v2, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, conv_kernel_size: 3 }],
  ] as const) {
    it(`${name}: gradients reach every LoRA parameter in training mode (dropout on)`, () => {
      const model = createRandomModel(def, cfg, { seed: 9, std: 0.2, methods: [lora] });
      model.addAdapter('a', 'lora');
      model.trainAdapter('a');
      const x = inputs();
      const params = [...model.adapterParameters('a').values()];
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.forward(x, { training: true }).last_hidden_state)) as tf.Scalar, params);
      for (const p of params) {
        const g = grads[p.name]!;
        expect(tf.all(tf.isFinite(g)).dataSync()[0], p.name).toBe(1);
        if (p.name.endsWith('lora_B')) expect(tf.max(tf.abs(g)).dataSync()[0]!, p.name).toBeGreaterThan(0);
      }
      model.dispose();
    });
  }
});
