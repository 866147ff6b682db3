/**
 * Conversions between raw little-endian tensor bytes and JS typed arrays. Raw bytes may sit at any
 * offset (a safetensors view can be misaligned), so every decoder copies into a fresh, aligned
 * buffer. Encoders round to nearest, ties to even (as PyTorch does for F16 and BF16).
 */
import { AdapterFormatError, ShapeMismatchError } from '../errors';
import { DTYPE_SIZE, shapeSize, type RawTensor, type SafetensorsDtype } from './dtypes';

/** Where a tensor came from, for error messages. */
export interface TensorContext {
  /** File the tensor was read from (default `<tensor>`). */
  file?: string;
  /** Tensor name. */
  key?: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A copy of `data` in a fresh ArrayBuffer (aligned for any typed-array view). */
function alignedCopy(data: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(data.length);
  new Uint8Array(buf).set(data);
  return buf;
}

function checkLength(t: RawTensor, ctx: TensorContext): number {
  const n = shapeSize(t.shape);
  const size = DTYPE_SIZE[t.dtype];
  if (size === undefined) throw new AdapterFormatError(ctx.file ?? '<tensor>', `unsupported dtype ${String(t.dtype)}`, ctx.key);
  if (t.data.length !== n * size) {
    throw new AdapterFormatError(
      ctx.file ?? '<tensor>',
      `shape [${t.shape.join(', ')}] of ${t.dtype} needs ${n * size} bytes, data has ${t.data.length}`,
      ctx.key,
    );
  }
  return n;
}

/** Decodes one IEEE 754 binary16 value. */
export function f16BitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Encodes a number as IEEE 754 binary16 bits, rounding to nearest even (overflow → ±Inf). */
export function floatToF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  // Unbiased exponent e = exp - 127; half normal range e in [-14, 15].
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    let h = ((e + 15) << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent (→ Inf): correct
    return sign | h;
  }
  if (e < -25) return sign; // below half of the smallest subnormal (2^-25): rounds to zero
  // Subnormal: value = m * 2^-24 with m = full significand >> shift.
  const full = mant | 0x800000;
  const shift = -e - 14 + 13; // 14..24
  let h = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && h & 1)) h++;
  return sign | h;
}

/** Encodes a number as bfloat16 bits, rounding to nearest even (NaN → quiet NaN). */
export function floatToBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) & 0x8000) | 0x7fc0;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * Decodes a floating-point raw tensor (F32, F16, BF16 or F64) to a fresh Float32Array.
 * @throws AdapterFormatError for other dtypes or a byte length that does not match the shape.
 */
export function rawToFloat32(t: RawTensor, ctx: TensorContext = {}): Float32Array {
  const n = checkLength(t, ctx);
  const buf = alignedCopy(t.data);
  const view = new DataView(buf);
  switch (t.dtype) {
    case 'F32': {
      if (LITTLE_ENDIAN) return new Float32Array(buf);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case 'F64': {
      const out = new Float32Array(n);
      if (LITTLE_ENDIAN) out.set(new Float64Array(buf));
      else for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      const table = f16Table();
      for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)]!;
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    default:
      throw new AdapterFormatError(ctx.file ?? '<tensor>', `cannot read ${t.dtype} as float32 (use rawToInt32)`, ctx.key);
  }
}

let F16_TABLE: Float32Array | undefined;
function f16Table(): Float32Array {
  if (!F16_TABLE) {
    F16_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) F16_TABLE[h] = f16BitsToFloat(h);
  }
  return F16_TABLE;
}

/**
 * Decodes an integer or boolean raw tensor (I64, I32, I16, I8, U8, BOOL) to a fresh Int32Array.
 * BOOL bytes become 0 or 1.
 * @throws AdapterFormatError for float dtypes, a bad byte length, or an I64 value outside int32.
 */
export function rawToInt32(t: RawTensor, ctx: TensorContext = {}): Int32Array {
  const n = checkLength(t, ctx);
  const buf = alignedCopy(t.data);
  const view = new DataView(buf);
  const out = new Int32Array(n);
  switch (t.dtype) {
    case 'I64':
      for (let i = 0; i < n; i++) {
        const lo = view.getInt32(i * 8, true);
        const hi = view.getInt32(i * 8 + 4, true);
        if (hi !== lo >> 31) {
          const v = view.getBigInt64(i * 8, true);
          throw new AdapterFormatError(ctx.file ?? '<tensor>', `I64 value ${v} at element ${i} is outside the int32 range`, ctx.key);
        }
        out[i] = lo;
      }
      return out;
    case 'I32':
      if (LITTLE_ENDIAN) return new Int32Array(buf);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    case 'I16':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
      return out;
    case 'I8':
      out.set(new Int8Array(buf));
      return out;
    case 'U8':
      out.set(new Uint8Array(buf));
      return out;
    case 'BOOL':
      for (let i = 0; i < n; i++) out[i] = t.data[i] ? 1 : 0;
      return out;
    default:
      throw new AdapterFormatError(ctx.file ?? '<tensor>', `cannot read ${t.dtype} as int32 (use rawToFloat32)`, ctx.key);
  }
}

function checkShape(length: number, shape: readonly number[], what: string): void {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || shapeSize(shape) !== length) {
    throw new ShapeMismatchError(what, shape, [length]);
  }
}

/**
 * Encodes float32 values as a raw tensor of `dtype` (F32, or F16/BF16 rounded to nearest even).
 * @throws ShapeMismatchError when `data.length` is not `prod(shape)`.
 */
export function float32ToRaw(
  data: Float32Array | readonly number[],
  shape: readonly number[],
  dtype: 'F32' | 'F16' | 'BF16' = 'F32',
): RawTensor {
  checkShape(data.length, shape, 'float32ToRaw data');
  const n = data.length;
  let out: Uint8Array;
  if (dtype === 'F32') {
    const f = Float32Array.from(data);
    out = new Uint8Array(f.buffer);
    if (!LITTLE_ENDIAN) {
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, f[i]!, true);
    }
  } else {
    out = new Uint8Array(n * 2);
    const view = new DataView(out.buffer);
    const enc = dtype === 'F16' ? floatToF16Bits : floatToBf16Bits;
    for (let i = 0; i < n; i++) view.setUint16(i * 2, enc(data[i]!), true);
  }
  return { dtype, shape: [...shape], data: out };
}

/**
 * Encodes int32 values as a raw I64 (sign-extended, the default) or I32 tensor.
 * @throws ShapeMismatchError when `data.length` is not `prod(shape)`.
 */
export function int32ToRaw(
  data: Int32Array | readonly number[],
  shape: readonly number[],
  dtype: 'I64' | 'I32' = 'I64',
): RawTensor {
  checkShape(data.length, shape, 'int32ToRaw data');
  const n = data.length;
  const size = dtype === 'I64' ? 8 : 4;
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = data[i]! | 0;
    view.setInt32(i * size, v, true);
    if (size === 8) view.setInt32(i * 8 + 4, v >> 31, true);
  }
  return { dtype, shape: [...shape], data: out };
}

/**
 * Encodes truthy/falsy values as a raw BOOL tensor (one byte each, 0 or 1).
 * @throws ShapeMismatchError when `data.length` is not `prod(shape)`.
 */
export function boolToRaw(data: ArrayLike<boolean | number>, shape: readonly number[]): RawTensor {
  checkShape(data.length, shape, 'boolToRaw data');
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
  return { dtype: 'BOOL' satisfies SafetensorsDtype, shape: [...shape], data: out };
}
