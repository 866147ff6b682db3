import { ForwardContext, type FuseBlock, MemoryStorage, SGD, trainStep } from '@adapters/core';
import { perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type BertFusionModule, bottleneck, createBertFusion, fusionOptions, fusionRegularizationLoss, loadAdapterFusion, saveAdapterFusion } from '../src';
import { randomBert, randomBertInputs } from './helpers';
import { INFO, SITE, vals } from './module-helpers';
import { Rng, perturbFusion } from './fusion-helpers';

const H = SITE.hiddenSize;
const dyn = { key: true, query: true, value: true, query_before_ln: false, regularization: true, residual_before: false, temperature: false, value_before_softmax: true, value_initialized: true, dropout_prob: null };
const block: FuseBlock = { type: 'Fuse', children: ['a', 'b'] };
const evalCtx = () => new ForwardContext({ training: false, setup: null });

type M = number[][];
const lin = (x: number[], w: M, b?: number[]) => w.map((row, o) => row.reduce((s, wi, i) => s + wi * x[i]!, b ? b[o]! : 0));
/** Independent plain-array BertFusion for one token: q [H], ups [N][H], r [H]. */
function refToken(q: number[], ups: M, r: number[], o: ReturnType<typeof fusionOptions>, p: Map<string, M | number[]>, T: number): number[] {
  const vIn = o.residualBefore ? ups.map((u) => u.map((x, i) => x + r[i]!)) : ups;
  const kIn = vIn;
  const ql = o.query ? lin(q, p.get('query.weight') as M, p.get('query.bias') as number[]) : q;
  const kl = kIn.map((k) => (o.key ? lin(k, p.get('key.weight') as M, p.get('key.bias') as number[]) : k));
  const vl = vIn.map((v) => (o.value && o.valueBeforeSoftmax ? lin(v, p.get('value.weight') as M) : v));
  const s = kl.map((k) => k.reduce((a, x, i) => a + x * ql[i]!, 0) / T);
  const mx = Math.max(...s);
  const e = s.map((x) => Math.exp(x - mx));
  const z = e.reduce((a, b) => a + b, 0);
  let ctx = vl[0]!.map((_, i) => vl.reduce((a, v, n) => a + (e[n]! / z) * v[i]!, 0));
  if (o.value && !o.valueBeforeSoftmax) ctx = lin(ctx, p.get('value.weight') as M);
  if (!o.residualBefore) ctx = ctx.map((x, i) => x + r[i]!);
  return ctx;
}

function runCase(cfg: Record<string, unknown>): void {
  const f = createBertFusion(SITE, cfg, new Rng(3), INFO);
  perturbFusion(f, 5);
  const p = new Map([...f.params].map(([k, v]) => [k, v.arraySync() as M | number[]]));
  const q = tf.randomNormal([2, 3, H], 0, 1, 'float32', 1);
  const ups = tf.randomNormal([2, 3, 2, H], 0, 1, 'float32', 2);
  const r = tf.randomNormal([2, 3, H], 0, 1, 'float32', 3);
  const T = f.temperature;
  const out = f.forward(q, ups, r, evalCtx(), block).arraySync() as number[][][];
  const qa = q.arraySync() as number[][][];
  const ua = ups.arraySync() as number[][][][];
  const ra = r.arraySync() as number[][][];
  let worst = 0;
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < 3; t++) {
      const ref = refToken(qa[b]![t]!, ua[b]![t]!, ra[b]![t]!, f.options, p, T);
      ref.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - out[b]![t]![i]!))));
    }
  }
  expect(worst, JSON.stringify(cfg)).toBeLessThan(1e-5);
  tf.dispose([q, ups, r, ...f.params.values()]);
}

describe('AdapterFusion (Python BertFusion)', () => {
  it('matches a plain-array reference for every query/key/value/residual_before/value_before_softmax/temperature setting', () => {
    for (const query of [true, false])
      for (const key of [true, false])
        for (const value of [true, false])
          for (const residual_before of [true, false])
            for (const value_before_softmax of [true, false])
              runCase({ ...dyn, query, key, value, residual_before, value_before_softmax, temperature: query && key });
  });

  it('parameters: query/key with bias, value without; value_initialized = I + 1e-6 off the diagonal; dense when all off', () => {
    const f = createBertFusion(SITE, dyn, new Rng(1));
    expect([...f.params.keys()]).toEqual(['query.weight', 'query.bias', 'key.weight', 'key.bias', 'value.weight']);
    const v = f.params.get('value.weight')!.arraySync() as number[][];
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) expect(v[i]![j]).toBeCloseTo(i === j ? 1 : 1e-6, 12);
    expect(vals(f.params.get('query.bias')!).every((x) => x === 0)).toBe(true);
    const g = createBertFusion(SITE, { ...dyn, query: false, key: false, value: false }, new Rng(1));
    expect([...g.params.keys()]).toEqual(['dense.weight', 'dense.bias']);
    expect(g.params.get('dense.weight')!.shape).toEqual([1, H]);
    tf.dispose([...f.params.values(), ...g.params.values()]);
  });

  it('temperature: T starts at 50 and drops by 0.05 per forward down to 1 (stateful, as Python); 1 without it', () => {
    const f = createBertFusion(SITE, { ...dyn, temperature: true }, new Rng(1));
    const q = tf.ones([1, 1, H]);
    const ups = tf.ones([1, 1, 2, H]);
    expect(f.temperature).toBe(50);
    tf.dispose(f.forward(q, ups, q, evalCtx(), block));
    expect(f.temperature).toBeCloseTo(49.95, 12);
    for (let i = 0; i < 1000; i++) tf.dispose(f.forward(q, ups, q, evalCtx(), block));
    expect(f.temperature).toBe(1);
    const g = createBertFusion(SITE, dyn, new Rng(1));
    tf.dispose(g.forward(q, ups, q, evalCtx(), block));
    expect(g.temperature).toBe(1);
    tf.dispose([q, ups, ...f.params.values(), ...g.params.values()]);
  });

  it('dropout_prob: own value, else the model attention_probs_dropout_prob (Python `or`)', () => {
    expect(fusionOptions(dyn, INFO).dropoutProb).toBe(0.1);
    expect(fusionOptions({ ...dyn, dropout_prob: 0.0 }, INFO).dropoutProb).toBe(0.1);
    expect(fusionOptions({ ...dyn, dropout_prob: 0.3 }, INFO).dropoutProb).toBe(0.3);
    expect(fusionOptions(dyn).dropoutProb).toBe(0);
  });

  it('query_before_ln reaches the last adapter’s pre_forward through the Fuse block', () => {
    const outFor = (qbl: boolean): number[] => {
      const model = randomBert([bottleneck]);
      model.addAdapter('a', 'seq_bn', { seed: 1 });
      model.addAdapter('b', 'seq_bn', { seed: 2 });
      perturbAdapter(model, 'a', 1);
      perturbAdapter(model, 'b', 2);
      model.addAdapterFusion(['a', 'b'], { ...dyn, query_before_ln: qbl }, { seed: 3 });
      for (const v of model.fusionParameters('a,b').values()) v.assign(tf.tidy(() => tf.randomNormal(v.shape, 0, 0.5, 'float32', 4)));
      model.setActiveAdapters(block);
      const inputs = randomBertInputs();
      const y = model.forward(inputs).last_hidden_state;
      const v = vals(y);
      tf.dispose([y, ...Object.values(inputs)]);
      model.dispose();
      return v;
    };
    const a = outFor(false);
    const b = outFor(true);
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!)))).toBeGreaterThan(1e-4);
  });

  it('fusionRegularizationLoss = 0.01·Σ‖I − V‖² over trainable value matrices; trains with trainAdapterFusion', () => {
    const model = randomBert([bottleneck]);
    model.addAdapter('a', 'seq_bn');
    model.addAdapter('b', 'seq_bn');
    model.addAdapterFusion(['a', 'b'], dyn);
    const params = model.fusionParameters('a,b');
    const values = [...params].filter(([k]) => k.endsWith('.value.weight')).map(([, v]) => v);
    expect(values.length).toBe(2); // one per layer (output adapters only)
    let expected = 0;
    values.forEach((v, i) => {
      const t = tf.tidy(() => tf.add(tf.eye(16), tf.mul(0.1 * (i + 1), tf.randomNormal([16, 16], 0, 1, 'float32', i))));
      v.assign(t);
      const d = tf.tidy(() => tf.sub(tf.eye(16), t).arraySync() as number[][]);
      expected += 0.01 * d.flat().reduce((a, x) => a + x * x, 0);
      t.dispose();
    });
    const reg = fusionRegularizationLoss(model)!;
    expect(reg.dataSync()[0]).toBeCloseTo(expected, 4);
    reg.dispose();
    model.trainAdapterFusion(block);
    const adapterBefore = vals(model.adapterParameters('a').values().next().value!);
    const inputs = randomBertInputs();
    const before = values.map((v) => vals(v));
    trainStep(
      model,
      () => tf.tidy(() => tf.add(tf.mean(tf.square(model.forward(inputs, { training: true }).last_hidden_state)), fusionRegularizationLoss(model)!) as tf.Scalar),
      new SGD(0.1),
    );
    values.forEach((v, i) => expect(vals(v)).not.toEqual(before[i]));
    expect(vals(model.adapterParameters('a').values().next().value!)).toEqual(adapterBefore);
    for (const v of values) v.trainable = false;
    expect(fusionRegularizationLoss(model)).toBeNull();
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  it('save → load (load_as, set_active) is bit-identical; files round-trip byte for byte', async () => {
    const model = randomBert([bottleneck]);
    model.addAdapter('a', 'seq_bn');
    model.addAdapter('b', 'seq_bn');
    model.addAdapterFusion(['a', 'b'], dyn);
    for (const v of model.fusionParameters('a,b').values()) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', 9))));
    model.setActiveAdapters(block);
    const inputs = randomBertInputs();
    const y = model.forward(inputs).last_hidden_state;
    const storage = new MemoryStorage();
    await saveAdapterFusion(model, storage, 'f', 'a,b');
    const json = JSON.parse(new TextDecoder().decode(storage.files.get('f/adapter_fusion_config.json')));
    expect(Object.keys(json)).toEqual(['adapter_names', 'config', 'hidden_size', 'model_class', 'model_name', 'model_type', 'name', 'version']);
    model.deleteAdapterFusion('a,b');
    const name = await loadAdapterFusion(model, storage, 'f', { loadAs: 'ab', setActive: true });
    expect(name).toBe('ab');
    expect([...model.fusionParameters('ab').keys()].every((k) => k.includes('.adapter_fusion_layer.ab.'))).toBe(true);
    const z = model.forward(inputs).last_hidden_state;
    expect(vals(z)).toEqual(vals(y));
    await saveAdapterFusion(model, storage, 'g', 'ab');
    await loadAdapterFusion(model, storage, 'g', { loadAs: 'a,b' });
    await saveAdapterFusion(model, storage, 'h', 'a,b');
    expect(storage.files.get('h/model_adapter_fusion.safetensors')).toEqual(storage.files.get('f/model_adapter_fusion.safetensors'));
    expect(storage.files.get('h/adapter_fusion_config.json')).toEqual(storage.files.get('f/adapter_fusion_config.json'));
    tf.dispose([y, z, ...Object.values(inputs)]);
    model.dispose();
  });
});

export type { BertFusionModule };
