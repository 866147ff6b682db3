import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AdaptersError } from '@adapters/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadRepoFile, repoCacheFolder, resolveAdapterId, validateRepoFilename } from '../src';
import { HubServer } from './hub-server';

describe('resolveAdapterId', () => {
  it('treats AdapterHub ids as Hugging Face repository ids', () => {
    expect(resolveAdapterId('AdapterHub/roberta-base-pf-imdb')).toEqual({ repoId: 'AdapterHub/roberta-base-pf-imdb', revision: undefined });
    expect(resolveAdapterId('gpt2')).toEqual({ repoId: 'gpt2', revision: undefined });
  });
  it('accepts hf:org/name and hf:org/name@revision', () => {
    expect(resolveAdapterId('hf:org/name')).toEqual({ repoId: 'org/name', revision: undefined });
    expect(resolveAdapterId('hf:org/name@v1.0')).toEqual({ repoId: 'org/name', revision: 'v1.0' });
    expect(resolveAdapterId('hf:org/name@refs/pr/3')).toEqual({ repoId: 'org/name', revision: 'refs/pr/3' });
  });
  it('rejects legacy AdapterHub index ids and malformed ids', () => {
    expect(() => resolveAdapterId('sentiment/sst-2@ukp')).toThrow(/legacy AdapterHub index id/);
    for (const bad of ['a/b/c', 'org--x/name', 'org/na..me', '', 'hf:org/name@', 'org/name.git', '../x']) {
      expect(() => resolveAdapterId(bad), bad).toThrow(AdaptersError);
    }
  });
  it('rejects repository file names that would escape the cache', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', '\\\\host\\share', 'a//b', '']) {
      expect(() => validateRepoFilename(bad), bad).toThrow(AdaptersError);
    }
    expect(() => validateRepoFilename('sub/dir/file.json')).not.toThrow();
  });
  it('names cache folders like huggingface_hub', () => {
    expect(repoCacheFolder('org/name', { cacheDir: '/c' })).toBe(path.join('/c', 'models--org--name'));
    expect(repoCacheFolder('org/data', { cacheDir: '/c', repoType: 'dataset' })).toBe(path.join('/c', 'datasets--org--data'));
  });
});

describe('redirects', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'adapters-hub-ids-'));
  const server = new HubServer(path.join(tmp, 'hub'));
  beforeAll(() => server.start());
  afterAll(async () => {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('follows the relative redirect of a renamed repository and caches under the name asked for', { timeout: 20_000 }, async () => {
    const commit = server.addCommit('new-org/model', 'c1', { 'config.json': '{"a":1}' });
    server.rename('old-org/model', 'new-org/model');
    const cacheDir = path.join(tmp, 'cache');
    const r = await downloadRepoFile('old-org/model', 'config.json', { hubUrl: server.url, cacheDir });
    expect(r.path).toBe(path.join(cacheDir, 'models--old-org--model', 'snapshots', commit, 'config.json'));
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'HEAD /old-org/model/resolve/main/config.json',
      'HEAD /new-org/model/resolve/main/config.json',
      'GET /new-org/model/resolve/main/config.json',
    ]);
  });
});
