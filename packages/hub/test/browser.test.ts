// The browser entry (`browser` export condition): Hub files read with fetch, no cache folder and no
// Node built-ins. Run against the local Hub stand-in (LFS files redirect to another origin).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdapterFormatError, FetchStorage, NotFoundError, loadAdapter, loadPretrained, parseSafetensors, serializeSafetensors } from '@adapters/core';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { lora } from '@adapters/lora';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubDownloadError, HubNotFoundError, hubStorage, loadAdapterFromHub, loadPretrainedFromHub, shardFiles } from '../src/browser';
import { HubServer, commitOf } from './hub-server';

const T = { timeout: 60_000 };
const PKG = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-hub-browser-'));
const server = new HubServer(path.join(tmp, 'hub'));
let hubUrl = '';
const read = (...p: string[]): Uint8Array => new Uint8Array(readFileSync(fixturePath(...p)));
const modelFiles = { 'config.json': read('models', 'tiny-bert', 'config.json'), 'model.safetensors': read('models', 'tiny-bert', 'model.safetensors') };
const loraFiles = { 'adapter_config.json': read('adapters', 'bert', 'lora', 'adapter_config.json'), 'adapter.safetensors': read('adapters', 'bert', 'lora', 'adapter.safetensors') };
const inputs = Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
const expectedLora = readFixtureTensors('expected', 'bert', 'lora.safetensors').get('last_hidden_state')!;
const requests = (): string[] => server.requests.map((r) => `${r.method} ${r.url}`);

/** tiny-bert split into two shards with a `model.safetensors.index.json`, as `save_pretrained(max_shard_size=…)` writes. */
function shardedModel(): Record<string, Uint8Array | string> {
  const all = [...parseSafetensors(modelFiles['model.safetensors']).tensors];
  const half = Math.ceil(all.length / 2);
  const parts = [all.slice(0, half), all.slice(half)];
  const names = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const weightMap = Object.fromEntries(parts.flatMap((p, i) => p.map(([k]) => [k, names[i]!])));
  return {
    'config.json': modelFiles['config.json'],
    'model.safetensors.index.json': JSON.stringify({ metadata: {}, weight_map: weightMap }),
    [names[0]!]: serializeSafetensors(new Map(parts[0])),
    [names[1]!]: serializeSafetensors(new Map(parts[1])),
  };
}

beforeAll(async () => {
  hubUrl = await server.start();
  server.addCommit('org/tiny-bert', 'c1', modelFiles);
  server.addCommit('org/tiny-bert-sharded', 'c1', shardedModel());
  server.addCommit('AdapterHub/tiny-bert-lora', 'c1', loraFiles);
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('browser entry: loading from the Hub with fetch', () => {
  it('loadPretrainedFromHub + loadAdapterFromHub by id reproduce the Python fixture', T, async () => {
    server.requests.length = 0;
    const model = await loadPretrainedFromHub('org/tiny-bert', { model: bert as never, methods: [lora], download: { hubUrl } });
    expect(model.modelName).toBe('org/tiny-bert');
    expect(await loadAdapterFromHub(model, 'AdapterHub/tiny-bert-lora', { setActive: true, download: { hubUrl } })).toBe('lora');
    expect(maxAbsDiff(model.forward(inputs).last_hidden_state, expectedLora)).toBeLessThanOrEqual(1e-5);
    model.dispose();
    // The first file names the commit; the rest are read at that commit (one consistent version).
    const m = commitOf('org/tiny-bert:c1');
    const a = commitOf('AdapterHub/tiny-bert-lora:c1');
    expect(requests().filter((r) => !r.includes('/cdn/'))).toEqual([
      'GET /org/tiny-bert/resolve/main/config.json',
      `GET /org/tiny-bert/resolve/${m}/model.safetensors`,
      'GET /AdapterHub/tiny-bert-lora/resolve/main/adapter_config.json',
      `GET /AdapterHub/tiny-bert-lora/resolve/${a}/adapter.safetensors`,
    ]);
  });

  it('hubStorage is a FetchStorage that the core loaders read with folder ""', T, async () => {
    const storage = hubStorage('org/tiny-bert', { hubUrl });
    expect(storage).toBeInstanceOf(FetchStorage);
    expect(storage.url('config.json')).toBe(`${hubUrl}/org/tiny-bert/resolve/main/config.json`);
    const model = await loadPretrained(storage, '', { model: bert as never, methods: [lora] });
    await loadAdapter(model, hubStorage('AdapterHub/tiny-bert-lora', { hubUrl }), '', { setActive: true });
    expect(maxAbsDiff(model.forward(inputs).last_hidden_state, expectedLora)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('sharded checkpoints: every shard named by the index is fetched', T, async () => {
    server.requests.length = 0;
    const model = await loadPretrainedFromHub('org/tiny-bert-sharded', { model: bert as never, methods: [lora], download: { hubUrl } });
    await loadAdapterFromHub(model, 'AdapterHub/tiny-bert-lora', { setActive: true, download: { hubUrl } });
    expect(maxAbsDiff(model.forward(inputs).last_hidden_state, expectedLora)).toBeLessThanOrEqual(1e-5);
    model.dispose();
    const c = commitOf('org/tiny-bert-sharded:c1');
    expect(requests().filter((r) => r.includes('tiny-bert-sharded'))).toEqual([
      'GET /org/tiny-bert-sharded/resolve/main/config.json',
      `GET /org/tiny-bert-sharded/resolve/${c}/model.safetensors`,
      `GET /org/tiny-bert-sharded/resolve/${c}/model.safetensors.index.json`,
      `GET /org/tiny-bert-sharded/resolve/${c}/model-00001-of-00002.safetensors`,
      `GET /org/tiny-bert-sharded/resolve/${c}/model-00002-of-00002.safetensors`,
    ]);
    expect(() => shardFiles({ weight_map: { a: '' } }, 'x/index.json')).toThrow(AdapterFormatError);
  });

  it('a folder URL is read as it is (FetchStorage)', T, async () => {
    const model = await loadPretrainedFromHub(`${hubUrl}/org/tiny-bert/resolve/main`, { model: bert as never, methods: [lora] });
    await loadAdapterFromHub(model, `${hubUrl}/AdapterHub/tiny-bert-lora/resolve/main/`, { setActive: true });
    expect(maxAbsDiff(model.forward(inputs).last_hidden_state, expectedLora)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('revisions go into the URL: hf:org/name@rev, options, datasets', T, async () => {
    const repo = 'AdapterHub/tiny-bert-lora-revs';
    const v1 = server.addCommit(repo, 'A', loraFiles, ['main', 'v1']);
    server.addCommit(repo, 'B', { 'adapter_config.json': '{ not json', 'adapter.safetensors': loraFiles['adapter.safetensors'] }, ['main']);
    const model = await loadPretrainedFromHub('org/tiny-bert', { model: bert as never, methods: [lora], download: { hubUrl } });
    server.requests.length = 0;
    expect(await loadAdapterFromHub(model, 'hf:AdapterHub/tiny-bert-lora-revs@v1', { download: { hubUrl } })).toBe('lora');
    expect(requests().filter((r) => !r.includes('/cdn/'))).toEqual([`GET /${repo}/resolve/v1/adapter_config.json`, `GET /${repo}/resolve/${v1}/adapter.safetensors`]);
    // main moved on to a broken config: proves that v1 above was not main.
    await expect(loadAdapterFromHub(model, repo, { loadAs: 'x', download: { hubUrl } })).rejects.toThrow(AdapterFormatError);
    await expect(loadAdapterFromHub(model, `hf:${repo}@v1`, { download: { hubUrl, revision: 'main' } })).rejects.toThrow(/pins revision "v1" but options ask for "main"/);
    model.dispose();
    expect(hubStorage('org/data', { repoType: 'dataset', revision: 'refs/pr/1', hubUrl: 'https://hub.test/' }).url('a b/c.json')).toBe(
      'https://hub.test/datasets/org/data/resolve/refs%2Fpr%2F1/a%20b/c.json',
    );
    expect(hubStorage('org/m').url('config.json')).toBe('https://huggingface.co/org/m/resolve/main/config.json');
  });

  it('missing repo, revision or file: HubNotFoundError naming them; other failures: HubDownloadError', T, async () => {
    const s = hubStorage('org/tiny-bert', { hubUrl });
    const file = await s.readFile('nope.json').catch((e: unknown) => e);
    expect(file).toBeInstanceOf(HubNotFoundError);
    expect(file).toBeInstanceOf(NotFoundError);
    expect(file).toMatchObject({ kind: 'file', repoId: 'org/tiny-bert', file: 'nope.json', revision: 'main' });
    expect(String(file)).toMatch(/file "nope\.json" not found in "org\/tiny-bert" at revision "main"/);
    expect(await s.exists('nope.json')).toBe(false);
    expect(await s.exists('model.safetensors')).toBe(true);
    await expect(hubStorage('org/missing', { hubUrl }).readFile('config.json')).rejects.toMatchObject({ name: 'HubNotFoundError', kind: 'repo', repoId: 'org/missing' });
    await expect(hubStorage('org/tiny-bert', { hubUrl, revision: 'v9' }).readFile('config.json')).rejects.toMatchObject({ kind: 'revision', revision: 'v9' });
    await expect(loadPretrainedFromHub('org/missing', { download: { hubUrl } })).rejects.toMatchObject({ kind: 'repo', file: 'config.json' });
    server.addCommit('org/no-weights', 'c1', { 'adapter_config.json': loraFiles['adapter_config.json'] });
    const model = await loadPretrainedFromHub('org/tiny-bert', { model: bert as never, methods: [lora], download: { hubUrl } });
    const none = await loadAdapterFromHub(model, 'org/no-weights', { download: { hubUrl } }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(HubNotFoundError);
    expect(String(none)).toMatch(/"adapter\.safetensors", "pytorch_adapter\.bin"/);
    model.dispose();
    const refused = hubStorage('org/m', { hubUrl, fetch: async () => new Response(null, { status: 500, headers: { 'x-error-message': 'boom' } }) });
    await expect(refused.readFile('config.json')).rejects.toMatchObject({ name: 'HubDownloadError', status: 500 });
    const offline = hubStorage('org/m', { fetch: async () => Promise.reject(new Error('network down')) });
    const err = await offline.readFile('config.json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubDownloadError);
    expect(String(err)).toMatch(/network down/);
  });

  it('sends the token to the Hub as Authorization: Bearer', T, async () => {
    server.requests.length = 0;
    const s = hubStorage('AdapterHub/tiny-bert-lora', { hubUrl, token: 'hf_secret' });
    await s.readFile('adapter_config.json');
    await s.readFile('adapter.safetensors');
    expect(await s.exists('adapter.safetensors')).toBe(true);
    const hub = server.requests.filter((r) => !r.url.startsWith('/cdn/'));
    expect(hub.map((r) => r.method)).toEqual(['GET', 'GET', 'HEAD']);
    expect(hub.every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
    // The LFS redirect goes to another origin: fetch drops Authorization there, as huggingface_hub does.
    const cdn = server.requests.filter((r) => r.url.startsWith('/cdn/'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);
    server.requests.length = 0;
    await hubStorage('AdapterHub/tiny-bert-lora', { hubUrl }).readFile('adapter_config.json');
    expect(server.requests.map((r) => r.authorization)).toEqual([undefined]);
  });
});

describe('browser bundle', () => {
  it('`@adapters/hub` bundled for the browser resolves to the browser entry, with no node: import', T, async () => {
    // A node_modules with the package linked in, so that esbuild resolves it through its exports map.
    const nm = path.join(tmp, 'app', 'node_modules', '@adapters');
    mkdirSync(nm, { recursive: true });
    symlinkSync(PKG, path.join(nm, 'hub'), 'dir');
    const result = await build({
      stdin: { contents: "export * from '@adapters/hub';", resolveDir: path.join(tmp, 'app'), loader: 'ts' },
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['@adapters/source', 'browser'],
      logLevel: 'silent',
      external: ['@tensorflow/*', '@huggingface/*', 'fflate'],
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => p.replace(/\\/g, '/'));
    expect(inputs.some((p) => p.endsWith('hub/src/browser.ts'))).toBe(true);
    expect(inputs.filter((p) => /hub\/src\/(index|download|cache|load)\.ts$/.test(p))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:/);
    expect(code).toMatch(/hubStorage/);
    // Without the browser condition the same import is the Node entry (on-disk cache).
    const node = await build({
      stdin: { contents: "export * from '@adapters/hub';", resolveDir: path.join(tmp, 'app'), loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      conditions: ['@adapters/source'],
      logLevel: 'silent',
      external: ['@adapters/core', '@huggingface/*', '@tensorflow/*', 'fflate'],
      metafile: true,
    });
    expect(Object.keys(node.metafile.inputs).some((p) => p.replace(/\\/g, '/').endsWith('hub/src/index.ts'))).toBe(true);
  });
});
