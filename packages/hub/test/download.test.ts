import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AdapterFormatError, AdaptersError, NotFoundError } from '@adapters/core';
import { fixturePath } from '@adapters/core/testing';
import { scanCacheDir } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HubDownloadError,
  HubIntegrityError,
  HubNotFoundError,
  defaultCacheDir,
  downloadAdapter,
  downloadRepoFile,
  downloadRepoFiles,
} from '../src';
import { HubServer, gitSha1, sha256 } from './hub-server';

const T = { timeout: 20_000 };
const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-hub-'));
const server = new HubServer(path.join(tmp, 'hub'));
let hubUrl = '';
let cacheN = 0;
/** A fresh, empty cache folder. */
const newCache = (): string => path.join(tmp, `cache-${cacheN++}`);

const loraConfig = readFileSync(fixturePath('adapters', 'bert', 'lora', 'adapter_config.json'));
const loraWeights = new Uint8Array(readFileSync(fixturePath('adapters', 'bert', 'lora', 'adapter.safetensors')));
const loraBin = new Uint8Array(readFileSync(fixturePath('adapters', 'bert', 'lora-bin', 'pytorch_adapter.bin')));

const REPO = 'AdapterHub/bert-tiny-lora';
let commit = '';

beforeAll(async () => {
  hubUrl = await server.start();
  commit = server.addCommit(REPO, 'c1', { 'adapter_config.json': loraConfig, 'adapter.safetensors': loraWeights, 'README.md': '# lora\n' });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('downloadAdapter / downloadRepoFiles against a local Hub', () => {
  const cacheDir = newCache();
  const repoDir = path.join(cacheDir, 'models--AdapterHub--bert-tiny-lora');

  it('downloads an adapter into the huggingface_hub cache layout', T, async () => {
    server.requests.length = 0;
    const progress: number[] = [];
    const dir = await downloadAdapter(REPO, { hubUrl, cacheDir, token: 'hf_test_token', onProgress: (p) => p.file === 'adapter.safetensors' && progress.push(p.loaded) });
    expect(progress.at(-1)).toBe(loraWeights.byteLength);
    expect(dir).toBe(path.join(repoDir, 'snapshots', commit));
    // refs/main holds the commit hash.
    expect(readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8')).toBe(commit);
    // snapshots/<commit>/<file> are relative symlinks to blobs/<etag>: git-sha1 for plain files, sha256 for LFS files.
    const cfgLink = path.join(dir, 'adapter_config.json');
    const wLink = path.join(dir, 'adapter.safetensors');
    expect(lstatSync(cfgLink).isSymbolicLink()).toBe(true);
    expect(readlinkSync(cfgLink)).toBe(path.join('..', '..', 'blobs', gitSha1(loraConfig)));
    expect(readlinkSync(wLink)).toBe(path.join('..', '..', 'blobs', sha256(loraWeights)));
    expect(new Uint8Array(readFileSync(wLink))).toEqual(loraWeights);
    expect(readFileSync(cfgLink)).toEqual(loraConfig);
    expect(readdirSync(path.join(repoDir, 'blobs')).sort()).toEqual([gitSha1(loraConfig), sha256(loraWeights)].sort());
    // The absent head was remembered as huggingface_hub does (`.no_exist/<commit>/<file>`).
    expect(existsSync(path.join(repoDir, '.no_exist', commit, 'head_config.json'))).toBe(true);
    // HEAD → GET for the config; HEAD (302 to the CDN) → GET /cdn/<sha256> for LFS; HEAD 404 for the head.
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `HEAD /${REPO}/resolve/main/adapter_config.json`,
      `GET /${REPO}/resolve/main/adapter_config.json`,
      `HEAD /${REPO}/resolve/${commit}/adapter.safetensors`,
      `GET /cdn/${sha256(loraWeights)}`,
      `HEAD /${REPO}/resolve/${commit}/head_config.json`,
    ]);
    // The token goes to the Hub, not to the CDN.
    expect(server.requests.filter((r) => r.url.startsWith('/cdn/')).every((r) => r.authorization === undefined)).toBe(true);
    expect(server.requests.filter((r) => !r.url.startsWith('/cdn/')).every((r) => r.authorization === 'Bearer hf_test_token')).toBe(true);
  });

  it('is readable by @huggingface/hub scanCacheDir (same layout)', T, async () => {
    const info = await scanCacheDir(cacheDir);
    expect(info.warnings).toEqual([]);
    expect(info.repos).toHaveLength(1);
    const repo = info.repos[0]!;
    expect(repo.id).toEqual({ name: REPO, type: 'model' });
    expect(repo.revisions.map((r) => r.commitOid)).toEqual([commit]);
    expect(repo.revisions[0]!.refs).toEqual(['main']);
    expect(repo.revisions[0]!.files.map((f) => path.basename(f.path)).sort()).toEqual(['adapter.safetensors', 'adapter_config.json']);
  });

  it('a second load makes no request at all', T, async () => {
    server.requests.length = 0;
    const dir = await downloadAdapter(REPO, { hubUrl, cacheDir });
    const files = await downloadRepoFiles(REPO, ['adapter_config.json', 'adapter.safetensors'], { hubUrl, cacheDir });
    const one = await downloadRepoFile(REPO, 'adapter.safetensors', { hubUrl, cacheDir, revision: commit });
    expect(server.count).toBe(0);
    // checkForUpdates with the Hub unreachable falls back to the cached copy.
    const stale = await downloadRepoFile(REPO, 'adapter_config.json', { hubUrl: 'http://127.0.0.1:9', cacheDir, checkForUpdates: true });
    expect(stale).toMatchObject({ commit, fromCache: true });
    expect(files).toEqual([path.join(dir, 'adapter_config.json'), path.join(dir, 'adapter.safetensors')]);
    expect(one.fromCache).toBe(true);
  });

  it('offline mode resolves from the cache without any server', T, async () => {
    const noNet = (() => {
      throw new Error('network used in offline mode');
    }) as unknown as typeof fetch;
    const opts = { hubUrl: 'http://127.0.0.1:9', cacheDir, fetch: noNet };
    const dir = await downloadAdapter(REPO, { ...opts, offline: true });
    expect(dir).toBe(path.join(repoDir, 'snapshots', commit));
    const prev = process.env.HF_HUB_OFFLINE;
    process.env.HF_HUB_OFFLINE = '1';
    try {
      expect(await downloadAdapter(REPO, opts)).toBe(dir);
      // Missing from the cache: NotFoundError naming repo, file and revision.
      const miss = await downloadRepoFile(REPO, 'tokenizer.json', opts).catch((e: unknown) => e);
      expect(miss).toBeInstanceOf(HubNotFoundError);
      expect(miss).toBeInstanceOf(NotFoundError);
      expect((miss as HubNotFoundError).kind).toBe('not-cached');
      expect(String(miss)).toMatch(/tokenizer\.json.*AdapterHub\/bert-tiny-lora.*main.*offline/);
      // A repository never downloaded.
      await expect(downloadAdapter('org/never-downloaded', opts)).rejects.toThrow(/adapter_config\.json.*org\/never-downloaded.*not in the local cache/);
    } finally {
      if (prev === undefined) delete process.env.HF_HUB_OFFLINE;
      else process.env.HF_HUB_OFFLINE = prev;
    }
  });
});

describe('fallbacks, revisions and errors', () => {
  it('falls back to pytorch_adapter.bin when adapter.safetensors is absent (and remembers the 404)', T, async () => {
    const c = server.addCommit('AdapterHub/bert-tiny-lora-bin', 'c1', { 'adapter_config.json': loraConfig, 'pytorch_adapter.bin': loraBin });
    const cacheDir = newCache();
    const dir = await downloadAdapter('AdapterHub/bert-tiny-lora-bin', { hubUrl, cacheDir });
    expect(path.basename(dir)).toBe(c);
    expect(existsSync(path.join(dir, 'adapter.safetensors'))).toBe(false);
    expect(new Uint8Array(readFileSync(path.join(dir, 'pytorch_adapter.bin')))).toEqual(loraBin);
    server.requests.length = 0;
    await downloadAdapter('AdapterHub/bert-tiny-lora-bin', { hubUrl, cacheDir });
    expect(server.count).toBe(0);
  });

  it('pins revisions: branch, tag and commit hash give their own content', T, async () => {
    const repo = 'org/pinned';
    const a = server.addCommit(repo, 'A', { 'adapter_config.json': '{"v":1}', 'adapter.safetensors': loraWeights }, ['main', 'v1']);
    const b = server.addCommit(repo, 'B', { 'adapter_config.json': '{"v":2}', 'adapter.safetensors': loraWeights }, ['main']);
    const cacheDir = newCache();
    const o = { hubUrl, cacheDir };
    const read = async (revision: string): Promise<string> => readFileSync((await downloadRepoFile(repo, 'adapter_config.json', { ...o, revision })).path, 'utf8');
    expect(await read('v1')).toBe('{"v":1}');
    expect(await read('main')).toBe('{"v":2}');
    expect(await read(a)).toBe('{"v":1}');
    const refs = path.join(cacheDir, 'models--org--pinned', 'refs');
    expect(readFileSync(path.join(refs, 'v1'), 'utf8')).toBe(a);
    expect(readFileSync(path.join(refs, 'main'), 'utf8')).toBe(b);
    // hf:org/name@rev ids pin too.
    expect(path.basename(await downloadAdapter(`hf:${repo}@v1`, o))).toBe(a);
    expect(path.basename(await downloadAdapter(repo, o))).toBe(b);
    // Two configs, and one LFS blob shared by both snapshots.
    expect(readdirSync(path.join(cacheDir, 'models--org--pinned', 'blobs'))).toHaveLength(3);

    // main moves on the server: the cached ref is trusted by default, refreshed with checkForUpdates.
    const c = server.addCommit(repo, 'C', { 'adapter_config.json': '{"v":3}', 'adapter.safetensors': loraWeights }, ['main']);
    server.requests.length = 0;
    expect(await read('main')).toBe('{"v":2}');
    expect(server.count).toBe(0);
    const fresh = await downloadRepoFile(repo, 'adapter_config.json', { ...o, checkForUpdates: true });
    expect(fresh.commit).toBe(c);
    expect(readFileSync(fresh.path, 'utf8')).toBe('{"v":3}');
    expect(readFileSync(path.join(refs, 'main'), 'utf8')).toBe(c);
    // A cached commit hash needs no request even with checkForUpdates.
    server.requests.length = 0;
    expect(readFileSync((await downloadRepoFile(repo, 'adapter_config.json', { ...o, revision: a, checkForUpdates: true })).path, 'utf8')).toBe('{"v":1}');
    expect(server.count).toBe(0);
  });

  it('404s are NotFoundErrors naming repo, file and revision', T, async () => {
    const o = { hubUrl, cacheDir: newCache() };
    const file = await downloadRepoFile(REPO, 'nope.json', { ...o, revision: 'main' }).catch((e: unknown) => e);
    expect(file).toBeInstanceOf(NotFoundError);
    expect(file).toMatchObject({ kind: 'file', repoId: REPO, file: 'nope.json', revision: 'main' });
    expect(String(file)).toMatch(/nope\.json.*AdapterHub\/bert-tiny-lora.*"main"/);
    await expect(downloadRepoFile('org/missing-repo', 'config.json', o)).rejects.toMatchObject({ name: 'HubNotFoundError', kind: 'repo' });
    await expect(downloadRepoFile(REPO, 'adapter_config.json', { ...o, revision: 'no-such-branch' })).rejects.toMatchObject({ kind: 'revision' });
    server.addCommit('org/no-weights', 'c1', { 'adapter_config.json': loraConfig });
    await expect(downloadAdapter('org/no-weights', o)).rejects.toThrow(/adapter\.safetensors.*pytorch_adapter\.bin/);
  });

  it('resumes a truncated download with a Range request', T, async () => {
    const weights = loraWeights.slice();
    weights[weights.length - 1]! ^= 1; // unique content, so the CDN path is this repo's
    server.addCommit('org/trunc', 'c1', { 'adapter_config.json': loraConfig, 'adapter.safetensors': weights });
    server.truncate('org/trunc/adapter.safetensors', 1000, 1);
    server.requests.length = 0;
    const dir = await downloadAdapter('org/trunc', { hubUrl, cacheDir: newCache(), retryDelayMs: 0 });
    expect(new Uint8Array(readFileSync(path.join(dir, 'adapter.safetensors')))).toEqual(weights);
    const gets = server.requests.filter((r) => r.url === `/cdn/${sha256(weights)}`);
    expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=1000-']);
  });

  it('a transfer that keeps breaking fails typed, keeps snapshots clean and resumes next time', T, async () => {
    const weights = loraWeights.slice();
    weights[weights.length - 1]! ^= 2;
    const c = server.addCommit('org/trunc2', 'c1', { 'adapter_config.json': loraConfig, 'adapter.safetensors': weights });
    server.truncate('org/trunc2/adapter.safetensors', 1000, Infinity);
    const cacheDir = newCache();
    const o = { hubUrl, cacheDir, retryDelayMs: 0, maxRetries: 2 };
    const err = await downloadAdapter('org/trunc2', o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubDownloadError);
    expect(err).toBeInstanceOf(AdaptersError);
    expect(String(err)).toMatch(/stopped at 3000 of 9120 bytes after 3 attempts/);
    const repoDir = path.join(cacheDir, 'models--org--trunc2');
    expect(existsSync(path.join(repoDir, 'snapshots', c, 'adapter.safetensors'))).toBe(false);
    expect(existsSync(path.join(repoDir, 'blobs', sha256(weights)))).toBe(false);
    expect(lstatSync(path.join(repoDir, 'blobs', `${sha256(weights)}.incomplete`)).size).toBe(3000);
    server.clearFaults();
    server.requests.length = 0;
    const dir = await downloadAdapter('org/trunc2', o);
    expect(new Uint8Array(readFileSync(path.join(dir, 'adapter.safetensors')))).toEqual(weights);
    expect(server.requests.find((r) => r.url.startsWith('/cdn/'))?.range).toBe('bytes=3000-');
    expect(existsSync(path.join(repoDir, 'blobs', `${sha256(weights)}.incomplete`))).toBe(false);
  });

  it('rejects corrupted files (sha256 for LFS, git-sha1 otherwise) and caches nothing', T, async () => {
    const weights = loraWeights.slice();
    weights[weights.length - 1]! ^= 4;
    const c = server.addCommit('org/corrupt', 'c1', { 'adapter_config.json': loraConfig, 'adapter.safetensors': weights, 'notes.txt': 'hello' });
    server.corrupt('org/corrupt/adapter.safetensors');
    server.corrupt('org/corrupt/notes.txt');
    const cacheDir = newCache();
    const o = { hubUrl, cacheDir, retryDelayMs: 0 };
    const err = await downloadAdapter('org/corrupt', o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubIntegrityError);
    expect(err).toBeInstanceOf(AdapterFormatError);
    expect(String(err)).toMatch(new RegExp(`sha256 is [0-9a-f]{64}, the Hub announced ${sha256(weights)}`));
    await expect(downloadRepoFile('org/corrupt', 'notes.txt', o)).rejects.toThrow(/git-sha1/);
    const repoDir = path.join(cacheDir, 'models--org--corrupt');
    expect(readdirSync(path.join(repoDir, 'blobs'))).toEqual([gitSha1(loraConfig)]);
    expect(readdirSync(path.join(repoDir, 'snapshots', c))).toEqual(['adapter_config.json']);
    server.clearFaults();
  });

  it('default cache folder follows HF_HUB_CACHE, then HF_HOME', () => {
    const saved = { a: process.env.HF_HUB_CACHE, b: process.env.HF_HOME, c: process.env.HUGGINGFACE_HUB_CACHE };
    try {
      delete process.env.HUGGINGFACE_HUB_CACHE;
      process.env.HF_HUB_CACHE = '/x/hub-cache';
      expect(defaultCacheDir()).toBe('/x/hub-cache');
      delete process.env.HF_HUB_CACHE;
      process.env.HF_HOME = '/y/hf';
      expect(defaultCacheDir()).toBe(path.join('/y/hf', 'hub'));
    } finally {
      for (const [k, v] of [['HF_HUB_CACHE', saved.a], ['HF_HOME', saved.b], ['HUGGINGFACE_HUB_CACHE', saved.c]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
