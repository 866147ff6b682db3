import { describe, expect, it } from 'vitest';
import { AdapterFormatError, ShapeMismatchError } from '../errors';
import {
  boolToRaw,
  f16BitsToFloat,
  float32ToRaw,
  floatToBf16Bits,
  floatToF16Bits,
  int32ToRaw,
  rawToFloat32,
  rawToInt32,
} from './convert';
import type { RawTensor } from './dtypes';

/** `data` placed at an odd byte offset of a larger buffer (not viewable as a wider typed array). */
function misaligned(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(data.length + 3);
  buf.set(data, 1);
  return buf.subarray(1, 1 + data.length);
}

describe('float conversions', () => {
  it('decodes F32 from a misaligned view', () => {
    const src = Float32Array.from([1.5, -2, 3.25, 1e-40]);
    const t: RawTensor = { dtype: 'F32', shape: [2, 2], data: misaligned(new Uint8Array(src.buffer)) };
    expect(rawToFloat32(t)).toEqual(src);
  });

  it('decodes F64 to the nearest float32', () => {
    const src = Float64Array.from([0.1, -1e300, 2 ** -149]);
    const out = rawToFloat32({ dtype: 'F64', shape: [3], data: misaligned(new Uint8Array(src.buffer)) });
    expect([...out]).toEqual([Math.fround(0.1), -Infinity, 2 ** -149]);
  });

  it('encodes F16 with round-to-nearest-even', () => {
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00], // tie between 65504 and 65536 (odd mantissa) → Inf
      [Infinity, 0x7c00],
      [-0, 0x8000],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // tie → even (zero)
      [3 * 2 ** -26, 0x0001],
      [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal units → 2
      [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02], // tie → even (up)
      [1 + 2 ** -11 + 2 ** -20, 0x3c01],
    ];
    for (const [v, bits] of cases) expect(floatToF16Bits(v), String(v)).toBe(bits);
    expect(floatToF16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(Number.isNaN(f16BitsToFloat(floatToF16Bits(NaN)))).toBe(true);
  });

  it('round-trips every non-NaN F16 bit pattern', () => {
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7c00) === 0x7c00 && h & 0x3ff) continue;
      if (floatToF16Bits(f16BitsToFloat(h)) !== h) throw new Error(`F16 0x${h.toString(16)} does not round-trip`);
    }
  });

  it('encodes BF16 with round-to-nearest-even and round-trips every non-NaN pattern', () => {
    expect(floatToBf16Bits(1)).toBe(0x3f80);
    expect(floatToBf16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(floatToBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToBf16Bits(NaN)).toBe(0x7fc0);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7f80) === 0x7f80 && h & 0x7f) continue;
      u[0] = h << 16;
      if (floatToBf16Bits(f[0]!) !== h) throw new Error(`BF16 0x${h.toString(16)} does not round-trip`);
    }
  });

  it('round-trips F16 and BF16 raw tensors', () => {
    const values = Float32Array.from([0, 1, -0.5, 3.140625, 1024, -65504]);
    for (const dtype of ['F16', 'BF16'] as const) {
      const raw = float32ToRaw(values, [2, 3], dtype);
      expect(raw.data.length).toBe(12);
      expect(raw.shape).toEqual([2, 3]);
      const back = rawToFloat32({ ...raw, data: misaligned(raw.data) });
      const expected = dtype === 'F16' ? values : values.map((v) => f32OfBf16(floatToBf16Bits(v)));
      expect(back).toEqual(expected);
    }
    const raw32 = float32ToRaw([1, 2], [2]);
    expect(raw32.dtype).toBe('F32');
    expect(rawToFloat32(raw32)).toEqual(Float32Array.from([1, 2]));
  });

  it('rejects integer dtypes, wrong byte lengths and wrong shapes', () => {
    expect(() => rawToFloat32({ dtype: 'I64', shape: [1], data: new Uint8Array(8) }, { file: 'f', key: 'k' })).toThrow(
      AdapterFormatError,
    );
    expect(() => rawToFloat32({ dtype: 'F32', shape: [2], data: new Uint8Array(4) })).toThrow(/needs 8 bytes/);
    expect(() => float32ToRaw(new Float32Array(3), [2, 2])).toThrow(ShapeMismatchError);
  });
});

function f32OfBf16(bits: number): number {
  return new Float32Array(new Uint32Array([bits << 16]).buffer)[0]!;
}

describe('integer conversions', () => {
  it('reads I64 (sign-extended) and rejects values outside int32', () => {
    const src = BigInt64Array.from([0n, -1n, 2147483647n, -2147483648n, 101n]);
    const t: RawTensor = { dtype: 'I64', shape: [5], data: misaligned(new Uint8Array(src.buffer)) };
    expect([...rawToInt32(t)]).toEqual([0, -1, 2147483647, -2147483648, 101]);
    const big = BigInt64Array.from([1n, 2147483648n]);
    let err: unknown;
    try {
      rawToInt32({ dtype: 'I64', shape: [2], data: new Uint8Array(big.buffer) }, { file: 'in.safetensors', key: 'input_ids' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterFormatError);
    expect((err as AdapterFormatError).message).toMatch(/2147483648 at element 1/);
    expect((err as AdapterFormatError).file).toBe('in.safetensors');
    expect((err as AdapterFormatError).location).toBe('input_ids');
  });

  it('reads I32, I16, I8, U8 and BOOL', () => {
    const i32 = new Uint8Array(Int32Array.from([-5, 7]).buffer);
    expect([...rawToInt32({ dtype: 'I32', shape: [2], data: misaligned(i32) })]).toEqual([-5, 7]);
    const i16 = new Uint8Array(Int16Array.from([-300, 300]).buffer);
    expect([...rawToInt32({ dtype: 'I16', shape: [2], data: misaligned(i16) })]).toEqual([-300, 300]);
    expect([...rawToInt32({ dtype: 'I8', shape: [2], data: Uint8Array.from([0xff, 3]) })]).toEqual([-1, 3]);
    expect([...rawToInt32({ dtype: 'U8', shape: [2], data: Uint8Array.from([0xff, 3]) })]).toEqual([255, 3]);
    expect([...rawToInt32({ dtype: 'BOOL', shape: [3], data: Uint8Array.from([0, 1, 2]) })]).toEqual([0, 1, 1]);
    expect(() => rawToInt32({ dtype: 'F32', shape: [1], data: new Uint8Array(4) })).toThrow(/rawToFloat32/);
  });

  it('encodes I64, I32 and BOOL', () => {
    const i64 = int32ToRaw([-1, 2], [1, 2]);
    expect(i64.dtype).toBe('I64');
    expect([...i64.data]).toEqual([255, 255, 255, 255, 255, 255, 255, 255, 2, 0, 0, 0, 0, 0, 0, 0]);
    const i32 = int32ToRaw(Int32Array.from([-2]), [1], 'I32');
    expect([...i32.data]).toEqual([254, 255, 255, 255]);
    expect(rawToInt32(int32ToRaw([7, -8], [2]))).toEqual(Int32Array.from([7, -8]));
    const b = boolToRaw([true, false, 1, 0], [2, 2]);
    expect(b).toEqual({ dtype: 'BOOL', shape: [2, 2], data: Uint8Array.from([1, 0, 1, 0]) });
    expect(() => int32ToRaw([1, 2, 3], [2])).toThrow(ShapeMismatchError);
    expect(() => boolToRaw([true], [-1])).toThrow(ShapeMismatchError);
  });
});
