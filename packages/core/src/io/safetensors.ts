/**
 * Reading and writing the safetensors format: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}, "__metadata__"?: {string: string}}`, then the tensor bytes.
 * The writer reproduces the Rust `safetensors` serializer byte for byte.
 */
import { AdapterFormatError } from '../errors';
import {
  DTYPE_RANK,
  DTYPE_SIZE,
  isSafetensorsDtype,
  shapeSize,
  type RawTensor,
  type SafetensorsDtype,
} from './dtypes';
import { JsonSyntaxError, parseStrictJson, type JsonObject, type JsonValue } from './strict-json';

export type { RawTensor, SafetensorsDtype } from './dtypes';

/** Contents of a safetensors file. */
export interface SafetensorsContents {
  /** The `__metadata__` table, or `null` when the file has none. */
  metadata: Record<string, string> | null;
  /** Tensors in header order; each `data` is a view into the parsed buffer. */
  tensors: Map<string, RawTensor>;
}

/** Largest header accepted (the Rust reader's limit). */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Parses and validates a safetensors file. Tensor `data` arrays are zero-copy views into `bytes`.
 * @throws AdapterFormatError naming `file` and the byte offset or key at fault.
 */
export function parseSafetensors(bytes: Uint8Array, file = '<buffer>'): SafetensorsContents {
  const fail = (message: string, location?: string): never => {
    throw new AdapterFormatError(file, message, location);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`, 'byte 0');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (headerLen > bytes.length - 8) {
    fail(`header length ${headerLen} exceeds the ${bytes.length - 8} bytes after the length field`, 'byte 0');
  }
  if (headerLen > MAX_HEADER_BYTES) fail(`header length ${headerLen} exceeds the ${MAX_HEADER_BYTES}-byte limit`, 'byte 0');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;

  let text: string;
  try {
    text = utf8Decoder.decode(bytes.subarray(8, dataStart));
  } catch {
    return fail('header is not valid UTF-8', 'byte 8');
  }
  let root: JsonValue;
  try {
    root = parseStrictJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const at = 8 + utf8Encoder.encode(text.slice(0, e.index)).length;
    return fail(`header is not valid JSON: ${e.message}`, e.key !== undefined ? `${e.key} @ byte ${at}` : `byte ${at}`);
  }
  if (!(root instanceof Map)) return fail('header is not a JSON object', 'byte 8');

  let metadata: Record<string, string> | null = null;
  const infos: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of root) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(value, fail);
      continue;
    }
    if (!(value instanceof Map)) return fail('tensor entry is not a JSON object', name);
    const dtype = value.get('dtype');
    if (dtype === undefined) return fail("missing 'dtype'", name);
    if (!isSafetensorsDtype(dtype)) return fail(`unsupported dtype ${JSON.stringify(dtype)}`, name);
    const shape = intArray(value.get('shape'));
    if (!shape) return fail("'shape' must be an array of non-negative integers", name);
    const offsets = intArray(value.get('data_offsets'));
    if (!offsets || offsets.length !== 2) return fail("'data_offsets' must be [begin, end] non-negative integers", name);
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLen) {
      fail(`data_offsets [${begin}, ${end}] outside the ${dataLen}-byte data area (file byte ${dataStart})`, name);
    }
    const nbytes = byteSize(shape, dtype, Number.MAX_SAFE_INTEGER);
    if (nbytes !== end - begin) {
      const want = nbytes === undefined ? `more than ${Number.MAX_SAFE_INTEGER}` : String(nbytes);
      fail(`shape [${shape.join(', ')}] of ${dtype} needs ${want} bytes but data_offsets span ${end - begin}`, name);
    }
    infos.push({ name, dtype, shape, begin, end });
  }
  checkCoverage(infos, dataLen, dataStart, fail);

  const tensors = new Map<string, RawTensor>();
  for (const t of infos) {
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: bytes.subarray(dataStart + t.begin, dataStart + t.end) });
  }
  return { metadata, tensors };
}

function parseMetadata(value: JsonValue, fail: (m: string, l?: string) => never): Record<string, string> {
  if (!(value instanceof Map)) return fail('__metadata__ must be an object of strings', METADATA_KEY);
  const entries: [string, string][] = [];
  for (const [k, v] of value) {
    if (typeof v !== 'string') fail('__metadata__ values must be strings', `${METADATA_KEY}.${k}`);
    entries.push([k, v as string]);
  }
  return Object.fromEntries(entries);
}

function intArray(v: JsonValue | undefined): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const x of v) if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) return undefined;
  return v as number[];
}

/** `prod(shape) * itemsize`, or undefined when it exceeds `limit`. */
function byteSize(shape: readonly number[], dtype: SafetensorsDtype, limit: number): number | undefined {
  if (shape.includes(0)) return 0;
  let n = DTYPE_SIZE[dtype];
  for (const d of shape) {
    n *= d;
    if (n > limit) return undefined;
  }
  return n;
}

/** The data area must be covered exactly once: no overlaps, no holes, no trailing bytes. */
function checkCoverage(
  infos: readonly { name: string; begin: number; end: number }[],
  dataLen: number,
  dataStart: number,
  fail: (m: string, l?: string) => never,
): void {
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let prev: string | undefined;
  for (const t of sorted) {
    if (t.begin < cursor) fail(`data [${t.begin}, ${t.end}) overlaps tensor ${JSON.stringify(prev)}`, t.name);
    if (t.begin > cursor) fail(`hole in the data area: bytes [${cursor}, ${t.begin}) belong to no tensor`, t.name);
    cursor = t.end;
    prev = t.name;
  }
  if (cursor !== dataLen) {
    fail(`${dataLen - cursor} bytes after the last tensor belong to no tensor`, `byte ${dataStart + cursor}`);
  }
}

/** Compares strings by Unicode code point (= UTF-8 byte order, as Rust's `str::cmp`). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800..DFFF) encodes a code point above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Whether `s` holds an unpaired UTF-16 surrogate (not encodable as UTF-8). */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/**
 * Serializes tensors exactly like the Rust `safetensors` crate (and so Python `save_file`):
 * data sorted by dtype (descending `safetensors::Dtype` enum order: I64, F64, F32, I32, BF16, F16,
 * I16, I8, U8, BOOL) then by name (code point order); compact JSON header with `__metadata__`
 * first, keys in data order, each `{"dtype","shape","data_offsets"}`; header padded with spaces
 * to a multiple of 8 bytes. Metadata keys keep their insertion order (Rust uses a `HashMap`, so
 * with more than one metadata key its order is not reproducible).
 * @throws AdapterFormatError (file `<serialize>`) naming the tensor whose dtype, shape or byte
 * length is inconsistent.
 */
export function serializeSafetensors(
  tensors: Map<string, RawTensor> | Record<string, RawTensor>,
  metadata?: Record<string, string> | null,
): Uint8Array {
  const fail = (message: string, location?: string): never => {
    throw new AdapterFormatError('<serialize>', message, location);
  };
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === METADATA_KEY) fail('a tensor cannot be named __metadata__', name);
    if (hasLoneSurrogate(name)) fail('tensor name is not valid Unicode (lone surrogate)', name);
    if (!isSafetensorsDtype(t.dtype)) fail(`unsupported dtype ${JSON.stringify(t.dtype)}`, name);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`invalid shape [${t.shape.join(', ')}]`, name);
    const want = shapeSize(t.shape) * DTYPE_SIZE[t.dtype];
    if (t.data.length !== want) {
      fail(`shape [${t.shape.join(', ')}] of ${t.dtype} needs ${want} bytes, data has ${t.data.length}`, name);
    }
  }
  entries.sort(([an, a], [bn, b]) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareCodePoints(an, bn));

  const parts: string[] = [];
  if (metadata) {
    const meta: string[] = [];
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail('metadata values must be strings', `${METADATA_KEY}.${k}`);
      if (hasLoneSurrogate(k) || hasLoneSurrogate(v)) fail('metadata is not valid Unicode', `${METADATA_KEY}.${k}`);
      meta.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
    }
    parts.push(`"${METADATA_KEY}":{${meta.join(',')}}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.data.length;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = utf8Encoder.encode(`{${parts.join(',')}}`);
  const headerLen = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLen % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLen / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const [, t] of entries) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}
