import '@adapters/bert/register';
import { bottleneck } from '@adapters/bottleneck';
import { ADAPTER_FILES, type AdapterModel, MemoryStorage, createRandomModel, readJson, readWeights, saveAdapter } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import { invertible } from '@adapters/invertible';
import { lora } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { encoderDecoder } from '../src';
import { oneLayerBert2Bert, randomize, tinyBert2Bert, tinyInputs } from './helpers';

const METHODS = [lora, bottleneck, prefixTuning, invertible];
const model = (cfg: Record<string, unknown> = oneLayerBert2Bert): AdapterModel => createRandomModel(encoderDecoder, cfg, { methods: METHODS, seed: 1, std: 0.2 });
const keys = (m: AdapterModel, name: string): string[] => [...m.adapterParameters(name).keys()].sort();

/*
 * Expected state-dict names, derived from the Python module tree (no Python fixture exists for this
 * architecture):
 * - transformers `EncoderDecoderModel.__init__`: `self.encoder = AutoModel.from_config(config.encoder)`
 *   (a bare BertModel: `encoder.` + BertModel names) and `self.decoder =
 *   AutoModelForCausalLM.from_config(config.decoder)` (BertLMHeadModel: `self.bert = BertModel(config,
 *   add_pooling_layer=False)` → `decoder.bert.` + BertModel names); BertLayer of a decoder with
 *   `add_cross_attention` has `self.crossattention = BertAttention(...)` (`.self.{query,key,value}`, `.output`).
 * - adapters `mixin_encoder_decoder.py`: `init_submodels` runs `adapters.init` on encoder and decoder,
 *   so each keeps its own modules and its own PrefixTuningPool (`<sub>.base_model.prefix_tuning`:
 *   `encoder.prefix_tuning`, `decoder.bert.prefix_tuning`); invertible adapters live in
 *   `self.encoder.base_model.invertible_adapters` (`encoder.invertible_adapters`).
 * - adapters `models/bert/mixin_bert.py`: query/key/value (self and cross) are `LoRALinear.wrap(...,
 *   "selfattn")` (`….loras.<name>.lora_A/B`); `BertSelfOutput` (also `crossattention.output`) is a
 *   `mh_adapter` BottleneckLayer, `BertOutput` an `output_adapter` one (`….adapters.<name>…`); the
 *   cross-attention prefix layer has location key `cross_prefix` (`BertLayerAdaptersMixin`).
 */
describe('Python state-dict names (bert2bert, one layer each)', () => {
  it('LoRA: q/v of encoder self-attention, decoder self- and cross-attention', () => {
    const m = model();
    m.addAdapter('a', 'lora');
    const lora = (p: string): string[] => [`${p}.loras.a.lora_A`, `${p}.loras.a.lora_B`];
    expect(keys(m, 'a')).toEqual(
      [
        ...lora('encoder.encoder.layer.0.attention.self.query'),
        ...lora('encoder.encoder.layer.0.attention.self.value'),
        ...lora('decoder.bert.encoder.layer.0.attention.self.query'),
        ...lora('decoder.bert.encoder.layer.0.attention.self.value'),
        ...lora('decoder.bert.encoder.layer.0.crossattention.self.query'),
        ...lora('decoder.bert.encoder.layer.0.crossattention.self.value'),
      ].sort(),
    );
    m.dispose();
  });

  it('saved adapter.safetensors holds exactly these names and adapter_config.json says encoder-decoder', async () => {
    const m = model();
    m.addAdapter('a', 'lora[attn_matrices=["k"]]');
    const storage = new MemoryStorage();
    await saveAdapter(m, storage, 'out', 'a');
    const saved = [...(await readWeights(storage, 'out', ADAPTER_FILES.weights, ADAPTER_FILES.weightsBin)).keys()].sort();
    expect(saved).toEqual(
      [
        'decoder.bert.encoder.layer.0.attention.self.key.loras.a.lora_A',
        'decoder.bert.encoder.layer.0.attention.self.key.loras.a.lora_B',
        'decoder.bert.encoder.layer.0.crossattention.self.key.loras.a.lora_A',
        'decoder.bert.encoder.layer.0.crossattention.self.key.loras.a.lora_B',
        'encoder.encoder.layer.0.attention.self.key.loras.a.lora_A',
        'encoder.encoder.layer.0.attention.self.key.loras.a.lora_B',
      ].sort(),
    );
    expect(await readJson(storage, 'out/adapter_config.json')).toMatchObject({ model_type: 'encoder-decoder', model_class: 'EncoderDecoderModel' });
    m.dispose();
  });

  it('seq_bn: output adapters only; double_seq_bn: crossattention.output too (a mh_adapter layer), cross_adapter has no effect', () => {
    const m = model();
    m.addAdapter('s', 'seq_bn[cross_adapter=True]');
    m.addAdapter('d', 'double_seq_bn');
    const bn = (p: string, n: string): string[] =>
      ['adapter_down.0.weight', 'adapter_down.0.bias', 'adapter_up.weight', 'adapter_up.bias'].map((k) => `${p}.adapters.${n}.${k}`);
    expect(keys(m, 's')).toEqual([...bn('encoder.encoder.layer.0.output', 's'), ...bn('decoder.bert.encoder.layer.0.output', 's')].sort());
    expect(keys(m, 'd')).toEqual(
      [
        ...bn('encoder.encoder.layer.0.attention.output', 'd'),
        ...bn('encoder.encoder.layer.0.output', 'd'),
        ...bn('decoder.bert.encoder.layer.0.attention.output', 'd'),
        ...bn('decoder.bert.encoder.layer.0.crossattention.output', 'd'),
        ...bn('decoder.bert.encoder.layer.0.output', 'd'),
      ].sort(),
    );
    m.dispose();
  });

  it('prefix tuning: one pool per sub-model — encoder self_prefix, decoder self_prefix and cross_prefix', () => {
    const m = model(tinyBert2Bert);
    m.addAdapter('p', 'prefix_tuning[prefix_length=4,bottleneck_size=8]');
    const pool = (p: string): string[] =>
      ['wte.weight', 'control_trans.0.weight', 'control_trans.0.bias', 'control_trans.2.weight', 'control_trans.2.bias'].map((k) => `${p}.${k}`);
    expect(keys(m, 'p')).toEqual(
      [
        ...pool('encoder.prefix_tuning.prefix_tunings.p.self_prefix'),
        ...pool('decoder.bert.prefix_tuning.prefix_tunings.p.self_prefix'),
        ...pool('decoder.bert.prefix_tuning.prefix_tunings.p.cross_prefix'),
      ].sort(),
    );
    // Python `n_layers` per pool location: 2 encoder layers, 3 decoder layers; 2 · heads(2) · head_dim(8) each.
    const p = m.adapterParameters('p');
    expect(p.get('encoder.prefix_tuning.prefix_tunings.p.self_prefix.control_trans.2.weight')!.shape).toEqual([2 * 2 * 2 * 8, 8]);
    expect(p.get('decoder.bert.prefix_tuning.prefix_tunings.p.self_prefix.control_trans.2.weight')!.shape).toEqual([3 * 2 * 2 * 8, 8]);
    expect(p.get('decoder.bert.prefix_tuning.prefix_tunings.p.cross_prefix.control_trans.2.weight')!.shape).toEqual([3 * 2 * 2 * 8, 8]);
    m.dispose();
  });

  it('invertible adapters live in the encoder only (decoder embeddings have no hook)', () => {
    const m = model();
    m.addAdapter('i', 'seq_bn_inv');
    const inv = keys(m, 'i').filter((k) => k.includes('invertible'));
    expect(inv.length).toBeGreaterThan(0);
    expect(inv.every((k) => k.startsWith('encoder.invertible_adapters.i.'))).toBe(true);
    expect(m.sites.filter((s) => s.kind === 'embedding').map((s) => s.path)).toEqual(['encoder.embeddings']);
    m.dispose();
  });
});

describe('layer numbering (Python iter_layers counts encoder and decoder layers from 0 each)', () => {
  it('sites keep their sub-model index; decoder hook layers follow the encoder', () => {
    const m = model(tinyBert2Bert);
    const q = m.sites.filter((s) => s.point === 'attn.q');
    expect(q.map((s) => [s.path, s.layer, s.hookLayer ?? s.layer])).toEqual([
      ['encoder.encoder.layer.0.attention.self.query', 0, 0],
      ['encoder.encoder.layer.1.attention.self.query', 1, 1],
      ['decoder.bert.encoder.layer.0.attention.self.query', 0, 2],
      ['decoder.bert.encoder.layer.1.attention.self.query', 1, 3],
      ['decoder.bert.encoder.layer.2.attention.self.query', 2, 4],
    ]);
    m.dispose();
  });

  it('leave_out: [0] leaves out layer 0 of both the encoder and the decoder', () => {
    const m = model(tinyBert2Bert);
    m.addAdapter('a', 'lora[leave_out=[0],intermediate_lora=True]');
    m.addAdapter('b', 'double_seq_bn[leave_out=[0]]');
    m.addAdapter('p', 'prefix_tuning[leave_out=[0]]');
    for (const n of ['a', 'b']) {
      const k = keys(m, n);
      expect(k.some((x) => x.includes('.layer.0.')), n).toBe(false);
      expect(k.some((x) => x.startsWith('encoder.encoder.layer.1.')), n).toBe(true);
      expect(k.some((x) => x.startsWith('decoder.bert.encoder.layer.1.')), n).toBe(true);
      expect(k.some((x) => x.startsWith('decoder.bert.encoder.layer.2.')), n).toBe(true);
    }
    const p = m.adapterParameters('p');
    expect(p.get('encoder.prefix_tuning.prefix_tunings.p.self_prefix.control_trans.2.weight')!.shape[0]).toBe(1 * 2 * 2 * 8);
    expect(p.get('decoder.bert.prefix_tuning.prefix_tunings.p.cross_prefix.control_trans.2.weight')!.shape[0]).toBe(2 * 2 * 2 * 8);
    m.dispose();
  });

  it('per-layer config keys apply to both stacks (reduction_factor {"1": 2, default: 8})', () => {
    const m = model(tinyBert2Bert);
    m.addAdapter('s', { mh_adapter: false, output_adapter: true, reduction_factor: { '1': 2, default: 8 }, non_linearity: 'relu' });
    const down = (p: string): number => m.adapterParameters('s').get(`${p}.output.adapters.s.adapter_down.0.weight`)!.shape[0]!;
    expect([down('encoder.encoder.layer.0'), down('encoder.encoder.layer.1')]).toEqual([2, 8]);
    expect([down('decoder.bert.encoder.layer.0'), down('decoder.bert.encoder.layer.1'), down('decoder.bert.encoder.layer.2')]).toEqual([2, 8, 2]);
    m.dispose();
  });

  it('AdapterDrop (skip layers [0]) skips layer 0 of both stacks: equals the adapter with its layer-0 modules zeroed', () => {
    const m = model(tinyBert2Bert);
    m.addAdapter('a', 'lora[r=2,attn_matrices=["q","k","v"],intermediate_lora=True,output_lora=True]');
    randomize(m, 'a', 3);
    const x = tinyInputs();
    m.setActiveAdapters('a', [0]);
    const skipped = m.forward(x).last_hidden_state;
    // LoRA adds B·A·x: zeroing B removes a module.
    for (const [k, v] of m.adapterParameters('a')) if (k.includes('.layer.0.') && k.endsWith('lora_B')) v.assign(tf.zerosLike(v));
    m.setActiveAdapters('a');
    const zeroed = m.forward(x).last_hidden_state;
    expect(maxAbsDiff(skipped, zeroed)).toBeLessThan(1e-6);
    expect(maxAbsDiff(zeroed, m.forward(x, { setup: null }).last_hidden_state)).toBeGreaterThan(1e-3);
    m.dispose();
  });
});
