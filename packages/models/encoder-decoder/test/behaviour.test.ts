import '@adapters/bert/register';
import '@adapters/bert-generation/register';
import '../src/register';
import { bert } from '@adapters/bert';
import {
  AdapterConfigError,
  type AdapterModel,
  BatchSplit,
  CompositionError,
  MemoryStorage,
  MissingPluginError,
  Parallel,
  createRandomModel,
  float32ToRaw,
  gelu,
  layerNorm,
  loadPretrained,
  serializeSafetensors,
  utf8,
} from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defineEncoderDecoder, encoderDecoder } from '../src';
import { BERT_SUB, asDecoder, randomize, rows, tinyBert2Bert, tinyBertGeneration2, tinyInputs } from './helpers';

const ids = (r: number[][]): tf.Tensor => tf.tensor2d(r, [r.length, r[0]!.length], 'int32');
const build = (cfg: Record<string, unknown> = tinyBert2Bert, seed = 2): AdapterModel =>
  createRandomModel(encoderDecoder, cfg, { seed, std: 0.3, methods: [lora, prefixTuning] });

/** A plain BertModel with the composed model's weights under `prefix.` copied in. */
function plainBert(composed: AdapterModel, json: Record<string, unknown>, prefix: string): AdapterModel {
  const m = createRandomModel(bert, json, { seed: 99 });
  for (const [k, v] of m.weights) v.assign(composed.weights.get(`${prefix}.${k}`)!);
  return m;
}

describe('decoder: causal self-attention', () => {
  for (const setup of [null, 'l', 'p'] as const) {
    it(`changing future decoder tokens never changes past outputs (${setup ?? 'no adapter'})`, () => {
      const m = build();
      m.addAdapter('l', 'lora[r=2,attn_matrices=["q","k","v"],intermediate_lora=True]');
      m.addAdapter('p', 'prefix_tuning[prefix_length=3,bottleneck_size=8]');
      randomize(m, 'l', 1);
      randomize(m, 'p', 7);
      const x = tinyInputs();
      const a = m.forward(x, { setup });
      const b = m.forward({ ...x, decoder_input_ids: ids([[2, 5, 9, 8, 8], [2, 7, 6, 9, 9]]) }, { setup });
      expect(maxAbsDiff(rows(a.last_hidden_state, 0, 2, 0, 3), rows(b.last_hidden_state, 0, 2, 0, 3))).toBe(0);
      expect(maxAbsDiff(rows(a.logits as tf.Tensor, 0, 2, 0, 3), rows(b.logits as tf.Tensor, 0, 2, 0, 3))).toBe(0);
      expect(maxAbsDiff(rows(a.last_hidden_state, 0, 1, 3, 2), rows(b.last_hidden_state, 0, 1, 3, 2))).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(a.encoder_last_hidden_state as tf.Tensor, b.encoder_last_hidden_state as tf.Tensor)).toBe(0);
      m.dispose();
    });
  }
});

describe('decoder: cross-attention on the encoder output', () => {
  it('changing the encoder input changes every decoder position of that row, and only that row', () => {
    const m = build();
    const x = tinyInputs();
    const a = m.forward(x).last_hidden_state;
    const b = m.forward({ ...x, input_ids: ids([[5, 9, 4, 7, 12, 3], [8, 6, 2, 0, 0, 0]]) }).last_hidden_state;
    for (let t = 0; t < 5; t++) expect(maxAbsDiff(rows(a, 0, 1, t, 1), rows(b, 0, 1, t, 1)), `position ${t}`).toBeGreaterThan(1e-5);
    expect(maxAbsDiff(rows(a, 1, 1, 0, 5), rows(b, 1, 1, 0, 5))).toBe(0);
    m.dispose();
  });

  it('padded encoder positions are masked out of the cross-attention', () => {
    const m = build();
    const x = tinyInputs();
    const a = m.forward(x).last_hidden_state;
    const b = m.forward({ ...x, input_ids: ids([[5, 9, 4, 7, 11, 3], [8, 6, 2, 13, 14, 15]]) }).last_hidden_state;
    // Row 1's tokens 3..5 are padding (attention_mask 0): neither the encoder's valid states nor the decoder see them.
    expect(maxAbsDiff(rows(a, 1, 1, 0, 5), rows(b, 1, 1, 0, 5))).toBe(0);
    m.dispose();
  });

  it('with crossattention.output.dense zeroed, the decoder equals a plain causal BertModel; the encoder output equals a plain BertModel', () => {
    const m = build();
    const x = tinyInputs();
    // Sub-layer output LN(0 + a) = a: `a` is already LayerNorm-ed with unit gain / zero bias (the random init).
    for (const [k, v] of m.weights) if (/crossattention\.output\.dense\./.test(k)) v.assign(tf.zerosLike(v));
    const out = m.forward(x);
    const dec = plainBert(m, { ...BERT_SUB, num_hidden_layers: 3, is_decoder: true }, 'decoder.bert');
    const plain = dec.forward({ input_ids: x.decoder_input_ids!, attention_mask: x.decoder_attention_mask! }).last_hidden_state;
    expect(maxAbsDiff(out.last_hidden_state, plain)).toBeLessThan(1e-5);
    const enc = plainBert(m, BERT_SUB, 'encoder');
    expect(maxAbsDiff(out.encoder_last_hidden_state as tf.Tensor, enc.forward({ input_ids: x.input_ids!, attention_mask: x.attention_mask! }).last_hidden_state)).toBe(0);
    // And the cross-attention did change the output before zeroing (the check above is not vacuous).
    const m2 = build();
    expect(maxAbsDiff(m2.forward(x).last_hidden_state, plain)).toBeGreaterThan(1e-3);
    for (const mm of [m, m2, dec, enc]) mm.dispose();
  });

  it('encoder_last_hidden_state as input skips the encoder and gives the same decoder output', () => {
    const m = build();
    const x = tinyInputs();
    const a = m.forward(x);
    const { input_ids: _ids, ...rest } = x;
    const b = m.forward({ ...rest, encoder_last_hidden_state: a.encoder_last_hidden_state as tf.Tensor });
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    m.dispose();
  });
});

describe('LM head (BertLMHeadModel cls.predictions, tied to the decoder word embeddings)', () => {
  it('logits = LN(gelu(h·W + b))·Eᵀ + bias with E the decoder (not the encoder) word embeddings', () => {
    const m = build();
    const w = (k: string): tf.Tensor => m.weights.get(k)!;
    m.weights.get('decoder.cls.predictions.bias')!.assign(tf.randomNormal([30], 0, 1, 'float32', 3));
    const out = m.forward(tinyInputs());
    const h = out.last_hidden_state;
    const t = gelu(tf.add(tf.matMul(tf.reshape(h, [-1, 16]), w('decoder.cls.predictions.transform.dense.weight')), w('decoder.cls.predictions.transform.dense.bias')));
    const n = layerNorm(t, w('decoder.cls.predictions.transform.LayerNorm.weight'), w('decoder.cls.predictions.transform.LayerNorm.bias'), 1e-12);
    const expected = tf.reshape(tf.add(tf.matMul(n, w('decoder.bert.embeddings.word_embeddings.weight'), false, true), w('decoder.cls.predictions.bias')), [2, 5, 30]);
    expect(maxAbsDiff(out.logits as tf.Tensor, expected)).toBeLessThan(1e-5);
    m.dispose();
  });

  it('head names per decoder class: RobertaForCausalLM and BertGenerationDecoder use lm_head', () => {
    const head = (cfg: Record<string, unknown>): string[] =>
      encoderDecoder.weightSpecs(encoderDecoder.parseConfig(cfg)).map((s) => s.name).filter((n) => !n.startsWith('decoder.bert.') && !n.startsWith('decoder.roberta.') && n.startsWith('decoder.'));
    expect(head(tinyBert2Bert)).toEqual([
      'decoder.cls.predictions.transform.dense.weight',
      'decoder.cls.predictions.transform.dense.bias',
      'decoder.cls.predictions.transform.LayerNorm.weight',
      'decoder.cls.predictions.transform.LayerNorm.bias',
      'decoder.cls.predictions.bias',
    ]);
    expect(head({ ...tinyBert2Bert, decoder: asDecoder({ ...BERT_SUB, model_type: 'roberta', pad_token_id: 1 }) })).toEqual([
      'decoder.lm_head.dense.weight',
      'decoder.lm_head.dense.bias',
      'decoder.lm_head.layer_norm.weight',
      'decoder.lm_head.layer_norm.bias',
      'decoder.lm_head.bias',
    ]);
    expect(head(tinyBertGeneration2)).toEqual(['decoder.lm_head.bias']);
    // BertGenerationDecoder: logits = h·Eᵀ + bias (tied lm_head.decoder, no transform).
    const m = createRandomModel(encoderDecoder, tinyBertGeneration2, { seed: 4, std: 0.3 });
    const out = m.forward(tinyInputs());
    const e = m.weights.get('decoder.bert.embeddings.word_embeddings.weight')!;
    expect(maxAbsDiff(out.logits as tf.Tensor, tf.reshape(tf.matMul(tf.reshape(out.last_hidden_state, [-1, 16]), e, false, true), [2, 5, 30]))).toBeLessThan(1e-5);
    m.dispose();
  });

  it('tie_word_embeddings: false gives the head its own decoder.cls.predictions.decoder.weight', () => {
    const cfg = { ...tinyBert2Bert, decoder: { ...tinyBert2Bert.decoder, tie_word_embeddings: false } };
    const names = encoderDecoder.weightSpecs(encoderDecoder.parseConfig(cfg)).map((s) => s.name);
    expect(names).toContain('decoder.cls.predictions.decoder.weight');
    expect(encoderDecoder.weightSpecs(encoderDecoder.parseConfig(tinyBert2Bert)).map((s) => s.name)).not.toContain('decoder.cls.predictions.decoder.weight');
  });
});

describe('inputs', () => {
  it('labels are shifted right (decoder_start_token_id, -100 → pad_token_id) when decoder_input_ids are absent', () => {
    const m = build();
    const x = tinyInputs();
    const { decoder_input_ids: _d, ...rest } = x;
    const a = m.forward({ ...rest, labels: ids([[5, 9, 4, 7, 1], [7, 6, -100, -100, -100]]) });
    const b = m.forward({ ...rest, decoder_input_ids: ids([[2, 5, 9, 4, 7], [2, 7, 6, 0, 0]]) });
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    m.dispose();
    const noStart = createRandomModel(encoderDecoder, { ...tinyBert2Bert, decoder_start_token_id: null }, { seed: 1 });
    expect(() => noStart.forward({ ...rest, labels: ids([[5, 9, 4, 7, 1], [7, 6, 1, 1, 1]]) })).toThrow(AdapterConfigError);
    noStart.dispose();
  });

  it('different hidden sizes: enc_to_dec_proj maps the encoder output to the decoder size', () => {
    const cfg = { ...tinyBert2Bert, encoder: { ...BERT_SUB, hidden_size: 24, num_attention_heads: 3 } };
    const c = encoderDecoder.parseConfig(cfg);
    expect(c.encToDecProj).toBe(true);
    expect(encoderDecoder.weightSpecs(c).find((s) => s.name === 'enc_to_dec_proj.weight')).toMatchObject({ shape: [24, 16], transposed: true });
    const m = build(cfg);
    const out = m.forward(tinyInputs());
    expect((out.encoder_last_hidden_state as tf.Tensor).shape).toEqual([2, 6, 24]);
    expect(out.last_hidden_state.shape).toEqual([2, 5, 16]);
    m.dispose();
  });
});

describe('Python support rules and typed errors', () => {
  it('rejects prompt tuning (support_prompt_tuning = False) and Parallel (not in SUPPORTED_MODELS)', () => {
    const m = build();
    expect(() => m.addAdapter('pt', 'prompt_tuning')).toThrow(AdapterConfigError);
    expect(() => m.addAdapter('pt', 'prompt_tuning')).toThrow(/not supported by models of type encoder-decoder/);
    m.addAdapter('a', 'lora');
    m.addAdapter('b', 'lora');
    expect(() => m.setActiveAdapters(Parallel('a', 'b'))).toThrow(CompositionError);
    m.dispose();
  });

  it('BatchSplit(a, b): each row group equals running its adapter alone', () => {
    const m = build();
    m.addAdapter('a', 'lora[r=2,attn_matrices=["q","k","v"]]');
    m.addAdapter('b', 'lora[r=3,attn_matrices=["q","k","v"]]');
    randomize(m, 'a', 1);
    randomize(m, 'b', 50);
    const x = tinyInputs();
    const split = m.forward(x, { setup: BatchSplit('a', 'b', { batchSizes: [1, 1] }) }).last_hidden_state;
    expect(maxAbsDiff(rows(split, 0, 1, 0, 5), rows(m.forward(x, { setup: 'a' }).last_hidden_state, 0, 1, 0, 5))).toBeLessThan(1e-5);
    expect(maxAbsDiff(rows(split, 1, 1, 0, 5), rows(m.forward(x, { setup: 'b' }).last_hidden_state, 1, 1, 0, 5))).toBeLessThan(1e-5);
    m.dispose();
  });

  it('config errors name the key at fault', () => {
    const err = (json: Record<string, unknown>): unknown => {
      try {
        encoderDecoder.parseConfig(json);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(err({ model_type: 'encoder-decoder', encoder: BERT_SUB })).toMatchObject({ name: 'AdapterConfigError', field: 'decoder' });
    expect(err({ ...tinyBert2Bert, tie_encoder_decoder: true })).toMatchObject({ name: 'AdapterConfigError', field: 'tie_encoder_decoder' });
    expect(err({ ...tinyBert2Bert, decoder: { ...BERT_SUB, add_cross_attention: true } })).toMatchObject({ name: 'AdapterConfigError', field: 'add_cross_attention' });
    expect(err({ ...tinyBert2Bert, encoder: tinyBert2Bert })).toMatchObject({ name: 'AdapterConfigError', field: 'encoder.model_type' });
    expect(err({ ...tinyBert2Bert, decoder: asDecoder({ ...BERT_SUB, model_type: 'no-such-model' }) })).toBeInstanceOf(MissingPluginError);
  });

  it('a decoder plugin without cross-attention is rejected when the config asks for it', () => {
    // A BERT plugin that drops add_cross_attention (as a decoder without cross-attention support would).
    const noCross = { ...bert, name: 'no-cross', modelTypes: ['no-cross'], parseConfig: (j: Readonly<Record<string, unknown>>) => bert.parseConfig({ ...j, model_type: 'bert', add_cross_attention: false }) };
    const def = defineEncoderDecoder({ models: [noCross] });
    expect(() => def.parseConfig({ ...tinyBert2Bert, decoder: asDecoder({ ...BERT_SUB, model_type: 'no-cross' }) })).toThrow(/cannot read the encoder output/);
  });
});

describe('loading a Hugging Face checkpoint', () => {
  it('loadPretrained picks the plugin by model_type and the sub-models from the registry; tied weights may be omitted', async () => {
    const m = build();
    const storage = new MemoryStorage();
    const raw = new Map(
      encoderDecoder.weightSpecs(encoderDecoder.parseConfig(tinyBert2Bert)).map((s) => {
        const v = m.weights.get(s.name)!;
        const t = s.transposed ? tf.transpose(v) : v;
        return [s.name, float32ToRaw(t.dataSync() as Float32Array, t.shape)] as const;
      }),
    );
    await storage.writeFile('ckpt/model.safetensors', serializeSafetensors(raw, null));
    await storage.writeFile('ckpt/config.json', utf8.encode(JSON.stringify(tinyBert2Bert)));
    const loaded = await loadPretrained(storage, 'ckpt');
    expect(loaded.definition.name).toBe('encoder-decoder');
    expect(loaded.modelClass).toBe('EncoderDecoderModel');
    const x = tinyInputs();
    const a = m.forward(x);
    const b = loaded.forward(x);
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    expect(maxAbsDiff(a.logits as tf.Tensor, b.logits as tf.Tensor)).toBe(0);
    m.dispose();
    loaded.dispose();
  });
});
