import {
  AdapterModel,
  SGD,
  Stack,
  type AdapterMethod,
  defineModel,
  namedVariable,
  trainStep,
} from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loha, lohaDelta } from '../src';
import { randomBert, randomBertInputs } from './helpers';

/** A one-projection "model" (`y = x·W`, one `attn.q` site) so that compositions can be checked in closed form. */
const oneLinear = defineModel<{ d: number }>({
  name: 'one-linear',
  modelTypes: ['one-linear'],
  compositions: ['Stack', 'BatchSplit', 'Parallel', 'Average'],
  basePrefix: () => 'model',
  parseConfig: (json) => ({ d: Number(json.d) }),
  info: (c) => ({ modelType: 'one-linear', hiddenSize: c.d, numLayers: 1, numAttentionHeads: 1, config: { d: c.d } }),
  sites: (c) => [{ kind: 'linear', point: 'attn.q', layer: 0, path: 'q', inFeatures: c.d, outFeatures: c.d, weightKey: 'q.weight', weightLayout: 'in_out' }],
  weightSpecs: (c) => [{ name: 'q.weight', shape: [c.d, c.d], init: 'normal' }],
  forward: ({ inputs, weights, hooks }) => ({ last_hidden_state: hooks.linear('attn.q', 0, inputs.x!, weights.get('q.weight')!) }),
});

function oneLinearModel(methods: AdapterMethod[]): AdapterModel<{ d: number }> {
  const d = 6;
  const w = namedVariable(tf.randomNormal([d, d], 0, 0.3, 'float32', 11), 'q.weight');
  return new AdapterModel({ definition: oneLinear, config: { d }, weights: new Map([['q.weight', w]]), methods });
}

const p = (model: AdapterModel<never> | AdapterModel<{ d: number }> | AdapterModel, key: string): tf.Tensor => {
  const v = (model as AdapterModel).adapterParameters(key.split('.')[2]!).get(key);
  if (!v) throw new Error(`missing ${key}`);
  return v;
};

describe('LoHa + @adapters/lora in a Stack', () => {
  it('one site, closed form: Python chaining (LoRA sees the LoHa delta) and the opt-in additive fix', () => {
    const model = oneLinearModel([loha, lora]);
    model.addAdapter('h', { architecture: 'loha', r: 2, alpha: 4, attn_matrices: ['q'] });
    model.addAdapter('l', { architecture: 'lora', r: 3, alpha: 6, attn_matrices: ['q'] });
    perturbAdapter(model as unknown as AdapterModel, 'h', 1);
    perturbAdapter(model as unknown as AdapterModel, 'l', 5);
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
    const w = model.weights.get('q.weight')!;
    const dh = lohaDelta(p(model, 'q.lohas.h.hada_w1_a'), p(model, 'q.lohas.h.hada_w1_b'), p(model, 'q.lohas.h.hada_w2_a'), p(model, 'q.lohas.h.hada_w2_b'), 4 / 2); // [out, in]
    const A = p(model, 'q.loras.l.lora_A'); // [r, in]
    const B = p(model, 'q.loras.l.lora_B'); // [out, r]
    const base = tf.matMul(x, w);
    const hLoha = tf.matMul(x, dh, false, true);
    const loraOf = (h: tf.Tensor): tf.Tensor => tf.mul(tf.matMul(tf.matMul(h, A, false, true), B, false, true), 6 / 3);

    model.setActiveAdapters(Stack('h', 'l'));
    const chained = model.forward({ x }).last_hidden_state;
    expect(maxAbsDiff(chained, tf.add(base, loraOf(hLoha)))).toBeLessThan(1e-5);

    model.compositionFixes = { loraStack: true };
    const additive = model.forward({ x }).last_hidden_state;
    expect(maxAbsDiff(additive, tf.add(tf.add(base, hLoha), loraOf(x)))).toBeLessThan(1e-5);
    model.dispose();
  });

  it('on BERT: Stack(loha, lora) runs, trains both adapters only, and Parallel/BatchSplit work', () => {
    const model = randomBert([loha, lora]);
    const inputs = randomBertInputs();
    // Same sites for both (q, k, v): children of a Parallel block must be placed alike.
    model.addAdapter('h', 'loha[r=4,attn_matrices=["q","k","v"]]');
    model.addAdapter('l', 'lora[r=4,attn_matrices=["q","k","v"]]');
    perturbAdapter(model, 'h', 1);
    const base = model.forward(inputs).last_hidden_state;
    model.trainAdapter(Stack('h', 'l'));
    const trainable = [...model.trainableVariables().keys()];
    expect(trainable.some((k) => k.includes('.lohas.h.'))).toBe(true);
    expect(trainable.some((k) => k.includes('.loras.l.'))).toBe(true);
    expect(trainable.every((k) => k.includes('.lohas.h.') || k.includes('.loras.l.'))).toBe(true);
    const baseWeights = new Map([...model.weights].map(([k, v]) => [k, v.dataSync().slice()]));
    const target = tf.randomNormal(base.shape, 0, 1, 'float32', 4);
    const loss = (): tf.Scalar => tf.losses.meanSquaredError(target, model.forward(inputs, { training: true }).last_hidden_state) as tf.Scalar;
    const first = trainStep(model, loss, new SGD(0.1)).loss;
    const opt = new SGD(0.1);
    let last = first;
    for (let i = 0; i < 5; i++) last = trainStep(model, loss, opt).loss;
    expect(last).toBeLessThan(first);
    for (const [k, v] of model.weights) expect(v.dataSync(), k).toEqual(baseWeights.get(k));
    const stacked = model.forward(inputs).last_hidden_state;
    expect(maxAbsDiff(base, stacked)).toBeGreaterThan(1e-4);

    model.setActiveAdapters({ type: 'Parallel', children: ['h', 'l'] });
    const par = model.forward(inputs).last_hidden_state;
    expect(par.shape[0]).toBe(2 * base.shape[0]!);
    model.setActiveAdapters({ type: 'BatchSplit', children: ['h', 'l'], batchSizes: [1, 1] });
    const split = model.forward(inputs).last_hidden_state;
    expect(split.shape).toEqual(base.shape);
    tf.dispose([base, target, stacked, par, split, ...Object.values(inputs)]);
    model.dispose();
  });
});
