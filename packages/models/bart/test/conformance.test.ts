import { bottleneck } from '@adapters/bottleneck';
import { MemoryStorage, Parallel, SGD, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bart, bartSites, shiftTokensRight } from '../src';
import { tinyBart, tinyInputs, tinyMbart, tinyPlbart } from './helpers';

const CONFIGS = [
  ['bart', tinyBart],
  ['mbart', tinyMbart],
  ['plbart', tinyPlbart],
] as const;

for (const [, cfg] of CONFIGS) describeModel(bart, { config: cfg, inputs: tinyInputs });

/** Randomises every parameter of an adapter (so that it changes the output). */
function randomize(m: { adapterParameters(n: string): ReadonlyMap<string, tf.Variable> }, name: string, seed: number): void {
  let s = seed;
  for (const v of m.adapterParameters(name).values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', s++));
}

/** Decodes token by token with the KV cache and returns the concatenated decoder states. */
function decodeStepwise(m: ReturnType<typeof createRandomModel>, x: Record<string, tf.Tensor>, enc: tf.Tensor): { steps: tf.Tensor; past: Record<string, tf.Tensor> } {
  const ids = x.decoder_input_ids!;
  const [b, t] = ids.shape as [number, number];
  let past: Record<string, tf.Tensor> = {};
  const steps: tf.Tensor[] = [];
  for (let i = 0; i < t; i++) {
    const out = m.forward({
      attention_mask: x.attention_mask!,
      encoder_last_hidden_state: enc,
      decoder_input_ids: tf.slice(ids, [0, i], [b, 1]),
      decoder_attention_mask: tf.slice(x.decoder_attention_mask!, [0, 0], [b, i + 1]),
      use_cache: tf.scalar(1, 'int32'),
      ...past,
    });
    steps.push(out.last_hidden_state);
    past = {};
    for (const [k, v] of Object.entries(out)) if (k.startsWith('present_key_values.')) past[`past_key_values.${k.slice(19)}`] = v as tf.Tensor;
  }
  return { steps: tf.concat(steps, 1), past };
}

describe('BART-family specifics', () => {
  it('sites: decoder layers continue after the encoder; Python module paths; post-LN vs pre-LN', () => {
    const sites = bartSites(bart.parseConfig(tinyBart));
    expect(sites.filter((s) => s.point === 'cross.v').map((s) => s.layer)).toEqual([2, 3, 4]);
    expect(sites.find((s) => s.point === 'attn.self' && s.layer === 0)).toMatchObject({ location: 'encoder_prefix', path: 'encoder.layers.0.self_attn', headDim: 8 });
    expect(sites.find((s) => s.point === 'attn.self' && s.layer === 2)).toMatchObject({ location: 'self_prefix', path: 'decoder.layers.0.self_attn', headDim: 4 });
    expect(sites.find((s) => s.point === 'attn.cross' && s.layer === 4)).toMatchObject({ location: 'cross_prefix', path: 'decoder.layers.2.encoder_attn' });
    expect(sites.find((s) => s.point === 'block.cross' && s.layer === 3)).toMatchObject({ path: 'decoder.layers.1.cross_attention_adapters', hasLayerNorm: true });
    expect(sites.find((s) => s.point === 'block.ffn' && s.layer === 1)).toMatchObject({ path: 'encoder.layers.1.output_adapters' });
    expect(sites.find((s) => s.point === 'embed.out')).toMatchObject({ path: 'encoder.layernorm_embedding' });
    expect(bartSites(bart.parseConfig(tinyMbart)).filter((s) => s.kind === 'residual').every((s) => s.kind === 'residual' && !s.hasLayerNorm)).toBe(true);
  });

  it('shift_tokens_right: BART prepends decoder_start_token_id; mBART / PLBart move the last non-pad token to the front', () => {
    const ids = tf.tensor2d([[5, 9, 4, 2], [8, 6, 2, 1]], [2, 4], 'int32');
    expect(shiftTokensRight(bart.parseConfig(tinyBart), ids).arraySync()).toEqual([[2, 5, 9, 4], [2, 8, 6, 2]]);
    expect(shiftTokensRight(bart.parseConfig(tinyMbart), ids).arraySync()).toEqual([[2, 5, 9, 4], [2, 8, 6, 2]]);
    const lang = tf.tensor2d([[5, 9, 2, 25], [8, 2, 25, 1]], [2, 4], 'int32');
    expect(shiftTokensRight(bart.parseConfig(tinyMbart), lang).arraySync()).toEqual([[25, 5, 9, 2], [25, 8, 2, 25]]);
    const m = createRandomModel(bart, tinyBart, { seed: 1 });
    const x = tinyInputs();
    const a = m.forward({ input_ids: x.input_ids!, attention_mask: x.attention_mask! });
    const b = m.forward({ input_ids: x.input_ids!, attention_mask: x.attention_mask!, decoder_input_ids: shiftTokensRight(m.config, x.input_ids!) });
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    m.dispose();
  });

  it('rejects too long sequences, unknown model types and prompt tuning', () => {
    const m = createRandomModel(bart, tinyBart, { seed: 1 });
    expect(() => m.forward({ input_ids: tf.ones([1, 13], 'int32') })).toThrow(/max_position_embeddings/);
    m.dispose();
    expect(() => bart.parseConfig({ ...tinyBart, model_type: 'marian' })).toThrow(/serves/);
    expect(bart.unsupportedConfigs).toContain('prompt_tuning');
  });

  for (const [name, cfg] of CONFIGS) {
    it(`${name}: causal — changing future decoder tokens never changes past outputs (encoder unchanged)`, () => {
      const m = createRandomModel(bart, cfg, { seed: 2, std: 0.3 });
      const x = tinyInputs();
      const a = m.forward(x);
      const ids2 = tf.tensor2d([[2, 5, 9, 8, 8], [2, 7, 6, 9, 9]], [2, 5], 'int32');
      const b = m.forward({ ...x, decoder_input_ids: ids2 });
      expect(maxAbsDiff(tf.slice(a.last_hidden_state, [0, 0, 0], [2, 3, -1]), tf.slice(b.last_hidden_state, [0, 0, 0], [2, 3, -1]))).toBe(0);
      expect(maxAbsDiff(tf.slice(a.last_hidden_state, [0, 3, 0], [2, 2, -1]), tf.slice(b.last_hidden_state, [0, 3, 0], [2, 2, -1]))).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(a.encoder_last_hidden_state as tf.Tensor, b.encoder_last_hidden_state as tf.Tensor)).toBe(0);
      m.dispose();
    });

    it(`${name}: KV cache — decoding token by token equals full recomputation (LoRA on self-/cross-attention and FFN)`, () => {
      const m = createRandomModel(bart, cfg, { seed: 3, std: 0.3, methods: [lora] });
      m.addAdapter('l', 'lora[r=2,alpha=4,attn_matrices=["q","k","v"],intermediate_lora=True,output_lora=True]');
      randomize(m, 'l', 5);
      m.setActiveAdapters('l');
      const x = tinyInputs();
      const full = m.forward(x);
      const { steps, past } = decodeStepwise(m, x, full.encoder_last_hidden_state as tf.Tensor);
      expect(past['past_key_values.0.key']!.shape).toEqual([2, 4, 5, 4]);
      expect(Object.keys(past).length).toBe(2 * m.config.decoderLayers);
      expect(maxAbsDiff(tf.slice(steps, [0, 0, 0], [1, -1, -1]), tf.slice(full.last_hidden_state, [0, 0, 0], [1, -1, -1]))).toBeLessThan(1e-5);
      expect(maxAbsDiff(tf.slice(steps, [1, 0, 0], [1, 3, -1]), tf.slice(full.last_hidden_state, [1, 0, 0], [1, 3, -1]))).toBeLessThan(1e-5);
      m.dispose();
    });
  }

  it('KV cache with prefix tuning (prefixes are not cached) equals full recomputation', () => {
    const m = createRandomModel(bart, tinyMbart, { seed: 6, std: 0.3, methods: [prefixTuning] });
    m.addAdapter('p', 'prefix_tuning[prefix_length=3,bottleneck_size=8]');
    randomize(m, 'p', 9);
    m.setActiveAdapters('p');
    const x = tinyInputs();
    const full = m.forward(x);
    const { steps, past } = decodeStepwise(m, x, full.encoder_last_hidden_state as tf.Tensor);
    expect(past['past_key_values.1.value']!.shape).toEqual([2, 4, 5, 4]);
    expect(maxAbsDiff(tf.slice(steps, [0, 0, 0], [1, -1, -1]), tf.slice(full.last_hidden_state, [0, 0, 0], [1, -1, -1]))).toBeLessThan(1e-5);
    expect(maxAbsDiff(m.forward(x, { setup: null }).last_hidden_state, full.last_hidden_state)).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('encoder_last_hidden_state as input skips the encoder and gives the same decoder output', () => {
    const m = createRandomModel(bart, tinyPlbart, { seed: 7, std: 0.3 });
    const x = tinyInputs();
    const a = m.forward(x);
    const { input_ids: _ids, ...rest } = x;
    const b = m.forward({ ...rest, encoder_last_hidden_state: a.encoder_last_hidden_state as tf.Tensor });
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    m.dispose();
  });

  for (const [kind, cfgA, cfgB] of [
    // Children of a Parallel block must have modules at the same sites (as in Python, whose
    // pad_and_concat fails on a child without a module there).
    ['bottleneck (incl. cross_adapter)', 'double_seq_bn[cross_adapter=True]', 'double_seq_bn[cross_adapter=True,reduction_factor=4]'],
    ['LoRA (self, cross, FFN)', 'lora[r=2,attn_matrices=["q","k","v"],intermediate_lora=True]', 'lora[r=3,attn_matrices=["q","k","v"],intermediate_lora=True]'],
  ] as const) {
    for (const [name, cfg] of [CONFIGS[0], CONFIGS[1]]) {
      it(`${name}: Parallel(a, b) equals running a and b alone: ${kind}`, () => {
        const m = createRandomModel(bart, cfg, { seed: 4, std: 0.2, methods: [bottleneck, lora] });
        m.addAdapter('a', cfgA);
        m.addAdapter('b', cfgB);
        randomize(m, 'a', 1);
        randomize(m, 'b', 50);
        const x = tinyInputs();
        const par = m.forward(x, { setup: Parallel('a', 'b') });
        for (const [i, n] of [[0, 'a'], [2, 'b']] as const) {
          const single = m.forward(x, { setup: n });
          expect(maxAbsDiff(tf.slice(par.last_hidden_state, [i, 0, 0], [2, -1, -1]), single.last_hidden_state), n).toBeLessThan(1e-5);
          expect(maxAbsDiff(tf.slice(par.encoder_last_hidden_state as tf.Tensor, [i, 0, 0], [2, -1, -1]), single.encoder_last_hidden_state as tf.Tensor), n).toBeLessThan(1e-5);
        }
        m.dispose();
      });
    }
  }

  it('hidden states as transformers: embeddings, each layer input, the final (normalised) output', () => {
    const m = createRandomModel(bart, tinyMbart, { seed: 8, std: 0.3 });
    const out = m.forward(tinyInputs(), { outputHiddenStates: true });
    const enc = out.encoder_hidden_states as tf.Tensor[];
    const dec = out.decoder_hidden_states as tf.Tensor[];
    expect(enc.length).toBe(m.config.encoderLayers + 1);
    expect(dec.length).toBe(m.config.decoderLayers + 1);
    expect(out.hidden_states).toBe(dec);
    expect(maxAbsDiff(enc[enc.length - 1]!, out.encoder_last_hidden_state as tf.Tensor)).toBe(0);
    expect(maxAbsDiff(dec[dec.length - 1]!, out.last_hidden_state)).toBe(0);
    m.dispose();
  });

  it('save/load round trip and one training step lowers the loss', async () => {
    const m = createRandomModel(bart, tinyBart, { seed: 5, std: 0.3, methods: [lora, bottleneck] });
    m.addAdapter('a', 'lora[r=2,alpha=4]');
    m.addAdapter('b', 'seq_bn');
    m.setActiveAdapters(['a', 'b']);
    m.trainAdapter(['a', 'b']);
    const x = tinyInputs();
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
    const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(m.forward(x, { training: true }).last_hidden_state, target))) as tf.Scalar;
    const first = trainStep(m, loss, new SGD(0.1)).loss;
    const second = trainStep(m, loss, new SGD(0.1)).loss;
    expect(second).toBeLessThan(first);
    // trainAdapter switched the model to training mode (dropout 0.1): compare in eval mode.
    const before = m.forward(x, { training: false }).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'out/a', 'a');
    await saveAdapter(m, storage, 'out/b', 'b');
    const m2 = createRandomModel(bart, tinyBart, { seed: 5, std: 0.3, methods: [lora, bottleneck] });
    await loadAdapter(m2, storage, 'out/a');
    await loadAdapter(m2, storage, 'out/b');
    m2.setActiveAdapters(['a', 'b']);
    expect(maxAbsDiff(m2.forward(x).last_hidden_state, before)).toBeLessThan(1e-6);
    m.dispose();
    m2.dispose();
  });
});
