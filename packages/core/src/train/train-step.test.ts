import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { AdapterModel } from '../adapter-model';
import { AdaptersError, NonFiniteError } from '../errors';
import { AdamW, SGD, type Optimizer } from './optimizers';
import { trainStep, trainStepAsync } from './train-step';

/** The part of an AdapterModel that trainStep uses: named trainable variables. */
function fakeModel(vars: Map<string, tf.Variable>): AdapterModel {
  return { trainableVariables: () => vars } as unknown as AdapterModel;
}

const snapshot = (vars: ReadonlyMap<string, tf.Tensor>): Record<string, number[]> =>
  Object.fromEntries([...vars].map(([k, v]) => [k, Array.from(v.dataSync())]));

function setup(): { vars: Map<string, tf.Variable>; model: AdapterModel } {
  const vars = new Map<string, tf.Variable>([
    ['encoder.layer.0.attention.self.query.loras.a.lora_A', tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]))],
    ['encoder.layer.0.attention.self.query.loras.a.lora_B', tf.variable(tf.tensor1d([1, -3]))],
  ]);
  return { vars, model: fakeModel(vars) };
}

const cases: [string, (vars: Map<string, tf.Variable>) => tf.Scalar, RegExp][] = [
  ['NaN loss', (v) => tf.mul(tf.sum([...v.values()][0]!), NaN) as tf.Scalar, /Loss is NaN at step 17; no update was applied/],
  ['Infinite loss', (v) => tf.add(tf.sum([...v.values()][1]!), Infinity) as tf.Scalar, /Loss is Infinity at step 17/],
  // Finite loss, NaN gradient: sqrt'(0) = Infinity → 0 · Infinity = NaN in the chain rule.
  ['NaN gradient', (v) => tf.sum(tf.sqrt(tf.mul([...v.values()][0]!, 0))) as tf.Scalar, /Non-finite gradient at step 17; no update was applied/],
  // Finite loss (-2e30), gradient 1e30 whose square overflows float32.
  ['overflowing gradient', (v) => tf.sum(tf.mul([...v.values()][1]!, 1e30)) as tf.Scalar, /Non-finite gradient at step 17/],
];

describe('trainStep refuses non-finite losses and gradients', () => {
  for (const make of [() => new SGD(0.1), () => new AdamW({ lr: 0.01 })] as (() => Optimizer)[]) {
    for (const [what, loss, message] of cases) {
      it(`${what} (${make().constructor.name}): NonFiniteError naming the step; no variable or optimizer state changed`, async () => {
        const { vars, model } = setup();
        const opt = make();
        // One good step first, so the optimizer has state (Adam moments, step count) to protect.
        trainStep(model, () => tf.sum(tf.square([...vars.values()][0]!)) as tf.Scalar, opt, { step: 16 });
        const before = snapshot(vars);
        const stateBefore = snapshot(opt.state());
        for (const run of [
          () => trainStep(model, () => loss(vars), opt, { step: 17, maxGradNorm: 1 }),
          () => trainStepAsync(model, () => loss(vars), opt, { step: 17 }),
        ]) {
          const tensorsBefore = tf.memory().numTensors;
          const err = await Promise.resolve().then(run).catch((e: unknown) => e);
          expect(tf.memory().numTensors).toBe(tensorsBefore); // gradients and loss disposed
          expect(err).toBeInstanceOf(NonFiniteError);
          expect(String((err as Error).message)).toMatch(message);
          expect(snapshot(vars)).toEqual(before);
          expect(snapshot(opt.state())).toEqual(stateBefore);
        }
        opt.dispose();
      });
    }
  }

  it('without trainable variables: a typed error', () => {
    expect(() => trainStep(fakeModel(new Map()), () => tf.scalar(0), new SGD(0.1))).toThrow(AdaptersError);
  });
});
