import { type AdapterConfig, type AttentionSite, MemoryStorage, type Site, joinPath, loadAdapter, resolveAdapterConfig, saveAdapter } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ejectPrefix, prefixLayout, prefixTuning, prefixTuningOptions } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const P = 'prefix_tuning.prefix_tunings';

function attnSite(layer: number, location: AttentionSite['location'], point: AttentionSite['point'] = 'attn.self'): Site {
  return { kind: 'attention', point, layer, path: `l${layer}.${point}`, numHeads: 2, headDim: 4, hiddenSize: 8, location };
}

describe('prefix layout (Python PrefixTuningPool.indicate_prefix / confirm_prefix)', () => {
  const sites = [attnSite(0, 'encoder_prefix'), attnSite(1, 'encoder_prefix'), attnSite(2, 'self_prefix'), attnSite(2, 'cross_prefix', 'attn.cross'), attnSite(3, 'self_prefix'), attnSite(3, 'cross_prefix', 'attn.cross')];
  const layout = (cfg: Record<string, unknown>) => prefixLayout(sites, prefixTuningOptions(resolveAdapterConfig({ architecture: 'prefix_tuning', ...cfg }) as AdapterConfig));

  it('counts layers per location key and numbers them in layer order', () => {
    const { locations, ids } = layout({});
    expect(locations.map((l) => [l.location, l.nLayers])).toEqual([['encoder_prefix', 2], ['self_prefix', 2], ['cross_prefix', 2]]);
    expect([...ids.values()]).toEqual([0, 1, 0, 0, 1, 1]);
  });

  it('encoder_prefix / cross_prefix = False and leave_out remove sites', () => {
    const { locations, ids } = layout({ encoder_prefix: false, cross_prefix: false, leave_out: [2] });
    expect(locations.map((l) => [l.location, l.nLayers])).toEqual([['self_prefix', 1]]);
    expect([...ids]).toEqual([['attn.self@3', 0]]);
  });
});

describe('prefix tuning parameters', () => {
  it('MLP pool at Python keys with Python shapes; leave_out shrinks the output layer', () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('p', { architecture: 'prefix_tuning', prefix_length: 6, bottleneck_size: 10, leave_out: [1] });
    const shapes = Object.fromEntries([...model.adapterParameters('p')].map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      [`${P}.p.self_prefix.wte.weight`]: [6, 16],
      [`${P}.p.self_prefix.control_trans.0.weight`]: [10, 16],
      [`${P}.p.self_prefix.control_trans.0.bias`]: [10],
      [`${P}.p.self_prefix.control_trans.2.weight`]: [1 * 2 * 16, 10],
      [`${P}.p.self_prefix.control_trans.2.bias`]: [32],
    });
    model.dispose();
  });

  it('initialisation: wte and flat ~ N(0, 1), linears U(±1/√in), gate weight N(0, 0.02)', () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('p', { architecture: 'prefix_tuning', prefix_length: 40, bottleneck_size: 64, use_gating: true });
    model.addAdapter('f', { architecture: 'prefix_tuning', flat: true, prefix_length: 40 });
    const p = model.adapterParameters('p');
    const std = (k: string, m = p): number => tf.tidy(() => Math.sqrt(tf.moments(m.get(k)!).variance.dataSync()[0]!));
    const maxAbs = (k: string): number => tf.tidy(() => tf.max(tf.abs(p.get(k)!)).dataSync()[0]!);
    expect(std(`${P}.p.self_prefix.wte.weight`)).toBeCloseTo(1, 1);
    expect(std(`${P}.f.self_prefix.control_trans`, model.adapterParameters('f'))).toBeCloseTo(1, 1);
    expect(maxAbs(`${P}.p.self_prefix.control_trans.0.weight`)).toBeLessThanOrEqual(1 / Math.sqrt(16));
    expect(maxAbs(`${P}.p.self_prefix.control_trans.2.weight`)).toBeLessThanOrEqual(1 / Math.sqrt(64));
    expect(p.get('encoder.layer.0.attention.self.prefix_tuning.prefix_gates.p.weight')!.shape).toEqual([1, 16]);
    expect(std('encoder.layer.0.attention.self.prefix_tuning.prefix_gates.p.weight')).toBeLessThan(0.05);
    model.dispose();
  });

  it('init_weights_seed: same seed → same pool', () => {
    const model = randomBert([prefixTuning]);
    const cfg = { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 8, init_weights_seed: 42 };
    model.addAdapter('a', cfg);
    model.addAdapter('b', cfg);
    const a = [...model.adapterParameters('a').values()];
    const b = [...model.adapterParameters('b').values()];
    a.forEach((v, i) => expect(maxAbsDiff(v, b[i]!)).toBe(0));
    model.dispose();
  });

  it('rejects invalid configs and configs that place no prefix', () => {
    const model = randomBert([prefixTuning]);
    expect(() => model.addAdapter('x', { architecture: 'prefix_tuning', prefix_length: 0 })).toThrow(/prefix_length/);
    expect(() => model.addAdapter('x', { architecture: 'prefix_tuning', non_linearity: 'nope' })).toThrow(/non_linearity/);
    expect(() => model.addAdapter('x', { architecture: 'prefix_tuning', leave_out: [0, 1] })).toThrow(/not found in PrefixTuningPool/);
    model.dispose();
  });
});

describe('prefix gates (closed form)', () => {
  it('gate weight 0, bias (b0, b1): keys × σ(b0), values × σ(b1) — equals an ungated prefix scaled that way', () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('g', { architecture: 'prefix_tuning', flat: true, prefix_length: 3, use_gating: true, shared_gating: false });
    model.addAdapter('s', { architecture: 'prefix_tuning', flat: true, prefix_length: 3 });
    const g = model.adapterParameters('g');
    const [b0, b1] = [0.7, -1.3];
    for (const l of [0, 1]) {
      const gp = `encoder.layer.${l}.attention.self.prefix_tuning.prefix_gates.g`;
      g.get(`${gp}.weight`)!.assign(tf.zeros([2, 16]));
      g.get(`${gp}.bias`)!.assign(tf.tensor1d([b0, b1]));
    }
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    // control_trans viewed as [L, n_layers·2, H, D]: even slots are keys, odd slots values.
    const scale = tf.reshape(tf.tensor1d([sig(b0), sig(b1), sig(b0), sig(b1)]), [1, 4, 1, 1]);
    const ct = tf.reshape(g.get(`${P}.g.self_prefix.control_trans`)!, [3, 4, 2, 8]);
    model.adapterParameters('s').get(`${P}.s.self_prefix.control_trans`)!.assign(tf.reshape(tf.mul(ct, scale), [-1]));
    const inputs = randomBertInputs();
    const a = model.forward(inputs, { setup: 'g' }).last_hidden_state;
    const b = model.forward(inputs, { setup: 's' }).last_hidden_state;
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe('saving', () => {
  it('writes each pool tensor once under its canonical key (Python reads these keys)', async () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('p', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 8, use_gating: true });
    const storage = new MemoryStorage();
    await saveAdapter(model, storage, 'out', 'p');
    const bytes = storage.files.get(joinPath('out', 'adapter.safetensors'))!;
    const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
    expect(Object.keys(header).sort()).toEqual([...model.adapterParameters('p').keys()].sort());
    expect(Object.keys(header).filter((k) => k.includes('.pool.'))).toEqual([]);
    model.dispose();
  });

  it('an ejected prefix keeps its outputs; ejecting a non-prefix adapter is a no-op', async () => {
    const model = randomBert([prefixTuning]);
    model.addAdapter('p', { architecture: 'prefix_tuning', prefix_length: 3, bottleneck_size: 8 }, { setActive: true });
    const inputs = randomBertInputs();
    const y = model.forward(inputs).last_hidden_state;
    model.trainAdapter('p');
    expect(ejectPrefix(model, 'p')).toBe(true);
    expect([...model.trainableVariables().keys()]).toEqual([`${P}.p.self_prefix.control_trans`]);
    expect(maxAbsDiff(y, model.forward(inputs, { training: false }).last_hidden_state)).toBeLessThanOrEqual(1e-6);
    // Saved ejected prefixes load back as flat prefixes.
    const storage = new MemoryStorage();
    await saveAdapter(model, storage, 'out', 'p');
    const flat = randomBert([prefixTuning]);
    const cfgPath = joinPath('out', 'adapter_config.json');
    const json = JSON.parse(new TextDecoder().decode(storage.files.get(cfgPath)!)) as { config: Record<string, unknown> };
    json.config.flat = true;
    storage.files.set(cfgPath, new TextEncoder().encode(JSON.stringify(json)));
    await loadAdapter(flat, storage, 'out', { setActive: true });
    expect(maxAbsDiff(y, flat.forward(inputs).last_hidden_state)).toBeLessThanOrEqual(1e-6);
    model.dispose();
    flat.dispose();
  });
});
