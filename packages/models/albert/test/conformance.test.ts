import { bottleneck } from '@adapters/bottleneck';
import { type Hooks, ForwardContext, Parallel, baseLinear, createRandomModel, finishWithoutAdapter, randomBaseWeights, siteId } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { albert, albertApplicationOrder, createAlbert } from '../src';

const base = {
  model_type: 'albert',
  embedding_size: 8,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_act: 'gelu_new',
};
/** Every group applied once: each distinct layer runs exactly once, as describeModel requires. */
const unshared = { ...base, num_hidden_layers: 2, num_hidden_groups: 2, inner_group_num: 1 };
/** 3 applications of one group of 2 inner layers: 6 layer runs over 2 distinct layers. */
const shared = { ...base, num_hidden_layers: 3, num_hidden_groups: 1, inner_group_num: 2 };
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  token_type_ids: tf.tensor2d([[0, 0, 1, 1, 1], [0, 0, 0, 0, 0]], [2, 5], 'int32'),
});

describeModel(albert, { config: unshared, inputs });

/** Pass-through hooks that count calls per site id. */
function countingHooks(calls: Map<string, number>): Hooks {
  const ctx = new ForwardContext({ training: false, setup: null });
  const hit = (point: string, layer: number): void => {
    const id = siteId(point as never, layer);
    calls.set(id, (calls.get(id) ?? 0) + 1);
  };
  return {
    ctx,
    linear: (p, l, x, w, b) => (hit(p, l), baseLinear(x, w, b)),
    residual: (p, l, h, i, ln) => (hit(p, l), finishWithoutAdapter(h, i, ln)),
    attention: (p, l, s) => (hit(p, l), s),
    embedding: (p, s) => (hit(p, -1), s),
    layerOutput: (l, h) => (hit('layer.out', l), h),
    matchBatch: (ref, t) => ctx.matchBatch(ref, t),
    matchBatches: (ts) => ctx.matchBatches(ts),
    dropout: (x) => x,
  };
}

describe('ALBERT layer sharing', () => {
  it('application order follows transformers: group int(i / (L/G)), every inner layer', () => {
    const c = albert.parseConfig(shared);
    expect(albertApplicationOrder(c)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(albertApplicationOrder(albert.parseConfig({ ...base, num_hidden_layers: 6, num_hidden_groups: 2, inner_group_num: 1 }))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(albertApplicationOrder(albert.parseConfig({ ...base, num_hidden_layers: 5, num_hidden_groups: 2, inner_group_num: 1 }))).toEqual([0, 0, 0, 1, 1]);
  });

  it('sites and weights exist once per distinct layer; a shared layer calls its sites once per application', () => {
    const c = albert.parseConfig(shared);
    const sites = albert.sites(c);
    expect(new Set(sites.map((s) => s.layer))).toEqual(new Set([-1, 0, 1]));
    expect(sites.find((s) => s.point === 'attn.q' && s.layer === 1)!.path).toBe('encoder.albert_layer_groups.0.albert_layers.1.attention.query');
    const weights = randomBaseWeights(albert, c, 1);
    const calls = new Map<string, number>();
    const x = inputs();
    const out = tf.tidy(() => albert.forward({ inputs: x, weights, config: c, hooks: countingHooks(calls), outputHiddenStates: true }));
    expect([...calls.keys()].sort()).toEqual(sites.map((s) => siteId(s.point, s.layer)).sort());
    for (const [id, n] of calls) expect(n, id).toBe(id.endsWith('@-1') ? 1 : 3);
    // hidden_states: the projected embeddings, then one entry per group application (as transformers).
    expect(out.hidden_states!.length).toBe(4);
    tf.dispose([out.last_hidden_state, out.pooler_output!, ...out.hidden_states!, ...Object.values(x)]);
    for (const v of weights.values()) v.dispose();
  });

  it('a LoRA adapter has one module per distinct layer, saved under the shared module path', () => {
    const model = createRandomModel(albert, shared, { seed: 2, methods: [lora] });
    model.addAdapter('l', 'lora');
    expect([...model.adapterParameters('l').keys()].sort()).toEqual([
      'encoder.albert_layer_groups.0.albert_layers.0.attention.query.loras.l.lora_A',
      'encoder.albert_layer_groups.0.albert_layers.0.attention.query.loras.l.lora_B',
      'encoder.albert_layer_groups.0.albert_layers.0.attention.value.loras.l.lora_A',
      'encoder.albert_layer_groups.0.albert_layers.0.attention.value.loras.l.lora_B',
      'encoder.albert_layer_groups.0.albert_layers.1.attention.query.loras.l.lora_A',
      'encoder.albert_layer_groups.0.albert_layers.1.attention.query.loras.l.lora_B',
      'encoder.albert_layer_groups.0.albert_layers.1.attention.value.loras.l.lora_A',
      'encoder.albert_layer_groups.0.albert_layers.1.attention.value.loras.l.lora_B',
    ]);
    model.dispose();
  });

  it('attention-adapter argument order: Python order by default, the opt-in fix differs only with an mh_adapter', () => {
    const x = inputs();
    const run = (fix: boolean, config: string): tf.Tensor => {
      const model = createRandomModel(createAlbert({ fixAttentionAdapterOrder: fix }), shared, { seed: 5, std: 0.2, methods: [bottleneck] });
      model.addAdapter('a', config);
      for (const v of model.adapterParameters('a').values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 3));
      model.setActiveAdapters('a');
      const h = model.forward(x).last_hidden_state;
      const kept = tf.keep(h.clone());
      model.dispose();
      return kept;
    };
    expect(maxAbsDiff(run(false, 'seq_bn'), run(true, 'seq_bn'))).toBe(0);
    expect(maxAbsDiff(run(false, 'double_seq_bn'), run(true, 'double_seq_bn'))).toBeGreaterThan(1e-3);
  });

  it('Parallel(a, b) equals running a and b alone on the shared layers', () => {
    const model = createRandomModel(albert, shared, { seed: 4, std: 0.2, methods: [bottleneck] });
    model.addAdapter('a', 'double_seq_bn');
    model.addAdapter('b', 'double_seq_bn');
    for (const n of ['a', 'b']) for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', n === 'a' ? 1 : 2));
    const x = inputs();
    const par = model.forward(x, { setup: Parallel('a', 'b') });
    const a = model.forward(x, { setup: 'a' });
    const b = model.forward(x, { setup: 'b' });
    expect(maxAbsDiff(tf.slice(par.last_hidden_state, [0, 0, 0], [2, -1, -1]), a.last_hidden_state)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par.last_hidden_state, [2, 0, 0], [2, -1, -1]), b.last_hidden_state)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(par.pooler_output!, [2, 0], [2, -1]), b.pooler_output!)).toBeLessThan(1e-5);
    model.dispose();
  });
});
