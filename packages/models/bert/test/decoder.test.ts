import { AdapterConfigError, createRandomModel } from '@adapters/core';
import { describeModel, maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bert, bertSites } from '../src';

const base = {
  model_type: 'bert',
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
};
const decoder = { ...base, is_decoder: true, add_cross_attention: true };
const ids = (r: number[][]): tf.Tensor => tf.tensor2d(r, [r.length, r[0]!.length], 'int32');
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: ids([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]]),
  attention_mask: ids([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]),
  encoder_hidden_states: tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5),
  encoder_attention_mask: ids([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]),
});

describeModel(bert, { config: decoder, inputs });
describeModel(bert, { config: { ...decoder, model_type: 'roberta', pad_token_id: 1 }, inputs });

describe('BERT as a decoder (is_decoder, add_cross_attention)', () => {
  it('cross-attention sites as Python wires crossattention (selfattn LoRA, cross_prefix, mh_adapter bottleneck)', () => {
    const sites = bertSites(bert.parseConfig(decoder));
    expect(sites.filter((s) => s.layer === 1).map((s) => s.point)).toEqual([
      'attn.q', 'attn.k', 'attn.v', 'attn.self', 'attn.o', 'block.attn',
      'cross.q', 'cross.k', 'cross.v', 'attn.cross', 'block.cross',
      'ffn.up', 'ffn.down', 'block.ffn', 'layer.out',
    ]);
    expect(sites.find((s) => s.point === 'attn.cross' && s.layer === 0)).toMatchObject({ path: 'encoder.layer.0.crossattention.self', location: 'cross_prefix' });
    expect(sites.find((s) => s.point === 'block.cross' && s.layer === 0)).toMatchObject({ path: 'encoder.layer.0.crossattention.output', locationKey: 'mh_adapter', hasLayerNorm: true });
    expect(bertSites(bert.parseConfig(base)).some((s) => s.point.startsWith('cross') || s.point === 'attn.cross')).toBe(false);
  });

  it('causal: changing future tokens never changes past outputs; an encoder (is_decoder false) sees them', () => {
    for (const [cfg, causal] of [[decoder, true], [base, false]] as const) {
      const m = createRandomModel(bert, cfg, { seed: 2, std: 0.3 });
      const x = inputs();
      const a = m.forward(x).last_hidden_state;
      const b = m.forward({ ...x, input_ids: ids([[2, 5, 9, 8, 8], [2, 7, 3, 0, 0]]) }).last_hidden_state;
      const past = maxAbsDiff(tf.slice(a, [0, 0, 0], [1, 3, -1]), tf.slice(b, [0, 0, 0], [1, 3, -1]));
      if (causal) expect(past).toBe(0);
      else expect(past).toBeGreaterThan(1e-4);
      m.dispose();
    }
  });

  it('the encoder states and their mask reach every position; without encoder_hidden_states cross-attention is skipped', () => {
    const m = createRandomModel(bert, decoder, { seed: 3, std: 0.3 });
    const x = inputs();
    const a = m.forward(x).last_hidden_state;
    const enc2 = tf.add(x.encoder_hidden_states!, tf.reshape(tf.oneHot(tf.tensor1d([0, 5], 'int32'), 6), [2, 6, 1]));
    const b = m.forward({ ...x, encoder_hidden_states: enc2 }).last_hidden_state;
    // Row 0: encoder position 0 changed → every decoder position changes; row 1: only masked position 5 changed → nothing.
    for (let t = 0; t < 5; t++) expect(maxAbsDiff(tf.slice(a, [0, t, 0], [1, 1, -1]), tf.slice(b, [0, t, 0], [1, 1, -1]))).toBeGreaterThan(1e-6);
    expect(maxAbsDiff(tf.slice(a, [1, 0, 0], [1, -1, -1]), tf.slice(b, [1, 0, 0], [1, -1, -1]))).toBe(0);
    const { encoder_hidden_states: _e, encoder_attention_mask: _m, ...noEnc } = x;
    expect(m.forward(noEnc).last_hidden_state.shape).toEqual([2, 5, 16]);
    m.dispose();
  });

  it('cross-attention weights are loaded from crossattention.* and rejected configs name their key', () => {
    const names = bert.weightSpecs(bert.parseConfig(decoder)).map((s) => s.name);
    expect(names).toContain('encoder.layer.1.crossattention.self.key.weight');
    expect(names).toContain('encoder.layer.1.crossattention.output.LayerNorm.bias');
    expect(() => bert.parseConfig({ ...base, add_cross_attention: true })).toThrow(AdapterConfigError);
    expect(() => bert.parseConfig({ ...base, is_decoder: 'yes' })).toThrow(/is_decoder|true or false/);
  });
});
