import { describe, expect, it } from 'vitest';
import { AdaptersError, NotFoundError } from '../errors';
import { MemoryStorage } from '../storage';
import { FetchStorage, type FetchLike, type FetchResponseLike } from './fetch-storage';

/** A fake server: files by URL; records every request. */
function fakeFetch(files: Record<string, Uint8Array>, opts: { headStatus?: number } = {}) {
  const calls: { url: string; method: string; headers?: Record<string, string> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const method = init?.method ?? 'GET';
    calls.push({ url, method, ...(init?.headers ? { headers: init.headers } : {}) });
    const body = files[url];
    const status = method === 'HEAD' && opts.headStatus !== undefined ? opts.headStatus : body ? 200 : 404;
    const res: FetchResponseLike = {
      ok: status >= 200 && status < 300,
      status,
      statusText: status === 404 ? 'Not Found' : '',
      arrayBuffer: async () => (body ? body.slice().buffer : new ArrayBuffer(0)),
      body: { cancel: async () => undefined },
    };
    return res;
  };
  return { fetch, calls };
}

// Compile-time check: the global fetch is a FetchLike (typecheck of this file fails otherwise).
export const globalFetch: FetchLike = fetch;

describe('FetchStorage', () => {
  const bytes = new Uint8Array([1, 2, 3]);

  it('reads files under the base URL, encoding each path segment', async () => {
    const { fetch, calls } = fakeFetch({ 'https://x.test/models/tiny%20bert/config.json': bytes });
    const s = new FetchStorage('https://x.test/models/', { fetch, headers: { Authorization: 'Bearer t' } });
    expect(Array.from(await s.readFile('tiny bert//config.json'))).toEqual([1, 2, 3]);
    expect(calls).toEqual([{ url: 'https://x.test/models/tiny%20bert/config.json', method: 'GET', headers: { Authorization: 'Bearer t' } }]);
  });

  it('throws NotFoundError on 404 and AdaptersError on other failures', async () => {
    const { fetch } = fakeFetch({});
    const s = new FetchStorage('/m', { fetch });
    await expect(s.readFile('a.json')).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.readFile('a.json')).rejects.toThrow(/ENOENT: a\.json.*404.*\/m\/a\.json/);
    const broken = new FetchStorage('/m', { fetch: async () => ({ ok: false, status: 500, statusText: 'Oops', arrayBuffer: async () => new ArrayBuffer(0) }) });
    await expect(broken.readFile('a.json')).rejects.toThrow(/HTTP 500 Oops/);
    const offline = new FetchStorage('/m', { fetch: async () => Promise.reject(new Error('network down')) });
    await expect(offline.readFile('a.json')).rejects.toThrow(/fetching \/m\/a\.json failed: network down/);
  });

  it('exists uses HEAD, falling back to GET when HEAD is refused', async () => {
    const files = { '/m/a.json': bytes };
    const head = fakeFetch(files);
    const s = new FetchStorage('/m', { fetch: head.fetch });
    expect(await s.exists('a.json')).toBe(true);
    expect(await s.exists('b.json')).toBe(false);
    expect(head.calls.map((c) => c.method)).toEqual(['HEAD', 'HEAD']);
    const noHead = fakeFetch(files, { headStatus: 405 });
    expect(await new FetchStorage('/m', { fetch: noHead.fetch }).exists('a.json')).toBe(true);
    expect(noHead.calls.map((c) => c.method)).toEqual(['HEAD', 'GET']);
  });

  it('is read-only without an overlay; with one, writes land there and are read back first', async () => {
    const { fetch, calls } = fakeFetch({ '/m/a.json': bytes });
    await expect(new FetchStorage('/m', { fetch }).writeFile('x', bytes)).rejects.toBeInstanceOf(AdaptersError);
    const overlay = new MemoryStorage();
    const s = new FetchStorage('/m', { fetch, overlay });
    await s.mkdir('out');
    await s.writeFile('a.json', new Uint8Array([9]));
    calls.length = 0;
    expect(Array.from(await s.readFile('a.json'))).toEqual([9]);
    expect(await s.exists('a.json')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('passes absolute URLs through and rejects ..', async () => {
    const { fetch } = fakeFetch({ 'https://h.test/r/resolve/main/config.json': bytes });
    const s = new FetchStorage('', { fetch });
    expect(s.url('https://h.test/r/resolve/main/config.json')).toBe('https://h.test/r/resolve/main/config.json');
    expect(await s.readFile('https://h.test/r/resolve/main/config.json')).toHaveLength(3);
    expect(() => s.url('../secret')).toThrow(/\.\./);
  });
});
