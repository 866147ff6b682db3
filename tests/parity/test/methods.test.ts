import { setupNodeBackend } from '@adapters/core/node';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { covered, methodCases, prepareMethodCase } from './cases';
import { METHODS } from './plugins';

const TOLERANCE = { cpu: 1e-5, wasm: 1e-4 } as const;

describe.each(['cpu', 'wasm'] as const)('every covered method fixture reproduces Python on %s', (backend) => {
  afterAll(async () => {
    await setupNodeBackend({ backend: 'cpu' });
  });
  const cases = methodCases();
  // bert/direft: Python's reload of a saved DiReFT differs from the saved model (documented library
  // bug, subtract_projection not saved); reproduced and tested with its opt-in fix in @adapters/reft.
  const run = cases.filter((c) => covered(c, METHODS) && c.id !== 'bert/direft');
  it('covers the LoRA and (IA)³ cases at least', () => {
    const ids = run.map((c) => c.id);
    for (const id of ['bert/lora', 'bert/lora-bin', 'bert/lora_qkv_ffn', 'bert/ia3']) expect(ids).toContain(id);
    console.log(`[${backend}] covered ${run.length}/${cases.length}: ${ids.join(', ')}; not covered: ${cases.filter((c) => !run.includes(c)).map((c) => c.id).join(', ') || 'none'}`);
  });
  for (const c of run) {
    it(c.id, async () => {
      await setupNodeBackend({ backend });
      const { model, inputs, expected } = await prepareMethodCase(c, METHODS);
      const out = model.forward(inputs);
      for (const key of ['last_hidden_state', 'pooler_output'] as const) {
        const want = expected.get(key);
        if (!want) continue;
        expect(maxAbsDiff(out[key] as tf.Tensor, want), key).toBeLessThanOrEqual(TOLERANCE[backend]);
      }
      tf.dispose([...Object.values(inputs), ...expected.values()]);
      model.dispose();
    });
  }
});
