import { loadPretrained } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { afterAll, describe, expect, it } from 'vitest';

describe.each([
  ['cpu', 1e-5],
  ['wasm', 1e-4],
] as const)('base models on %s', (backend, tol) => {
  afterAll(async () => {
    await setupNodeBackend({ backend: 'cpu' });
  });
  for (const [name, inputs] of [
    ['bert', 'inputs.safetensors'],
    ['roberta', 'inputs-roberta.safetensors'],
  ] as const) {
    it(`tiny-${name} ≤ ${tol}`, async () => {
      await setupNodeBackend({ backend });
      const model = await loadPretrained(nodeStorage, fixturePath('models', `tiny-${name}`), { model: bert as never });
      const out = model.forward(Object.fromEntries(readFixtureTensors('io', inputs)));
      const expected = readFixtureTensors('expected', name, 'base.safetensors');
      expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(tol);
      expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(tol);
      model.dispose();
    });
  }
});
