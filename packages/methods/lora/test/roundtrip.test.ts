import { readFileSync } from 'node:fs';
import { MemoryStorage, loadAdapter, saveAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { lora } from '../src';
import { tinyBert } from './helpers';

describe('Python-format round trips', () => {
  it('a Python-written adapter saved again by us has byte-identical weights and reloads to equal outputs', async () => {
    const model = await tinyBert([lora]);
    await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'lora'), { setActive: true });
    const storage = new MemoryStorage();
    await saveAdapter(model, storage, 'out', 'lora');
    const python = new Uint8Array(readFileSync(fixturePath('adapters', 'bert', 'lora', 'adapter.safetensors')));
    expect(storage.files.get('out/adapter.safetensors')).toEqual(python);
    const config = JSON.parse(new TextDecoder().decode(storage.files.get('out/adapter_config.json')));
    expect(config).toMatchObject({ name: 'lora', model_type: 'bert', hidden_size: 32, model_name: 'tiny-bert', model_class: 'BertModel' });
    const fresh = await tinyBert([lora]);
    await loadAdapter(fresh, storage, 'out', { setActive: true });
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const expected = readFixtureTensors('expected', 'bert', 'lora.safetensors');
    expect(maxAbsDiff(fresh.forward(inputs).last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    // save → load → save is byte-identical for both files
    await saveAdapter(fresh, storage, 'again', 'lora');
    expect(storage.files.get('again/adapter.safetensors')).toEqual(storage.files.get('out/adapter.safetensors'));
    expect(storage.files.get('again/adapter_config.json')).toEqual(storage.files.get('out/adapter_config.json'));
    model.dispose();
    fresh.dispose();
  });

  it('loadAs renames the adapter and its keys', async () => {
    const model = await tinyBert([lora]);
    const name = await loadAdapter(model, nodeStorage, fixturePath('adapters', 'bert', 'lora'), { loadAs: 'other' });
    expect(name).toBe('other');
    expect([...model.adapterParameters('other').keys()][0]).toContain('.loras.other.');
    model.dispose();
  });
});
