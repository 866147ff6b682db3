import {
  AdapterConfigError,
  type ConfigInput,
  type EmbeddingModule,
  type EmbeddingSite,
  ForwardContext,
  type ModelInfo,
  Rng,
  type Site,
  MemoryStorage,
  MissingPluginError,
  loadAdapter,
  requireSingleConfig,
  resolveAdapterConfig,
  saveAdapter,
} from '@adapters/core';
import { bottleneck } from '@adapters/bottleneck';
import { compacter } from '@adapters/compacter';
import { perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { invertible } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const cfg = (c: ConfigInput) => requireSingleConfig(resolveAdapterConfig(c));
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const INFO: ModelInfo = { modelType: 'bert', hiddenSize: 16, numLayers: 2, numAttentionHeads: 2, config: {} };

describe('invertible method', () => {
  it('accepts BnConfig-family configs with inv_adapter (bottleneck and Compacter alike)', () => {
    for (const c of ['seq_bn_inv', 'double_seq_bn_inv', 'pfeiffer+inv', "compacter[inv_adapter='glow',inv_adapter_reduction_factor=2]"] as ConfigInput[]) {
      expect(invertible.accepts(cfg(c)), String(c)).toBe(true);
    }
    for (const c of ['seq_bn', 'compacter', 'lora', 'prefix_tuning', 'prompt_tuning'] as ConfigInput[]) expect(invertible.accepts(cfg(c)), String(c)).toBe(false);
  });

  it('a seq_bn_inv adapter without the invertible plugin raises MissingPluginError', () => {
    const model = randomBert([bottleneck]);
    expect(() => model.addAdapter('a', 'seq_bn_inv')).toThrow(MissingPluginError);
    model.dispose();
  });

  it('rejects an unknown inv_adapter type or a missing reduction factor (field named)', () => {
    const model = randomBert([bottleneck, invertible]);
    const before = tf.memory().numTensors;
    for (const [c, field] of [
      [{ mh_adapter: false, output_adapter: true, reduction_factor: 2, non_linearity: 'relu', inv_adapter: 'realnvp', inv_adapter_reduction_factor: 2 }, 'inv_adapter'],
      [{ mh_adapter: false, output_adapter: true, reduction_factor: 2, non_linearity: 'relu', inv_adapter: 'nice' }, 'inv_adapter_reduction_factor'],
    ] as const) {
      let err: unknown;
      try {
        model.addAdapter('a', c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AdapterConfigError);
      expect((err as AdapterConfigError).field).toBe(field);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('one module at embed.out per adapter, with model-level keys; inverse undoes forward through the module API', () => {
    const model = randomBert([bottleneck, invertible]);
    model.addAdapter('a', 'seq_bn_inv');
    const emb = [...model.adapterModules('a').entries()].filter(([, m]) => m.method.name === 'invertible');
    expect(emb.map(([id]) => id.startsWith('embed.out'))).toEqual([true]);
    expect(emb[0]![1].params.size).toBe(0);
    const keys = [...model.adapterParameters('a').keys()].filter((k) => k.startsWith('invertible_adapters.'));
    expect(keys).toEqual(['F.0.weight', 'F.0.bias', 'F.2.weight', 'F.2.bias', 'G.0.weight', 'G.0.bias', 'G.2.weight', 'G.2.bias'].map((k) => `invertible_adapters.a.${k}`));
    model.dispose();

    const site: EmbeddingSite = { kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: 16 };
    const base = { adapterName: 'a', config: cfg('seq_bn_inv'), model: INFO, rng: new Rng(1), sites: [site] as Site[] };
    const shared = invertible.createShared!({ ...base, shared: undefined })!;
    for (const v of shared.params.values()) v.assign(tf.tidy(() => tf.randomNormal(v.shape, 0, 0.3, 'float32', 5)));
    const module = invertible.createModule(site, { ...base, shared }) as EmbeddingModule;
    expect(invertible.createModule({ kind: 'layer', point: 'layer.out', layer: 0, path: 'encoder.layer.0', hiddenSize: 16 }, { ...base, shared })).toBeUndefined();
    const x = tf.randomNormal([2, 4, 16], 0, 1, 'float32', 3);
    const fctx = new ForwardContext({ training: false, setup: null });
    const y = module.forward({ hidden: x, mask: null }, fctx, site).hidden;
    expect(maxAbs(x, y)).toBeGreaterThan(1e-2);
    const xr = module.inverse!(y, fctx);
    expect(maxAbs(x, xr)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, y, xr, ...shared.params.values()]);
  });

  it('only the first adapter of the setup is applied at the embeddings (Stack(a, b) embeds like a)', () => {
    const model = randomBert([bottleneck, invertible]);
    model.addAdapter('a', 'seq_bn_inv');
    model.addAdapter('b', 'seq_bn_inv');
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    const inputs = randomBertInputs();
    const emb = (setup: Parameters<typeof model.setActiveAdapters>[0]) => {
      model.setActiveAdapters(setup);
      const o = model.forward(inputs, { outputHiddenStates: true });
      return o.hidden_states![0]!;
    };
    const a = emb('a');
    const b = emb('b');
    const ab = emb({ type: 'Stack', children: ['a', 'b'] });
    const ba = emb({ type: 'Parallel', children: ['b', 'a'] });
    expect(maxAbs(a, b)).toBeGreaterThan(1e-3);
    expect(maxAbs(a, ab)).toBe(0);
    expect(maxAbs(b, ba.shape[0] === b.shape[0] ? ba : tf.slice(ba, [0, 0, 0], b.shape))).toBe(0);
    tf.dispose([a, b, ab, ba, ...Object.values(inputs)]);
    model.dispose();
  });

  it('Compacter + inv_adapter: PHM modules, shared rule and the invertible adapter together; save/load round-trips', async () => {
    const model = randomBert([compacter, invertible]);
    model.addAdapter('c', "compacter[reduction_factor=4,inv_adapter='glow',inv_adapter_reduction_factor=2]");
    expect(model.adapterMethods('c').map((m) => m.name)).toEqual(['compacter', 'invertible']);
    const keys = [...model.adapterParameters('c').keys()];
    expect(keys).toContain('shared_parameters.c.phm_rule');
    expect(keys).toContain('invertible_adapters.c.s1.0.weight');
    perturbAdapter(model, 'c');
    model.setActiveAdapters('c');
    const inputs = randomBertInputs();
    const y = model.forward(inputs).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapter(model, storage, 'c', 'c', { saveSharedParameters: true });
    model.deleteAdapter('c');
    await loadAdapter(model, storage, 'c', { setActive: true, loadAs: 'd' });
    expect([...model.adapterParameters('d').keys()]).toContain('invertible_adapters.d.s2.2.bias');
    const z = model.forward(inputs).last_hidden_state;
    expect(maxAbs(y, z)).toBe(0);
    tf.dispose([y, z, ...Object.values(inputs)]);
    model.dispose();
  });
});
