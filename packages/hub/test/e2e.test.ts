import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadAdapter, loadPretrained, type Storage } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { lora } from '@adapters/lora';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadAdapter, downloadModel } from '../src';
import { HubServer } from './hub-server';

const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-hub-e2e-'));
const server = new HubServer(path.join(tmp, 'hub'));
let hubUrl = '';
const read = (...p: string[]): Uint8Array => new Uint8Array(readFileSync(fixturePath(...p)));

beforeAll(async () => {
  hubUrl = await server.start();
  server.addCommit('org/tiny-bert', 'c1', { 'config.json': read('models', 'tiny-bert', 'config.json'), 'model.safetensors': read('models', 'tiny-bert', 'model.safetensors') });
  server.addCommit('AdapterHub/tiny-bert-lora', 'c1', {
    'adapter_config.json': read('adapters', 'bert', 'lora', 'adapter_config.json'),
    'adapter.safetensors': read('adapters', 'bert', 'lora', 'adapter.safetensors'),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('downloaded folders load with @adapters/core', () => {
  it('downloadModel + downloadAdapter → loadPretrained + loadAdapter reproduce the Python fixture', { timeout: 60_000 }, async () => {
    const o = { hubUrl, cacheDir: path.join(tmp, 'cache') };
    const storage: Storage = nodeStorage;
    const model = await loadPretrained(storage, await downloadModel('org/tiny-bert', o), { model: bert as never, methods: [lora] });
    const name = await loadAdapter(model, storage, await downloadAdapter('AdapterHub/tiny-bert-lora', o), { setActive: true });
    expect(name).toBe('lora');
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const expected = readFixtureTensors('expected', 'bert', 'lora.safetensors');
    const out = model.forward(inputs, {});
    expect(maxAbsDiff(out.last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe('one-call loading by Hub id (Python load_adapter("AdapterHub/…") style)', () => {
  it('loadPretrainedFromHub + loadAdapterFromHub by id, then offline from the cache', { timeout: 60_000 }, async () => {
    const { loadAdapterFromHub, loadPretrainedFromHub } = await import('../src');
    const cacheDir = path.join(tmp, 'cache-one-call');
    const model = await loadPretrainedFromHub('org/tiny-bert', { model: bert as never, methods: [lora], download: { hubUrl, cacheDir } });
    expect(await loadAdapterFromHub(model, 'AdapterHub/tiny-bert-lora', { setActive: true, download: { hubUrl, cacheDir } })).toBe('lora');
    const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
    const expected = readFixtureTensors('expected', 'bert', 'lora.safetensors');
    expect(maxAbsDiff(model.forward(inputs).last_hidden_state, expected.get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    // offline: no server needed any more
    const again = await loadAdapterFromHub(model, 'AdapterHub/tiny-bert-lora', { loadAs: 'copy', download: { offline: true, cacheDir } });
    expect(again).toBe('copy');
    model.dispose();
  });
});
