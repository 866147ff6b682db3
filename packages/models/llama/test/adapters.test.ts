import { bottleneck } from '@adapters/bottleneck';
import {
  type AttentionModule,
  type AttentionState,
  FLOAT32_MIN,
  Parallel,
  type Site,
  SGD,
  createRandomModel,
  defineMethod,
  trainStep,
  namedVariable,
} from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gemma, llama, mistral, presentKey, qwen2 } from '../src';
import { tinyConfig, tinyInputs } from './helpers';

type Def = typeof llama;

function randomize(model: { adapterParameters(n: string): Map<string, tf.Variable> }, name: string, seed: number): void {
  for (const v of model.adapterParameters(name).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', seed++));
}

/**
 * A test-only prefix method: at every attention site it prepends `L` learned key/value rows of
 * shape `[kv_heads, L, head_dim]` and extends the additive mask with `maskValue`.
 */
function fakePrefix(L: number, maskValue: number) {
  return defineMethod({
    name: `fake-prefix-${maskValue}`,
    kinds: ['attention'],
    container: 'prefix',
    compositions: ['Stack'],
    accepts: (c) => c.values.architecture === 'prefix_tuning',
    createModule(site: Site, ctx) {
      if (site.kind !== 'attention') return undefined;
      const k = namedVariable(tf.randomNormal([1, site.numHeads, L, site.headDim], 0, 1, 'float32', site.layer + 1), `${site.path}.k.${ctx.adapterName}`);
      const v = namedVariable(tf.randomNormal([1, site.numHeads, L, site.headDim], 0, 1, 'float32', site.layer + 50), `${site.path}.v.${ctx.adapterName}`);
      const mod: AttentionModule = {
        params: new Map([
          ['k', k],
          ['v', v],
        ]),
        forward(s: AttentionState): AttentionState {
          const b = s.key.shape[0]!;
          const tile = (t: tf.Tensor): tf.Tensor => tf.tile(t, [b, 1, 1, 1]);
          const [, , tq] = s.mask!.shape as [number, number, number, number];
          return {
            key: tf.concat([tile(k), s.key], 2),
            value: tf.concat([tile(v), s.value], 2),
            mask: tf.concat([tf.fill([s.mask!.shape[0]!, 1, tq, L], maskValue), s.mask!], 3),
            hidden: s.hidden,
          };
        },
      };
      return mod;
    },
  });
}

describe('adapters on Llama-family models', () => {
  it('LoRA FFN mapping: Llama/Mistral wrap down_proj as intermediate and up_proj as output (Python quirk); Qwen2/Gemma the reverse', () => {
    const cfg = 'lora[r=2,alpha=4,intermediate_lora=True,output_lora=True,selfattn_lora=False]';
    const keysOf = (def: Def, json: Record<string, unknown>): string[] => {
      const m = createRandomModel(def, json, { methods: [lora] });
      m.addAdapter('x', cfg);
      const keys = [...m.adapterParameters('x').entries()].filter(([k]) => k.startsWith('layers.0.')).map(([k, v]) => `${k} ${v.shape.join('x')}`);
      m.dispose();
      return keys.sort();
    };
    expect(keysOf(llama, tinyConfig)).toEqual([
      'layers.0.mlp.down_proj.loras.x.lora_A 2x24',
      'layers.0.mlp.down_proj.loras.x.lora_B 16x2',
      'layers.0.mlp.up_proj.loras.x.lora_A 2x16',
      'layers.0.mlp.up_proj.loras.x.lora_B 24x2',
    ]);
    const onlyInter = 'lora[r=2,alpha=4,intermediate_lora=True,selfattn_lora=False]';
    const first = (def: Def, json: Record<string, unknown>): string => {
      const m = createRandomModel(def, json, { methods: [lora] });
      m.addAdapter('x', onlyInter);
      const k = [...m.adapterParameters('x').keys()][0]!;
      m.dispose();
      return k;
    };
    expect(first(llama, tinyConfig)).toBe('layers.0.mlp.down_proj.loras.x.lora_A');
    expect(first(mistral, { ...tinyConfig, model_type: 'mistral' })).toBe('layers.0.mlp.down_proj.loras.x.lora_A');
    expect(first(qwen2 as Def, { ...tinyConfig, model_type: 'qwen2' })).toBe('layers.0.mlp.up_proj.loras.x.lora_A');
    expect(first(gemma as Def, { ...tinyConfig, model_type: 'gemma' })).toBe('layers.0.mlp.up_proj.loras.x.lora_A');
  });

  it('merging a LoRA on every FFN/attention site gives the same output as the unmerged adapter', () => {
    const m = createRandomModel(llama, tinyConfig, { seed: 3, std: 0.3, methods: [lora] });
    m.addAdapter('x', 'lora[r=2,alpha=4,intermediate_lora=True,output_lora=True,attn_matrices=["q","k","v"]]');
    randomize(m, 'x', 100);
    m.setActiveAdapters('x');
    const x = tinyInputs();
    const a = m.forward(x).last_hidden_state;
    m.mergeAdapter('x');
    const b = m.forward(x).last_hidden_state;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    m.dispose();
  });

  for (const [what, ca, cb] of [
    // Both children need modules at the same sites: Python raises (KeyError / cat of None) for mixed pairs.
    ['two double_seq_bn', 'double_seq_bn', 'double_seq_bn'],
    // LoRA on q and v only: q/v are replicated, k is not — exercises match_attn_matrices_for_parallel with GQA.
    ['two LoRAs (q, v, FFN)', 'lora[r=2,alpha=4,output_lora=True]', 'lora[r=4,alpha=4,output_lora=True]'],
  ] as const) {
    it(`Parallel(a, b) of ${what} on Llama equals running a and b alone`, () => {
      const m = createRandomModel(llama, tinyConfig, { seed: 4, std: 0.3, methods: [lora, bottleneck] });
      m.addAdapter('a', ca);
      m.addAdapter('b', cb);
      randomize(m, 'a', 1);
      randomize(m, 'b', 50);
      const x = tinyInputs();
      const par = m.forward(x, { setup: Parallel('a', 'b') }).last_hidden_state;
      const a = m.forward(x, { setup: 'a' }).last_hidden_state;
      const b = m.forward(x, { setup: 'b' }).last_hidden_state;
      expect(par.shape[0]).toBe(4);
      expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), a)).toBeLessThan(1e-5);
      expect(maxAbsDiff(tf.slice(par, [2, 0, 0], [2, -1, -1]), b)).toBeLessThan(1e-5);
      m.dispose();
    });
  }

  it('Qwen2 and Gemma refuse Parallel as Python does (plugin-interface models are not whitelisted)', () => {
    for (const [def, t] of [
      [qwen2, 'qwen2'],
      [gemma, 'gemma'],
    ] as const) {
      const q = createRandomModel(def as Def, { ...tinyConfig, model_type: t }, { methods: [bottleneck] });
      q.addAdapter('a', 'seq_bn');
      q.addAdapter('b', 'seq_bn');
      expect(() => q.setActiveAdapters(Parallel('a', 'b'))).toThrow(/don't support adapter composition using Parallel/);
      q.dispose();
    }
  });

  it('prefix states use kv heads (GQA); a fully masked prefix changes nothing; the cache excludes the prefix', () => {
    for (const [maskValue, changes] of [
      [FLOAT32_MIN, false],
      [0, true],
    ] as const) {
      const m = createRandomModel(llama, tinyConfig, { seed: 5, std: 0.3, methods: [fakePrefix(3, maskValue)] });
      const x = { ...tinyInputs(), use_cache: tf.scalar(1, 'int32') };
      const base = m.forward(x);
      m.addAdapter('p', { architecture: 'prefix_tuning' });
      expect(m.adapterParameters('p').get('layers.0.self_attn.prefix.p.k')!.shape).toEqual([1, 2, 3, 4]);
      m.setActiveAdapters('p');
      const out = m.forward(x);
      const d = maxAbsDiff(out.last_hidden_state, base.last_hidden_state);
      if (changes) expect(d).toBeGreaterThan(1e-3);
      else expect(d).toBe(0);
      expect((out[presentKey(0, 'key')] as tf.Tensor).shape).toEqual([2, 2, 7, 4]);
      m.dispose();
    }
  });

  it('return_logits: lm_head.weight or tied embed_tokens', () => {
    const tied = createRandomModel(qwen2 as Def, { ...tinyConfig, model_type: 'qwen2', tie_word_embeddings: true }, { seed: 6 });
    const x = { ...tinyInputs(), return_logits: tf.scalar(1, 'int32') };
    const out = tied.forward(x);
    const manual = tf.matMul(tf.reshape(out.last_hidden_state, [14, 16]), tied.weights.get('embed_tokens.weight')!, false, true);
    expect(maxAbsDiff(tf.reshape(out.logits as tf.Tensor, [14, 40]), manual)).toBeLessThan(1e-6);
    expect(tied.forward(tinyInputs()).logits).toBeUndefined();
    tied.dispose();
    const untied = createRandomModel(llama, tinyConfig, { seed: 6 });
    expect((untied.forward(x).logits as tf.Tensor).shape).toEqual([2, 7, 40]);
    untied.dispose();
  });

  it('one training step (LoRA + seq_bn, dropout on) lowers the loss and touches only adapter weights', () => {
    const m = createRandomModel(mistral, { ...tinyConfig, model_type: 'mistral', sliding_window: 4, attention_dropout: 0.1 }, { seed: 14, std: 0.3, methods: [lora, bottleneck] });
    m.addAdapter('a', 'lora[r=2,alpha=4,intermediate_lora=True]');
    m.addAdapter('b', 'seq_bn');
    randomize(m, 'a', 3);
    m.setActiveAdapters(['a', 'b']);
    m.trainAdapter(['a', 'b']);
    const x = tinyInputs();
    const base = new Map([...m.weights].map(([k, v]) => [k, v.clone()]));
    const loss = (): tf.Scalar => tf.mean(tf.square(m.forward(x, { training: true }).last_hidden_state)) as tf.Scalar;
    const first = trainStep(m, loss, new SGD(0.05)).loss;
    let last = first;
    for (let i = 0; i < 3; i++) last = trainStep(m, loss, new SGD(0.05)).loss;
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
    for (const [k, v] of m.weights) expect(maxAbsDiff(v, base.get(k)!), k).toBe(0);
    m.dispose();
  });
});
