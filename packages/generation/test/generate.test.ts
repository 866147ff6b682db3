import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { generate } from '../src';
import { HEADS, MODELS, PROMPTS as P } from './helpers';

for (const arch of ['gpt2', 'gptj'] as const) {
  const PROMPTS = { ...P, logits: HEADS[arch] };
  describe(`generate on tiny ${arch}`, () => {
    it('greedy with the KV cache equals greedy without it, token for token (left-padded batch, LoRA active)', async () => {
      const model = await MODELS[arch]([lora]);
      model.addAdapter('a', { architecture: 'lora', r: 2, alpha: 4, init_weights: 'bert', intermediate_lora: true }, { setActive: true });
      const cached = await generate(model, { ...PROMPTS, maxNewTokens: 8 });
      const full = await generate(model, { ...PROMPTS, maxNewTokens: 8, useCache: false });
      expect(cached.tokens).toEqual(full.tokens);
      expect(cached.tokens.map((t) => t.length)).toEqual([8, 8]);
      expect(cached.sequences[0]!.slice(0, 5)).toEqual(PROMPTS.inputIds[0]);
      // Greedy output of a tiny random model is repetitive: sampled runs (diverse tokens, same seed) must agree too.
      const sample = { ...PROMPTS, maxNewTokens: 10, strategy: 'sample' as const, temperature: 1.5, seed: 3 };
      const sCached = await generate(model, sample);
      const sFull = await generate(model, { ...sample, useCache: false });
      expect(sCached.tokens).toEqual(sFull.tokens);
      expect(new Set(sCached.tokens.flat()).size).toBeGreaterThan(8);
      model.dispose();
    });

    it('each left-padded row generates what it generates alone', async () => {
      const model = await MODELS[arch]();
      const batch = await generate(model, { ...PROMPTS, maxNewTokens: 6 });
      const alone = await generate(model, { inputIds: [[39, 13, 90]], maxNewTokens: 6, logits: HEADS[arch] });
      expect(batch.tokens[0]).toEqual(alone.tokens[0]);
      model.dispose();
    });

    it('causal: teacher-forced argmax over prompt + generation reproduces the tokens, and later tokens never change earlier logits', async () => {
      const model = await MODELS[arch]();
      const prompt = [91, 90, 21, 93, 25];
      const { tokens } = await generate(model, { inputIds: [prompt], maxNewTokens: 6, logits: HEADS[arch] });
      const seq = [...prompt, ...tokens[0]!];
      const logitsOf = (ids: number[]): number[][] =>
        tf.tidy(() => {
          const h = model.forward({ input_ids: tf.tensor2d([ids], [1, ids.length], 'int32') }).last_hidden_state;
          return HEADS[arch](model, tf.reshape(h, [ids.length, -1])).arraySync() as number[][];
        });
      const a = logitsOf(seq);
      const argmaxRow = (r: number[]): number => r.indexOf(Math.max(...r));
      for (let i = 0; i < tokens[0]!.length; i++) expect(argmaxRow(a[prompt.length - 1 + i]!)).toBe(tokens[0]![i]);
      const changed = [...seq.slice(0, 7), ...seq.slice(7).map((t) => (t + 17) % 99)];
      const b = logitsOf(changed);
      for (let i = 0; i < 7; i++) expect(b[i]).toEqual(a[i]);
      model.dispose();
    });

    it('sampling is reproducible for a seed; top-k = 1 and a tiny top-p equal greedy', async () => {
      const model = await MODELS[arch]();
      const opts = { ...PROMPTS, maxNewTokens: 6 };
      const s1 = await generate(model, { ...opts, strategy: 'sample', seed: 5, temperature: 1.5 });
      const s2 = await generate(model, { ...opts, strategy: 'sample', seed: 5, temperature: 1.5 });
      const s3 = await generate(model, { ...opts, strategy: 'sample', seed: 6, temperature: 1.5 });
      expect(s1.tokens).toEqual(s2.tokens);
      expect(s3.tokens).not.toEqual(s1.tokens);
      const greedy = await generate(model, opts);
      expect((await generate(model, { ...opts, strategy: 'sample', seed: 1, topK: 1, temperature: 3 })).tokens).toEqual(greedy.tokens);
      expect((await generate(model, { ...opts, strategy: 'sample', seed: 1, topP: 1e-6 })).tokens).toEqual(greedy.tokens);
      model.dispose();
    });

    it('stops rows at EOS (pad after it), ends early when every row finished, streams tokens in order', async () => {
      const model = await MODELS[arch]();
      const greedy = await generate(model, { ...PROMPTS, maxNewTokens: 6 });
      const eos = greedy.tokens[0]![2]!; // row 0 produces it at step 2 (row 1 maybe later or never)
      const events: [number, number, number][] = [];
      const r = await generate(model, { ...PROMPTS, maxNewTokens: 6, eosTokenId: eos, padTokenId: 0, onToken: (id, step, row) => events.push([id, step, row]) });
      const stop0 = greedy.tokens[0]!.indexOf(eos);
      expect(r.tokens[0]).toEqual(greedy.tokens[0]!.slice(0, stop0 + 1));
      expect(r.finishReasons[0]).toBe('eos');
      expect(r.sequences[0]!.slice(5 + stop0 + 1)).toEqual(new Array(r.steps - stop0 - 1).fill(0));
      const stop1 = greedy.tokens[1]!.indexOf(eos);
      expect(r.tokens[1]).toEqual(stop1 < 0 ? greedy.tokens[1] : greedy.tokens[1]!.slice(0, stop1 + 1));
      // streaming: step-major, row-minor, exactly the generated tokens
      const sorted = [...events].sort((x, y) => x[1] - y[1] || x[2] - y[2]);
      expect(events).toEqual(sorted);
      for (const row of [0, 1]) expect(events.filter((e) => e[2] === row).map((e) => e[0])).toEqual(r.tokens[row]);
      // a single row that hits EOS ends the loop
      const one = await generate(model, { inputIds: [PROMPTS.inputIds[1]!], maxNewTokens: 6, eosTokenId: greedy.tokens[1]![1]!, logits: HEADS[arch] });
      expect(one.steps).toBe(greedy.tokens[1]!.indexOf(greedy.tokens[1]![1]!) + 1);
      expect(one.finishReasons).toEqual(['eos']);
      model.dispose();
    });

    it('leaks no tensors across a generation (cached, uncached, sampled)', async () => {
      const model = await MODELS[arch]();
      await generate(model, { ...PROMPTS, maxNewTokens: 2 }); // warm-up
      const before = tf.memory().numTensors;
      await generate(model, { ...PROMPTS, maxNewTokens: 5 });
      await generate(model, { ...PROMPTS, maxNewTokens: 3, useCache: false });
      await generate(model, { ...PROMPTS, maxNewTokens: 3, strategy: 'sample', topK: 5, topP: 0.9 });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  });
}

describe('generate: input checks', () => {
  it('rejects right padding and mismatched masks', async () => {
    const model = await MODELS.gpt2();
    await expect(generate(model, { inputIds: [[1, 2, 0]], attentionMask: [[1, 1, 0]], maxNewTokens: 1 })).rejects.toThrow(/left-padded/);
    await expect(generate(model, { inputIds: [[1, 2]], attentionMask: [[1, 1, 1]], maxNewTokens: 1 })).rejects.toThrow(/shape/);
    const none = await generate(model, { inputIds: [[1, 2]], maxNewTokens: 0 });
    expect(none).toEqual({ sequences: [[1, 2]], tokens: [[]], finishReasons: ['length'], steps: 0 });
    model.dispose();
  });
});
