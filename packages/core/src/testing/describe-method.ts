import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { AdapterModel } from '../adapter-model';
import type { BlockType, SetupNode } from '../composition/blocks';
import type { ConfigInput } from '../config';
import type { AdapterMethod } from '../define-method';
import { CompositionError } from '../errors';
import { loadAdapter, saveAdapter } from '../serialization/adapter-files';
import { MemoryStorage, joinPath } from '../storage';
import { SGD } from '../train/optimizers';
import { trainStep } from '../train/train-step';
import { maxAbsDiff } from './fixtures';

/** Options of {@link describeMethod}. */
export interface DescribeMethodOptions {
  /** Builds a fresh small model with the method available (called per test). */
  model: () => AdapterModel;
  /** Inputs for that model. */
  inputs: () => Record<string, tf.Tensor>;
  /** Config used for the adapter under test. */
  config: ConfigInput;
  /** The method is the identity at initialisation (LoRA: B = 0; (IA)³: l = 1; mam init …). */
  identityAtInit: boolean;
  /** The method supports `mergeAdapter`. */
  mergeable?: boolean;
  /** Output key compared (default `last_hidden_state`). */
  output?: string;
  /** Tolerance for float comparisons (default 1e-5). */
  tolerance?: number;
  /**
   * Replaces {@link perturbAdapter} for methods whose parameters carry structural constraints (e.g. ReFT's
   * orthogonal parametrization, whose diagonal must stay ±1).
   */
  perturb?: (model: AdapterModel, name: string, seed?: number) => void;
}

function out(model: AdapterModel, inputs: Record<string, tf.Tensor>, key: string): tf.Tensor {
  const o = model.forward(inputs);
  const t = o[key] as tf.Tensor;
  for (const [k, v] of Object.entries(o)) if (k !== key && v && !Array.isArray(v)) (v as tf.Tensor).dispose();
  return t;
}

/** Replaces every parameter of an adapter with N(0, 0.2) values so it is far from the identity. */
export function perturbAdapter(model: AdapterModel, name: string, seed = 1): void {
  let s = seed;
  for (const v of model.adapterParameters(name).values()) {
    // Vectors initialised to ones (e.g. (IA)³ scales) are perturbed around 1, everything else around 0.
    const allOnes = tf.tidy(() => tf.all(tf.equal(v, 1)).dataSync()[0] === 1);
    const t = tf.tidy(() => tf.add(tf.randomNormal(v.shape, 0, 0.2, 'float32', s++), allOnes ? 1 : 0));
    v.assign(t);
    t.dispose();
  }
}

/**
 * A loss that depends on every output element and is not invariant under LayerNorm (a plain mean
 * of squares of a LayerNorm output is constant): mean of `(h − c)²` for a fixed pattern `c`.
 */
function meanSquares(model: AdapterModel, inputs: Record<string, tf.Tensor>, key: string): tf.Scalar {
  const o = model.forward(inputs, { training: true });
  const h = o[key] as tf.Tensor;
  const d = h.shape[h.shape.length - 1]!;
  return tf.tidy(() => {
    const c = tf.sin(tf.mul(tf.range(0, d, 1, 'float32'), 0.7));
    return tf.mean(tf.square(tf.sub(h, c))) as tf.Scalar;
  });
}

/**
 * The conformance suite every method package runs (and third-party methods can run):
 * add / identity at init / only adapter variables train / save-load round trip is bit-identical /
 * no tensor leaks / delete frees tensors / merge where supported / unsupported compositions throw.
 */
export function describeMethod(method: AdapterMethod, opts: DescribeMethodOptions): void {
  const key = opts.output ?? 'last_hidden_state';
  const tol = opts.tolerance ?? 1e-5;
  const perturb = opts.perturb ?? perturbAdapter;
  describe(`method conformance: ${method.name}`, () => {
    it('adds an adapter with parameters on sites of the kinds it declares', () => {
      const model = opts.model();
      model.addAdapter('a', opts.config);
      const params = model.adapterParameters('a');
      expect(params.size).toBeGreaterThan(0);
      expect(model.adapterMethods('a').map((m) => m.name)).toContain(method.name);
      model.dispose();
    });

    it(opts.identityAtInit ? 'is the identity at initialisation' : 'changes the output at initialisation', () => {
      const model = opts.model();
      const inputs = opts.inputs();
      const base = out(model, inputs, key);
      model.addAdapter('a', opts.config, { setActive: true });
      const y = out(model, inputs, key);
      const d = maxAbsDiff(base, y);
      if (opts.identityAtInit) expect(d).toBeLessThanOrEqual(tol);
      else expect(d).toBeGreaterThan(tol);
      tf.dispose([base, y, ...Object.values(inputs)]);
      model.dispose();
    });

    it('an active, perturbed adapter changes the output; deactivating restores it', () => {
      const model = opts.model();
      const inputs = opts.inputs();
      const base = out(model, inputs, key);
      model.addAdapter('a', opts.config);
      perturb(model, 'a');
      model.setActiveAdapters('a');
      const y = out(model, inputs, key);
      expect(maxAbsDiff(base, y)).toBeGreaterThan(1e-4);
      model.setActiveAdapters(null);
      const z = out(model, inputs, key);
      expect(maxAbsDiff(base, z)).toBe(0);
      tf.dispose([base, y, z, ...Object.values(inputs)]);
      model.dispose();
    });

    it('trains only the adapter variables (base and other adapters unchanged)', () => {
      const model = opts.model();
      const inputs = opts.inputs();
      model.addAdapter('a', opts.config);
      model.addAdapter('other', opts.config);
      perturb(model, 'a');
      model.trainAdapter('a');
      const trainable = model.trainableVariables();
      const frozen = model.frozenAdapterParameters('a');
      const expected = [...model.adapterParameters('a').keys()].filter((k) => !frozen.has(k));
      expect([...trainable.keys()].sort()).toEqual(expected.sort());
      const snapshot = (m: Map<string, tf.Variable>): Map<string, Float32Array> =>
        new Map([...m].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
      const baseBefore = snapshot(model.weights);
      const otherBefore = snapshot(model.adapterParameters('other'));
      const aBefore = snapshot(model.adapterParameters('a'));
      trainStep(model, () => meanSquares(model, inputs, key), new SGD(0.05));
      for (const [k, v] of model.weights) expect(v.dataSync(), k).toEqual(baseBefore.get(k));
      for (const [k, v] of model.adapterParameters('other')) expect(v.dataSync(), k).toEqual(otherBefore.get(k));
      const changed = [...model.adapterParameters('a')].filter(([k, v]) => maxArrDiff(v.dataSync() as Float32Array, aBefore.get(k)!) > 0);
      expect(changed.length).toBeGreaterThan(0);
      for (const k of frozen) expect(model.adapterParameters('a').get(k)!.dataSync()).toEqual(aBefore.get(k));
      tf.dispose(Object.values(inputs));
      model.dispose();
    });

    it('save → load gives bit-identical outputs, and save → load → save identical bytes', async () => {
      const model = opts.model();
      const inputs = opts.inputs();
      model.addAdapter('a', opts.config);
      perturb(model, 'a');
      model.setActiveAdapters('a');
      const y = out(model, inputs, key);
      const storage = new MemoryStorage();
      await saveAdapter(model, storage, 'saved', 'a', { saveSharedParameters: true });
      model.deleteAdapter('a');
      await loadAdapter(model, storage, 'saved', { setActive: true });
      const z = out(model, inputs, key);
      expect(maxAbsDiff(y, z)).toBe(0);
      await saveAdapter(model, storage, 'again', 'a', { saveSharedParameters: true });
      for (const f of ['adapter_config.json', 'adapter.safetensors']) {
        expect(storage.files.get(joinPath('again', f))).toEqual(storage.files.get(joinPath('saved', f)));
      }
      tf.dispose([y, z, ...Object.values(inputs)]);
      model.dispose();
    });

    it('leaks no tensors across forward passes and training steps; delete frees its tensors', () => {
      const model = opts.model();
      const inputs = opts.inputs();
      const before = tf.memory().numTensors;
      model.addAdapter('a', opts.config);
      model.trainAdapter('a');
      const opt = new SGD(0.01);
      trainStep(model, () => meanSquares(model, inputs, key), opt);
      const afterOne = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) trainStep(model, () => meanSquares(model, inputs, key), opt);
      tf.dispose(out(model, inputs, key));
      expect(tf.memory().numTensors).toBe(afterOne);
      model.deleteAdapter('a');
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(inputs));
      model.dispose();
    });

    if (opts.mergeable) {
      it('merged output equals unmerged; reset restores the base weights bit-exactly', () => {
        const model = opts.model();
        const inputs = opts.inputs();
        model.addAdapter('a', opts.config);
        perturb(model, 'a');
        model.setActiveAdapters('a');
        const y = out(model, inputs, key);
        const weightsBefore = new Map([...model.weights].map(([k, v]) => [k, v.dataSync().slice()]));
        model.mergeAdapter('a');
        const m = out(model, inputs, key);
        expect(maxAbsDiff(y, m)).toBeLessThanOrEqual(tol * 10);
        model.resetAdapter();
        for (const [k, v] of model.weights) expect(v.dataSync(), k).toEqual(weightsBefore.get(k));
        tf.dispose([y, m, ...Object.values(inputs)]);
        model.dispose();
      });
    }

    const blocks: BlockType[] = ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average'];
    const unsupported = blocks.filter((b) => !method.compositions.includes(b));
    if (unsupported.length > 0) {
      it(`rejects unsupported compositions (${unsupported.join(', ')})`, () => {
        const model = opts.model();
        model.addAdapter('a', opts.config);
        model.addAdapter('b', opts.config);
        for (const b of unsupported) {
          const setup = makeBlock(b);
          expect(() => model.setActiveAdapters(setup), b).toThrow(CompositionError);
        }
        model.dispose();
      });
    }
  });
}

function makeBlock(type: BlockType): SetupNode {
  switch (type) {
    case 'Split':
      return { type, children: ['a', 'b'], splits: [1, 1] };
    case 'BatchSplit':
      return { type, children: ['a', 'b'], batchSizes: [1, 1] };
    case 'Average':
      return { type, children: ['a', 'b'], weights: [0.5, 0.5] };
    default:
      return { type, children: ['a', 'b'] } as SetupNode;
  }
}

function maxArrDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
