import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AdapterFormatError } from '../errors';
import { readZip } from './zip';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const enc = new TextEncoder();

/** Offset of the `index`-th central directory header. */
function central(zip: Uint8Array, index = 0): number {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let seen = 0;
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (dv.getUint32(i, true) === 0x02014b50 && seen++ === index) return i;
  }
  throw new Error('no central header');
}

function setU32(zip: Uint8Array, at: number, v: number): void {
  new DataView(zip.buffer, zip.byteOffset, zip.byteLength).setUint32(at, v, true);
}

function formatError(fn: () => unknown): AdapterFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterFormatError);
    return e as AdapterFormatError;
  }
  throw new Error('expected an AdapterFormatError');
}

describe('readZip', () => {
  it('reads stored and deflated entries', () => {
    const text = enc.encode('hello hello hello hello '.repeat(50));
    const zip = zipSync({ 'a/stored.txt': [text, { level: 0 }], 'a/deflated.txt': [text, { level: 9 }], 'a/empty': new Uint8Array(0) });
    const z = readZip(zip, 'test.zip');
    expect([...z.entries.keys()]).toEqual(['a/stored.txt', 'a/deflated.txt', 'a/empty']);
    expect(z.entries.get('a/stored.txt')?.method).toBe(0);
    expect(z.entries.get('a/deflated.txt')?.method).toBe(8);
    expect(z.read('a/stored.txt')).toEqual(text);
    expect(z.read('a/deflated.txt')).toEqual(text);
    expect(z.read('a/empty').length).toBe(0);
    expect(formatError(() => z.read('nope')).location).toBe('nope');
  });

  it('reads a torch.save archive (which carries an unneeded zip64 end record)', () => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, 'adapters/bert/lora-bin/pytorch_adapter.bin')));
    const z = readZip(bytes);
    expect(z.has('pytorch_adapter/data.pkl')).toBe(true);
    expect(z.read('pytorch_adapter/data/0').length).toBe(1024);
  });

  it('rejects non-zips and saturated (zip64) end records', () => {
    expect(formatError(() => readZip(enc.encode('not a zip at all, really'), 'x.bin')).message).toMatch(/^x\.bin \[byte 24\]: not a zip/);
    const zip = zipSync({ a: enc.encode('x') });
    const eocd = zip.length - 22;
    setU32(zip, eocd + 16, 0xffffffff);
    const e = formatError(() => readZip(zip));
    expect(e.message).toMatch(/zip64/);
    expect(e.location).toBe(`byte ${eocd}`);
  });

  it("rejects '..' segments and absolute names", () => {
    for (const name of ['../evil.txt', 'a/../../evil', '/etc/passwd', 'C:/x', 'a\\b']) {
      const e = formatError(() => readZip(zipSync({ [name]: enc.encode('x') }), 'evil.zip'));
      expect(e.file).toBe('evil.zip');
      expect(e.location).toContain(name);
    }
  });

  it('rejects a deflate bomb by its compression ratio', () => {
    const zip = zipSync({ 'bomb.bin': [new Uint8Array(1 << 20), { level: 9 }] });
    const e = formatError(() => readZip(zip, 'bomb.zip'));
    expect(e.message).toMatch(/compression ratio \d+ exceeds 1000/);
    expect(e.location).toMatch(/^bomb\.bin @ byte \d+$/);
  });

  it('rejects entries over the size caps before inflating', () => {
    const zip = zipSync({ a: new Uint8Array(100), b: new Uint8Array(100) }, { level: 0 });
    expect(formatError(() => readZip(zip, 'z', { maxEntrySize: 50 })).message).toMatch(/exceeds the 50-byte limit/);
    expect(formatError(() => readZip(zip, 'z', { maxTotalSize: 150 })).message).toMatch(/total uncompressed size/);
  });

  it('rejects a stream that inflates past its declared size and corrupt data', () => {
    const data = enc.encode('abcdefgh'.repeat(100));
    const zip = zipSync({ a: [data, { level: 9 }] });
    setU32(zip, central(zip) + 24, 10);
    expect(formatError(() => readZip(zip).read('a')).message).toMatch(/inflates to more than 10 bytes/);

    const stored = zipSync({ a: [data, { level: 0 }] });
    const z = readZip(stored);
    const at = z.entries.get('a')!.dataOffset;
    stored[at] = stored[at]! ^ 0xff;
    expect(formatError(() => z.read('a')).message).toMatch(/CRC-32 mismatch/);

    const garbage = zipSync({ a: [data, { level: 9 }] });
    const g = readZip(garbage);
    garbage.fill(0xff, g.entries.get('a')!.dataOffset, g.entries.get('a')!.dataOffset + 4);
    expect(formatError(() => g.read('a')).message).toMatch(/corrupt deflate data|inflates to/);
  });

  it('rejects entries whose data runs outside the archive or overlaps another entry', () => {
    const zip = zipSync({ a: enc.encode('aaaa'), b: enc.encode('bbbb') }, { level: 0 });
    const copy = zip.slice();
    setU32(copy, central(copy, 1) + 42, 0); // b's local header offset → a's
    expect(formatError(() => readZip(copy)).message).toMatch(/duplicate|overlaps/);
    const big = zip.slice();
    setU32(big, central(big) + 20, 1 << 20);
    setU32(big, central(big) + 24, 1 << 20);
    expect(formatError(() => readZip(big)).message).toMatch(/runs past/);
  });
});
