import { MemoryStorage, createRandomModel, loadAdapter, parseSafetensors, saveAdapter } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { prefixTuning } from '@adapters/prefix-tuning';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clip, clipSites } from '../src';

// Towers of different widths (text 16 = 2 × 8, vision 12 = 3 × 4), as in real CLIP checkpoints (512 vs 768).
const config = {
  model_type: 'clip',
  projection_dim: 8,
  text_config: { hidden_size: 16, intermediate_size: 24, num_attention_heads: 2, num_hidden_layers: 2, vocab_size: 30, max_position_embeddings: 12, eos_token_id: 29 },
  vision_config: { hidden_size: 12, intermediate_size: 20, num_attention_heads: 3, num_hidden_layers: 3, image_size: 8, patch_size: 4 },
};
const inputs = (): Record<string, tf.Tensor> => ({
  input_ids: tf.tensor2d([[28, 5, 9, 4, 29], [28, 7, 29, 1, 1]], [2, 5], 'int32'),
  attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 1),
});

/**
 * Python (adapters 1.1.0, `models/clip/mixin_clip.py`): `PrefixTuningLayer("self_prefix", model_config,
 * adapters_config, add_model_type_to_key=True)` with `model_config` = the tower's config, so the location
 * keys are `clip_text_model_self_prefix` and `clip_vision_model_self_prefix`; `PrefixTuningPool` at the
 * model root creates one `PrefixTuning` per location with `n_layers` = the tower's layers that got a
 * prefix, `input_size` = that tower's hidden size: `wte` Embedding(prefix_length, input_size),
 * `control_trans` = [Linear(input_size, bottleneck), Tanh, Linear(bottleneck, n_layers·2·hidden)].
 */
function pythonPrefixKeys(name: string, prefixLength: number, bottleneck: number, towers: { loc: string; hidden: number; layers: number }[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of towers) {
    const p = `prefix_tuning.prefix_tunings.${name}.${t.loc}`;
    out[`${p}.wte.weight`] = [prefixLength, t.hidden];
    out[`${p}.control_trans.0.weight`] = [bottleneck, t.hidden];
    out[`${p}.control_trans.0.bias`] = [bottleneck];
    out[`${p}.control_trans.2.weight`] = [t.layers * 2 * t.hidden, bottleneck];
    out[`${p}.control_trans.2.bias`] = [t.layers * 2 * t.hidden];
  }
  return out;
}

describe('CLIP prefix tuning: Python location keys (add_model_type_to_key=True)', () => {
  it('sites carry clip_text_model_self_prefix / clip_vision_model_self_prefix', () => {
    const sites = clipSites(clip.parseConfig(config)).filter((s) => s.kind === 'attention');
    expect(sites.map((s) => [s.path, s.kind === 'attention' ? s.location : ''])).toEqual([
      ['text_model.encoder.layers.0.self_attn', 'clip_text_model_self_prefix'],
      ['text_model.encoder.layers.1.self_attn', 'clip_text_model_self_prefix'],
      ['vision_model.encoder.layers.0.self_attn', 'clip_vision_model_self_prefix'],
      ['vision_model.encoder.layers.1.self_attn', 'clip_vision_model_self_prefix'],
      ['vision_model.encoder.layers.2.self_attn', 'clip_vision_model_self_prefix'],
    ]);
  });

  it('parameter names and shapes are the ones Python saves: one pool entry per tower, each with its own width', async () => {
    const m = createRandomModel(clip, config, { seed: 2, std: 0.3, methods: [prefixTuning] });
    m.addAdapter('pre', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 10 });
    const expected = pythonPrefixKeys('pre', 3, 10, [
      { loc: 'clip_text_model_self_prefix', hidden: 16, layers: 2 },
      { loc: 'clip_vision_model_self_prefix', hidden: 12, layers: 3 },
    ]);
    const params = m.adapterParameters('pre');
    expect(Object.fromEntries([...params].map(([k, v]) => [k, v.shape]))).toEqual(expected);
    // leave_out counts Python's iter_layers numbering: text 0–1, vision 2–4.
    m.addAdapter('lo', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 10, leave_out: [0, 2, 3] });
    expect(Object.fromEntries([...m.adapterParameters('lo')].map(([k, v]) => [k, v.shape]))).toEqual(
      pythonPrefixKeys('lo', 3, 10, [
        { loc: 'clip_text_model_self_prefix', hidden: 16, layers: 1 },
        { loc: 'clip_vision_model_self_prefix', hidden: 12, layers: 1 },
      ]),
    );
    // The saved file holds exactly those names.
    const mem = new MemoryStorage();
    await saveAdapter(m, mem, 'out/pre', 'pre');
    const file = [...mem.files.keys()].find((k) => k.startsWith('out/pre/') && k.endsWith('.safetensors'))!;
    expect([...parseSafetensors(mem.files.get(file)!).tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
    m.dispose();
  });

  it('prefix tuning changes both towers; a save/load round trip reproduces the outputs', async () => {
    const m = createRandomModel(clip, config, { seed: 3, std: 0.3, methods: [prefixTuning] });
    const x = inputs();
    const base = m.forward(x);
    m.addAdapter('pre', { architecture: 'prefix_tuning', prefix_length: 2 });
    m.setActiveAdapters('pre');
    const out = m.forward(x);
    expect(maxAbsDiff(out.text_embeds as tf.Tensor, base.text_embeds as tf.Tensor)).toBeGreaterThan(1e-6);
    expect(maxAbsDiff(out.image_embeds as tf.Tensor, base.image_embeds as tf.Tensor)).toBeGreaterThan(1e-6);
    // The prefix does not lengthen the sequences (keys/values only).
    expect((out['text_model_output.last_hidden_state'] as tf.Tensor).shape).toEqual([2, 5, 16]);
    const mem = new MemoryStorage();
    await saveAdapter(m, mem, 'out/pre', 'pre');
    const m2 = createRandomModel(clip, config, { seed: 3, std: 0.3, methods: [prefixTuning] });
    await loadAdapter(m2, mem, 'out/pre', { setActive: true });
    expect(maxAbsDiff(m2.forward(x).logits_per_image as tf.Tensor, out.logits_per_image as tf.Tensor)).toBeLessThan(1e-6);
    m.dispose();
    m2.dispose();
  });
});
