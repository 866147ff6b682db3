/**
 * Python value semantics for configuration data: the JSON-like value type that keeps Python's int/float
 * distinction, Python truthiness, Python `==`, and Python's `repr` of floats.
 *
 * Representation: a Python `int` is a JS `number` with an integral value; a Python `float` is either a JS
 * `number` with a non-integral value (`0.05`, `NaN`, `Infinity`) or, when its value is integral (`4.0`, `0.0`,
 * `1e16`), a {@link PyFloat} wrapper. {@link pyFloat} builds the canonical form.
 */

import { AdapterConfigError } from '../errors';

/**
 * A Python `float` whose value is integral (`1.0`, `0.0`, `4.0`, `-0.0`, `1e16`). JS numbers cannot tell
 * `4` from `4.0`, but Python JSON output (and therefore config hashes and saved files) does, so integral floats
 * are wrapped. Non-integral floats are plain JS numbers. Instances are frozen.
 */
export class PyFloat {
  /** The float value. */
  readonly value: number;
  /** Wraps `value` as a Python float. Prefer {@link pyFloat}, which returns the canonical representation. */
  constructor(value: number) {
    if (typeof value !== 'number') throw new TypeError(`PyFloat expects a number, got ${typeof value}`);
    this.value = value;
    Object.freeze(this);
  }
  /** The numeric value (so `+x`, `x * 2` work). */
  valueOf(): number {
    return this.value;
  }
  /** Python's `repr()` of the float, e.g. `4.0`. */
  toString(): string {
    return pyFloatRepr(this.value);
  }
  /** `JSON.stringify` writes the plain number (use `pythonJsonDumps` for Python output). */
  toJSON(): number {
    return this.value;
  }
}

/**
 * A value of a configuration: what Python's `json` module can read or write, with Python's int/float distinction
 * ({@link PyFloat}). Tuples are represented as arrays (Python's `json` writes them as lists too).
 */
export type JsonValue = null | boolean | number | string | PyFloat | JsonArray | JsonObject;
/** A read-only JSON array. */
export type JsonArray = readonly JsonValue[];
/** A read-only JSON object (Python dict with string keys). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * The canonical representation of the Python float `x`: a {@link PyFloat} if `x` is integral (including `-0`),
 * else the plain number.
 */
export function pyFloat(x: number): number | PyFloat {
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

/** Whether `v` is a Python `float` (a {@link PyFloat} or a non-integral JS number, including NaN and ±Infinity). */
export function isPythonFloat(v: unknown): v is number | PyFloat {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Whether `v` is a Python `int` (an integral JS number; booleans are not counted). */
export function isPythonInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** The numeric value of an int or float config value (`number` or {@link PyFloat}); `undefined` otherwise. */
export function toNumber(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/** Whether `v` is a JSON object (not null, not an array, not a {@link PyFloat}). */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** Python truthiness: `None`, `False`, `0`, `0.0`, `""`, `[]`, `{}` are falsy; everything else (incl. NaN) is truthy. */
export function pyTruthy(v: JsonValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

function numericOf(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/**
 * Python `==` on config values: numbers and booleans compare numerically (`1 == 1.0 == True`), `None` equals
 * only `None`, lists compare element-wise, dicts compare key sets and values (order-independent).
 */
export function pyEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const na = numericOf(a);
  const nb = numericOf(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || a === undefined || b === null || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x: JsonValue, i: number) => pyEquals(x, b[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && pyEquals(ao[k], bo[k]));
}

/**
 * Compares two strings by Unicode code point, the order of Python's `sorted()` on `str` (JS `<` compares
 * UTF-16 code units, which differs for characters above U+FFFF vs U+E000–U+FFFF).
 */
export function comparePyStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa === sb) {
      if (sa) {
        const pa = a.codePointAt(i) ?? ca;
        const pb = b.codePointAt(i) ?? cb;
        return pa < pb ? -1 : pa > pb ? 1 : 0;
      }
      return ca < cb ? -1 : 1;
    }
    // A surrogate (code point >= U+10000, or a lone surrogate U+D800-DFFF) vs a BMP character.
    const pa = sa ? (a.codePointAt(i) ?? ca) : ca;
    const pb = sb ? (b.codePointAt(i) ?? cb) : cb;
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  }
  return a.length - b.length;
}

const PY_WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python's `str.strip()` with no argument (strips the characters for which `str.isspace()` is true). */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_WHITESPACE.has(s.charCodeAt(start))) start++;
  while (end > start && PY_WHITESPACE.has(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * Python's `repr()` of a float: the shortest digits that round-trip, in fixed notation when the decimal
 * exponent is in [-4, 16), else in exponent notation with a signed, at least two-digit exponent
 * (`4.0`, `0.0001`, `1e-05`, `1e+16`, `1.5e-07`, `nan`, `inf`, `-0.0`).
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // Number#toString yields the shortest round-trip digits (closest on ties), like Python's repr.
  const s = String(Math.abs(x));
  let digits: string;
  let exp: number; // decimal exponent of the first digit: value = 0.d1d2... * 10^(exp+1)
  const eIdx = s.indexOf('e');
  if (eIdx >= 0) {
    digits = s.slice(0, eIdx).replace('.', '');
    exp = Number(s.slice(eIdx + 1));
  } else {
    const dot = s.indexOf('.');
    const intPart = dot >= 0 ? s.slice(0, dot) : s;
    const fracPart = dot >= 0 ? s.slice(dot + 1) : '';
    if (intPart !== '0') {
      exp = intPart.length - 1;
      digits = intPart + fracPart;
    } else {
      const lead = fracPart.length - fracPart.replace(/^0+/, '').length;
      exp = -(lead + 1);
      digits = fracPart.slice(lead);
    }
  }
  digits = digits.replace(/0+$/, '');
  if (digits === '') digits = '0';
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp >= 0) {
    const intDigits = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intDigits}.${frac === '' ? '0' : frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Python's `repr()` of an int held in a JS number (exact decimal digits, never exponent notation). */
export function pyIntRepr(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** @internal Sets an own enumerable property, safe for the key `__proto__`. */
export const setOwnProperty = setOwn;

const OPAQUE = new WeakMap<object, string>();

/** @internal Marks objects (config instances) that must not be converted as plain JSON objects. */
export function markNotJson(obj: object, what: string): void {
  OPAQUE.set(obj, what);
}

function describeType(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'object') return x === null ? 'null' : (x.constructor?.name ?? 'object');
  return typeof x;
}

function isPlainObject(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Validates that `x` is a {@link JsonValue} and returns a deeply frozen copy in canonical form (non-integral
 * {@link PyFloat}s become plain numbers). Accepts plain objects, arrays, strings, numbers, booleans, `null` and
 * {@link PyFloat}. Anything else (undefined, functions, class instances, bigint, cycles) throws
 * {@link AdapterConfigError} naming `path`.
 */
export function toJsonValue(x: unknown, path = 'value'): JsonValue {
  return convert(x, path, field(path), new Set<object>());
}

function field(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

function convert(x: unknown, path: string, top: string, seen: Set<object>): JsonValue {
  if (x === null || typeof x === 'boolean' || typeof x === 'string' || typeof x === 'number') return x;
  if (x instanceof PyFloat) return Number.isInteger(x.value) ? x : x.value;
  if (typeof x === 'object') {
    const opaque = OPAQUE.get(x);
    if (opaque !== undefined) {
      throw new AdapterConfigError(`${path} is ${opaque}, not a JSON value (use configToDict() to get its dict)`, top);
    }
    if (seen.has(x)) throw new AdapterConfigError(`circular reference at ${path}`, top);
    if (Array.isArray(x)) {
      seen.add(x);
      const out: JsonValue[] = [];
      for (let i = 0; i < x.length; i++) out.push(convert(x[i], `${path}[${i}]`, top, seen));
      seen.delete(x);
      return Object.freeze(out);
    }
    if (isPlainObject(x)) {
      seen.add(x);
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(x)) setOwn(out, k, convert(v, `${path}.${k}`, top, seen));
      seen.delete(x);
      return Object.freeze(out);
    }
  }
  throw new AdapterConfigError(
    `${path} is not a JSON/Python value (got ${describeType(x)}); use null, booleans, numbers, strings, arrays, plain objects or PyFloat`,
    top,
  );
}

/** A deep, mutable copy of a {@link JsonValue} (PyFloat instances are shared; they are immutable). */
export function cloneJsonValue(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map((x: JsonValue) => cloneJsonValue(x));
  if (isJsonObject(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, cloneJsonValue(x));
    return out;
  }
  return v;
}
