import { MemoryStorage, configValue, loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadReftAdapter, orthogonalWeight, reft, saveReftAdapter } from '../src';
import { tinyBert } from './helpers';

const inputs = (): Record<string, tf.Tensor> => Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));

/** Compares every output tensor of the expected file (last_hidden_state, pooler_output, hidden_states.i). */
function expectOutputs(out: ReturnType<Awaited<ReturnType<typeof tinyBert>>['forward']>, expected: Map<string, tf.Tensor>): void {
  expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
  expect(maxAbsDiff(out.pooler_output!, expected.get('pooler_output')!)).toBeLessThanOrEqual(1e-5);
  const hs = out.hidden_states as tf.Tensor[];
  for (let i = 0; i < hs.length; i++) expect(maxAbsDiff(hs[i]!, expected.get(`hidden_states.${i}`)!), `hidden_states.${i}`).toBeLessThanOrEqual(1e-5);
}

describe('ReFT reproduces the Python fixtures (cpu, ≤ 1e-5)', () => {
  it('LoReFT: the materialised orthogonal projections equal the derived.* weights', async () => {
    const model = await tinyBert([reft]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'loreft'));
    const expected = readFixtureTensors('expected', 'bert', 'loreft.safetensors');
    const params = model.adapterParameters('loreft');
    let n = 0;
    for (const [k, v] of expected) {
      if (!k.startsWith('derived.')) continue;
      const p = k.slice('derived.'.length).replace(/\.projection\.weight$/, '.projection.parametrizations.weight');
      const w = orthogonalWeight(params.get(`${p}.original`)!, params.get(`${p}.0.base`)!);
      expect(maxAbsDiff(w, v), k).toBeLessThanOrEqual(1e-6);
      n++;
    }
    expect(n).toBe(4);
    model.dispose();
  });

  for (const c of ['loreft', 'noreft']) {
    it(`adapters/bert/${c}`, async () => {
      const model = await tinyBert([reft]);
      await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', c), { setActive: true });
      expectOutputs(model.forward(inputs(), { outputHiddenStates: true }), readFixtureTensors('expected', 'bert', `${c}.safetensors`));
      model.dispose();
    });
  }

  it('DiReFT: the plain reload reproduces the library bug (subtract_projection → true): direft-library-reload', async () => {
    const model = await tinyBert([reft]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'direft'), { setActive: true });
    expect(configValue(model.adapterConfig('direft'), 'subtract_projection')).toBe(true);
    expectOutputs(model.forward(inputs(), { outputHiddenStates: true }), readFixtureTensors('expected', 'bert', 'direft-library-reload.safetensors'));
    model.dispose();
  });

  it('DiReFT: loadReftAdapter({ subtractProjection: false }) (opt-in fix) reproduces direft', async () => {
    const model = await tinyBert([reft]);
    await loadReftAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'direft'), { setActive: true, subtractProjection: false });
    expect(configValue(model.adapterConfig('direft'), 'subtract_projection')).toBe(false);
    expectOutputs(model.forward(inputs(), { outputHiddenStates: true }), readFixtureTensors('expected', 'bert', 'direft.safetensors'));
    model.dispose();
  });

  it('DiReFT: saveReftAdapter({ fixDiReftReload: true }) writes subtract_projection so a plain reload keeps false', async () => {
    const model = await tinyBert([reft]);
    await loadReftAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'direft'), { subtractProjection: false });
    const storage = new MemoryStorage();
    // Default: byte-compatible with Python, and the bug is reproduced on reload.
    await saveReftAdapter(model, storage, 'plain', 'direft');
    expect(new TextDecoder().decode(storage.files.get('plain/adapter_config.json'))).not.toContain('subtract_projection');
    await saveReftAdapter(model, storage, 'fixed', 'direft', { fixDiReftReload: true });
    expect(new TextDecoder().decode(storage.files.get('fixed/adapter_config.json'))).toContain('"subtract_projection": false');
    model.deleteAdapter('direft');
    await loadAdapter(model, storage, 'fixed', { setActive: true });
    expect(configValue(model.adapterConfig('direft'), 'subtract_projection')).toBe(false);
    expectOutputs(model.forward(inputs(), { outputHiddenStates: true }), readFixtureTensors('expected', 'bert', 'direft.safetensors'));
    model.deleteAdapter('direft');
    await loadAdapter(model, storage, 'plain', { setActive: true });
    expectOutputs(model.forward(inputs(), { outputHiddenStates: true }), readFixtureTensors('expected', 'bert', 'direft-library-reload.safetensors'));
    model.dispose();
  });
});
