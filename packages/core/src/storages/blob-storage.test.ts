import { describe, expect, it } from 'vitest';
import { Parallel, Stack } from '../composition/blocks';
import { loadAdapterSetup, saveAdapterSetup } from '../serialization/setup-files';
import { NotFoundError } from '../errors';
import { BlobStorage, type FileLike } from './blob-storage';

function file(name: string, bytes: number[], webkitRelativePath = ''): FileLike {
  return Object.assign(new Blob([new Uint8Array(bytes)]), { name, webkitRelativePath });
}

describe('BlobStorage', () => {
  it('reads picked files by name, or by relative path for folder picks', async () => {
    const s = BlobStorage.fromFiles([file('a.json', [1]), file('b.bin', [2, 3], 'pick/sub/b.bin')], { dir: 'up' });
    expect([...s.files.keys()].sort()).toEqual(['up/a.json', 'up/pick/sub/b.bin']);
    expect(Array.from(await s.readFile('up/pick/sub/b.bin'))).toEqual([2, 3]);
    expect(await s.exists('up/pick')).toBe(true);
    expect(await s.exists('up/none')).toBe(false);
    expect((await s.list('up')).sort()).toEqual(['a.json', 'pick']);
    const flat = BlobStorage.fromFiles([file('b.bin', [2], 'pick/b.bin')], { keepRelativePaths: false });
    expect([...flat.files.keys()]).toEqual(['b.bin']);
  });

  it('writes copies and exposes them as blobs', async () => {
    const s = new BlobStorage();
    const data = new Uint8Array([4, 5]);
    await s.writeFile('/out//x.bin', data);
    data[0] = 0;
    expect(Array.from(new Uint8Array(await s.blob('out/x.bin').arrayBuffer()))).toEqual([4, 5]);
    expect(() => s.blob('missing')).toThrow(NotFoundError);
    await expect(s.readFile('missing')).rejects.toThrow(/ENOENT: missing/);
  });

  it('rejects paths leaving the root', async () => {
    await expect(new BlobStorage().writeFile('a/../../b', new Uint8Array(1))).rejects.toThrow(/\.\./);
  });

  it('round-trips adapter_setup.json through save and load', async () => {
    const s = new BlobStorage();
    const setup = Stack('a', Parallel('b', 'c'));
    await saveAdapterSetup(s, 'x', setup, ['b', 'c']);
    expect(await s.list('x')).toEqual(['adapter_setup.json']);
    const back = await loadAdapterSetup(BlobStorage.fromFiles([Object.assign(s.blob('x/adapter_setup.json'), { name: 'adapter_setup.json' })], { dir: 'y' }), 'y');
    expect(back.adapterSetup).toEqual(setup);
    expect(back.headSetup).toEqual(['b', 'c']);
  });
});
