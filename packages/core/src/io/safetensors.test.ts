import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdapterFormatError } from '../errors';
import type { RawTensor, SafetensorsDtype } from './dtypes';
import { parseSafetensors, serializeSafetensors } from './safetensors';
import { le } from './test-helpers';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const fixtureFiles = (readdirSync(fixtures, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.safetensors'))
  .sort();

/** A safetensors file from a header string (padded with spaces) and data bytes. */
function file(header: string, data: Uint8Array | number[] = []): Uint8Array {
  const h = new TextEncoder().encode(header);
  return Uint8Array.from([...le(h.length, 8), ...h, ...data]);
}

function expectFormatError(fn: () => unknown, message: RegExp, location?: string | RegExp): AdapterFormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AdapterFormatError);
  const err = caught as AdapterFormatError;
  expect(err.message).toMatch(message);
  if (typeof location === 'string') expect(err.location).toBe(location);
  else if (location) expect(err.location).toMatch(location);
  return err;
}

const t = (dtype: SafetensorsDtype, shape: number[], nbytes: number, fill = 1): RawTensor => ({
  dtype,
  shape,
  data: new Uint8Array(nbytes).fill(fill),
});

describe('safetensors fixtures', () => {
  it('finds the fixture files', () => {
    expect(fixtureFiles.length).toBeGreaterThan(100);
  });

  it('re-serializes every fixture byte-identically (Map and Record input)', () => {
    for (const f of fixtureFiles) {
      const bytes = new Uint8Array(readFileSync(path.join(fixtures, f)));
      const { metadata, tensors } = parseSafetensors(bytes, f);
      expect(Buffer.from(serializeSafetensors(tensors, metadata)).equals(Buffer.from(bytes)), f).toBe(true);
      expect(Buffer.from(serializeSafetensors(Object.fromEntries(tensors), metadata)).equals(Buffer.from(bytes)), f).toBe(true);
    }
  });

  it('reads metadata and int64 inputs', () => {
    const f = fixtureFiles.find((x) => x.startsWith(`io${path.sep}`))!;
    const { metadata, tensors } = parseSafetensors(new Uint8Array(readFileSync(path.join(fixtures, f))), f);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('input_ids')?.dtype).toBe('I64');
    const lora = parseSafetensors(new Uint8Array(readFileSync(path.join(fixtures, 'adapters/bert/lora/adapter.safetensors'))));
    expect(lora.metadata).toBeNull();
    expect(lora.tensors.get('encoder.layer.0.attention.self.query.loras.lora.lora_A')?.shape).toEqual([8, 32]);
  });
});

describe('serializeSafetensors', () => {
  it('matches the Rust crate test vectors', () => {
    expect([...serializeSafetensors(new Map())]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect([...serializeSafetensors({}, { framework: 'pt' })]).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102, 114,
      97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
    const data = new Uint8Array(Float32Array.from([0, 1, 2, 3, 4, 5]).buffer);
    const out = serializeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data } });
    expect([...out.subarray(0, 8)]).toEqual([72, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(out.subarray(8, 80))).toBe(
      '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ',
    );
    expect([...out.subarray(80)]).toEqual([...data]);
  });

  it('lays tensors out by descending Rust dtype order, then by code point', () => {
    const tensors: Record<string, RawTensor> = {
      bool: t('BOOL', [1], 1),
      u8: t('U8', [1], 1),
      i8: t('I8', [1], 1),
      i16: t('I16', [1], 2),
      f16: t('F16', [1], 2),
      bf16: t('BF16', [1], 2),
      i32: t('I32', [1], 4),
      f32b: t('F32', [1], 4),
      f32a: t('F32', [1], 4),
      f64: t('F64', [1], 8),
      i64: t('I64', [1], 8),
      '\uffff': t('F32', [], 4),
      '😀': t('F32', [], 4),
      é: t('F32', [], 4),
    };
    const out = serializeSafetensors(tensors);
    const names = [...parseSafetensors(out).tensors.keys()];
    expect(names).toEqual(['i64', 'f64', 'f32a', 'f32b', 'é', '\uffff', '😀', 'i32', 'bf16', 'f16', 'i16', 'i8', 'u8', 'bool']);
    const headerLen = new DataView(out.buffer).getUint32(0, true);
    expect(headerLen % 8).toBe(0);
    expect(parseSafetensors(out).tensors.get('f16')).toEqual(tensors.f16);
  });

  it('writes __metadata__ first and round-trips values that JSON must escape', () => {
    const meta = { 'a"b': 'line\nbreak\u0001', z: 'é' };
    const out = serializeSafetensors(new Map([['x\\y', t('U8', [2], 2)]]), meta);
    const header = new TextDecoder().decode(out.subarray(8, 8 + new DataView(out.buffer).getUint32(0, true)));
    expect(header.startsWith('{"__metadata__":{"a\\"b":"line\\nbreak\\u0001","z":"é"},"x\\\\y":')).toBe(true);
    const back = parseSafetensors(out);
    expect(back.metadata).toEqual(meta);
    expect(serializeSafetensors(back.tensors, back.metadata)).toEqual(out);
  });

  it('rejects inconsistent tensors', () => {
    expectFormatError(() => serializeSafetensors({ a: t('F32', [2], 4) }), /needs 8 bytes/, 'a');
    expectFormatError(() => serializeSafetensors({ __metadata__: t('U8', [1], 1) }), /__metadata__/);
    expectFormatError(() => serializeSafetensors({ a: t('F8' as SafetensorsDtype, [1], 1) }), /unsupported dtype/);
  });
});

describe('parseSafetensors validation', () => {
  const entry = (dtype = 'F32', shape = '[1]', offsets = '[0,4]') =>
    `{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;

  it('keeps header order, including index-like keys', () => {
    const f = file(`{"10":${entry('U8', '[1]', '[0,1]')},"2":${entry('U8', '[1]', '[1,2]')}}`, [7, 9]);
    const { tensors } = parseSafetensors(f);
    expect([...tensors.keys()]).toEqual(['10', '2']);
    expect([...tensors.get('2')!.data]).toEqual([9]);
  });

  it('rejects short files and bad header lengths without allocating', () => {
    expectFormatError(() => parseSafetensors(new Uint8Array(5), 'x.safetensors'), /shorter than/, 'byte 0');
    const huge = Uint8Array.from([...le(2 ** 52, 8), 123, 125]);
    const e = expectFormatError(() => parseSafetensors(huge, 'x.safetensors'), /exceeds/, 'byte 0');
    expect(e.file).toBe('x.safetensors');
  });

  it('rejects invalid UTF-8, invalid JSON and non-object headers', () => {
    expectFormatError(() => parseSafetensors(Uint8Array.from([...le(2, 8), 0xff, 0xfe])), /UTF-8/, 'byte 8');
    expectFormatError(() => parseSafetensors(file('{"a":')), /not valid JSON/, /byte 13/);
    expectFormatError(() => parseSafetensors(file('[1]')), /not a JSON object/);
    expectFormatError(() => parseSafetensors(file('{} x')), /not valid JSON/, 'byte 11');
  });

  it('rejects duplicate keys', () => {
    const h = `{"a":${entry('U8', '[1]', '[0,1]')},"a":${entry('U8', '[1]', '[1,2]')}}`;
    expectFormatError(() => parseSafetensors(file(h, [1, 2])), /duplicate key "a"/, /^a @ byte \d+$/);
  });

  it('rejects malformed entries', () => {
    const bad: [string, RegExp][] = [
      [`{"a":{"shape":[1],"data_offsets":[0,4]}}`, /missing 'dtype'/],
      [`{"a":${entry('F8_E4M3', '[4]')}}`, /unsupported dtype "F8_E4M3"/],
      [`{"a":${entry('F32', '[-1]')}}`, /shape/],
      [`{"a":${entry('F32', '[1.5]')}}`, /shape/],
      [`{"a":${entry('F32', '[1]', '[0]')}}`, /data_offsets/],
      [`{"a":${entry('F32', '[1]', '[0,8]')}}`, /outside the 4-byte data area/],
      [`{"a":${entry('F32', '[2]', '[0,4]')}}`, /needs 8 bytes but data_offsets span 4/],
      [`{"a":${entry('F32', '[1000000,1000000,1000000]', '[0,4]')}}`, /needs more than \d+ bytes/],
      [`{"a":3}`, /not a JSON object/],
    ];
    for (const [h, re] of bad) expectFormatError(() => parseSafetensors(file(h, [0, 0, 0, 0])), re, 'a');
  });

  it('rejects overlaps, holes and trailing bytes', () => {
    const overlap = `{"a":${entry('U8', '[2]', '[0,2]')},"b":${entry('U8', '[2]', '[1,3]')}}`;
    expectFormatError(() => parseSafetensors(file(overlap, [1, 2, 3])), /overlaps tensor "a"/, 'b');
    const hole = `{"a":${entry('U8', '[1]', '[0,1]')},"b":${entry('U8', '[1]', '[2,3]')}}`;
    expectFormatError(() => parseSafetensors(file(hole, [1, 2, 3])), /hole/, 'b');
    const header = `{"a":${entry('U8', '[1]', '[0,1]')}}`;
    expectFormatError(() => parseSafetensors(file(header, [1, 2])), /after the last tensor/, `byte ${8 + header.length + 1}`);
  });

  it('validates __metadata__', () => {
    expectFormatError(() => parseSafetensors(file('{"__metadata__":{"a":1}}')), /strings/, '__metadata__.a');
    expectFormatError(() => parseSafetensors(file('{"__metadata__":"x"}')), /object of strings/, '__metadata__');
    expect(parseSafetensors(file('{"__metadata__":{"__proto__":"x"}}')).metadata).toEqual(
      Object.fromEntries([['__proto__', 'x']]),
    );
  });
});

describe('serializeSafetensors names', () => {
  it('rejects lone surrogates and accepts pairs', () => {
    expect(() => serializeSafetensors({ 'a\ud800': t('U8', [1], 1) })).toThrow(/lone surrogate/);
    expect(() => serializeSafetensors({ '\udc00b': t('U8', [1], 1) })).toThrow(/lone surrogate/);
    expect(() => serializeSafetensors({ x: t('U8', [1], 1) }, { k: '\ud800' })).toThrow(/not valid Unicode/);
    expect([...parseSafetensors(serializeSafetensors({ '😀': t('U8', [1], 1) })).tensors.keys()]).toEqual(['😀']);
  });
});
