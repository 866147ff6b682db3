import { bottleneck } from '@adapters/bottleneck';
import { Parallel, SGD, Stack, trainStep } from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomTiny, tinyInputs } from './helpers';

const out = (m: ReturnType<typeof randomTiny>, inputs: Record<string, tf.Tensor>): tf.Tensor => m.forward(inputs).last_hidden_state;

describe('our LoRA and bottleneck on the tiny transformer', () => {
  it('state-dict keys use the model’s own module paths', () => {
    const model = randomTiny([lora, bottleneck]);
    model.addAdapter('l', 'lora');
    model.addAdapter('b', 'seq_bn');
    expect([...model.adapterParameters('l').keys()]).toContain('blocks.0.attn.q.loras.l.lora_A');
    expect([...model.adapterParameters('b').keys()].some((k) => k.startsWith('blocks.1.ffn_adapters.adapters.b.'))).toBe(true);
    model.dispose();
  });

  it('Stack(lora, seq_bn) trains both adapters and nothing else', () => {
    const model = randomTiny([lora, bottleneck]);
    const inputs = tinyInputs();
    model.addAdapter('l', 'lora[r=4]');
    model.addAdapter('b', 'seq_bn[reduction_factor=4]');
    model.trainAdapter(Stack('l', 'b'));
    const trainable = [...model.trainableVariables().keys()];
    expect(trainable.every((k) => k.includes('.loras.l.') || k.includes('.adapters.b.'))).toBe(true);
    const base = new Map([...model.weights].map(([k, v]) => [k, v.dataSync().slice()]));
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 9);
    const loss = (): tf.Scalar => tf.losses.meanSquaredError(target, model.forward(inputs, { training: true }).last_hidden_state) as tf.Scalar;
    const opt = new SGD(0.1);
    const first = trainStep(model, loss, opt).loss;
    let last = first;
    for (let i = 0; i < 5; i++) last = trainStep(model, loss, opt).loss;
    expect(last).toBeLessThan(first);
    for (const [k, v] of model.weights) expect(v.dataSync(), k).toEqual(base.get(k));
    tf.dispose([target, ...Object.values(inputs)]);
    model.dispose();
  });

  it('Parallel(a, b) of bottleneck adapters equals each adapter run alone', () => {
    const model = randomTiny([bottleneck]);
    const inputs = tinyInputs();
    model.addAdapter('a', 'seq_bn');
    model.addAdapter('b', 'seq_bn');
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    model.setActiveAdapters('a');
    const ya = out(model, inputs);
    model.setActiveAdapters('b');
    const yb = out(model, inputs);
    model.setActiveAdapters(Parallel('a', 'b'));
    const yp = out(model, inputs);
    expect(yp.shape[0]).toBe(4);
    expect(maxAbsDiff(tf.slice(yp, [0, 0, 0], [2, -1, -1]), ya)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(yp, [2, 0, 0], [2, -1, -1]), yb)).toBeLessThan(1e-5);
    tf.dispose([ya, yb, yp, ...Object.values(inputs)]);
    model.dispose();
  });

  it('Parallel(a, b) of LoRA adapters equals each adapter run alone', () => {
    const model = randomTiny([lora]);
    const inputs = tinyInputs();
    // Same target projections: Python's LoRA Parallel cannot concatenate a site where only one adapter acts.
    model.addAdapter('a', 'lora[r=4,output_lora=True]');
    model.addAdapter('b', 'lora[r=2,output_lora=True]');
    perturbAdapter(model, 'a', 3);
    perturbAdapter(model, 'b', 4);
    model.setActiveAdapters('a');
    const ya = out(model, inputs);
    model.setActiveAdapters('b');
    const yb = out(model, inputs);
    model.setActiveAdapters(Parallel('a', 'b'));
    const yp = out(model, inputs);
    expect(maxAbsDiff(tf.slice(yp, [0, 0, 0], [2, -1, -1]), ya)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.slice(yp, [2, 0, 0], [2, -1, -1]), yb)).toBeLessThan(1e-5);
    tf.dispose([ya, yb, yp, ...Object.values(inputs)]);
    model.dispose();
  });
});
