/**
 * Byte-exact reimplementation of Python's `json.dumps` and a float-preserving `json.loads` (so `1.0` stays a
 * Python float, see {@link PyFloat}). Used to write `adapter_config.json` exactly like the Python library
 * (`json.dump(config, f, indent=2, sort_keys=True)`, no trailing newline) and to hash configs.
 */

import { AdapterConfigError, AdapterFormatError } from '../errors';
import {
  PyFloat,
  comparePyStrings,
  pyFloatRepr,
  pyIntRepr,
  setOwnProperty,
  type JsonValue,
} from './python-value';

/** Options of {@link pythonJsonDumps}, mirroring the keyword arguments of Python's `json.dumps`. */
export interface PythonJsonDumpsOptions {
  /** Pretty-print with this many spaces per level (Python `indent=`); omitted = single line. */
  indent?: number;
  /** Sort object keys by code point (Python `sort_keys=True`). Default false (insertion order). */
  sortKeys?: boolean;
  /**
   * `[itemSeparator, keySeparator]`. Default: `[', ', ': ']` without indent, `[',', ': ']` with indent
   * (Python's defaults).
   */
  separators?: readonly [string, string];
  /** Escape every non-ASCII character as `\uXXXX` (Python `ensure_ascii`, default true). */
  ensureAscii?: boolean;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function hex4(n: number): string {
  return `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Python's `json.encoder.encode_basestring(_ascii)` for one string, including the quotes. */
export function pythonJsonString(s: string, ensureAscii = true): string {
  // Fast path: printable ASCII without quotes or backslashes is written as is.
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c < 0x20) out += hex4(c);
    else if (ensureAscii && c > 0x7e) out += hex4(c);
    else out += s[i];
  }
  return `${out}"`;
}

function floatJson(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

/**
 * Python's `json.dumps(value, indent=..., sort_keys=..., separators=..., ensure_ascii=...)`, byte for byte:
 * Python float repr (`4.0`, `1e-05`), ints without exponent, `NaN`/`Infinity`, `\uXXXX` escapes (lower-case
 * hex) for non-ASCII characters, empty containers as `[]`/`{}` even when indenting. Accepts any
 * {@link JsonValue}-shaped data (plain objects, arrays, strings, numbers, booleans, null, {@link PyFloat});
 * anything else throws {@link AdapterConfigError} (Python `TypeError: not JSON serializable`).
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonDumpsOptions = {}): string {
  const indent = options.indent === undefined ? undefined : ' '.repeat(Math.max(0, Math.floor(options.indent)));
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const sortKeys = options.sortKeys ?? false;
  const ensureAscii = options.ensureAscii ?? true;
  const stack = new Set<object>();

  const enc = (v: unknown, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return Number.isInteger(v) ? pyIntRepr(v) : floatJson(v);
    if (typeof v === 'string') return pythonJsonString(v, ensureAscii);
    if (v instanceof PyFloat) return floatJson(v.value);
    if (typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      if (stack.has(v)) throw new AdapterConfigError('Circular reference detected');
      const isArr = Array.isArray(v);
      const entries: Array<[string | undefined, unknown]> = isArr
        ? (v as unknown[]).map((x): [undefined, unknown] => [undefined, x])
        : Object.entries(v as Record<string, unknown>);
      if (!isArr && sortKeys) entries.sort((a, b) => comparePyStrings(a[0] ?? '', b[0] ?? ''));
      const [open, close] = isArr ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) return open + close;
      stack.add(v);
      const nl = indent === undefined ? undefined : `\n${indent.repeat(level + 1)}`;
      const sep = nl === undefined ? itemSep : itemSep + nl;
      const parts = entries.map(([k, x]) => {
        const enc_v = enc(x, level + 1);
        return k === undefined ? enc_v : pythonJsonString(k, ensureAscii) + keySep + enc_v;
      });
      stack.delete(v);
      const head = nl === undefined ? open : open + nl;
      const tail = indent === undefined ? close : `\n${indent.repeat(level)}${close}`;
      return head + parts.join(sep) + tail;
    }
    const type = typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v;
    throw new AdapterConfigError(`Object of type ${type} is not JSON serializable`);
  };
  return enc(value, 0);
}

/** Options of {@link parsePythonJson}. */
export interface ParsePythonJsonOptions {
  /** File name used in error messages (default `<json>`). */
  file?: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Deepest nesting accepted (Python's `json.loads` raises `RecursionError` near its recursion limit of 1000). */
const MAX_DEPTH = 1000;
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

/**
 * Python's `json.loads(text)`: standard JSON plus `NaN`, `Infinity`, `-Infinity`; numbers with a fraction or an
 * exponent become Python floats (integral ones as {@link PyFloat}, so `1.0` stays `1.0` when written back),
 * others ints; duplicate keys keep the last value; control characters inside strings are rejected (strict).
 * Integers that a JS number cannot hold exactly (beyond ±2^53, e.g. `2**53 + 1`) are rejected rather than rounded. Throws {@link AdapterFormatError}.
 */
export function parsePythonJson(text: string, options: ParsePythonJsonOptions = {}): JsonValue {
  const file = options.file ?? '<json>';
  let pos = 0;

  const fail = (msg: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    throw new AdapterFormatError(file, msg, `line ${line} column ${col} (char ${at})`);
  };
  const skipWs = (): void => {
    while (pos < text.length && WS.has(text.charCodeAt(pos))) pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    for (;;) {
      // Copy runs of ordinary characters in one slice (long strings stay linear and fast).
      let end = pos;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === 0x22 || d === 0x5c || d < 0x20) break;
        end++;
      }
      if (end > pos) {
        out += text.slice(pos, end);
        pos = end;
      }
      if (pos >= text.length) return fail('Unterminated string starting at', start);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return out;
      }
      if (c === 0x5c) {
        const e = text[pos + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const h = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) return fail('Invalid \\uXXXX escape', pos + 1);
            out += String.fromCharCode(parseInt(h, 16));
            pos += 4;
            break;
          }
          default:
            return fail('Invalid \\escape', pos);
        }
        pos += 2;
        continue;
      }
      if (c < 0x20) return fail('Invalid control character at', pos);
      out += text[pos];
      pos++;
    }
  };

  const parseValue = (depth = 0): JsonValue => {
    skipWs();
    if (pos >= text.length) return fail('Expecting value');
    const c = text[pos];
    if (c === '"') return parseString();
    if ((c === '{' || c === '[') && depth >= MAX_DEPTH) return fail(`nesting deeper than ${MAX_DEPTH} levels`);
    if (c === '{') {
      pos++;
      const obj: Record<string, JsonValue> = {};
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        skipWs();
        if (text[pos] !== '"') return fail('Expecting property name enclosed in double quotes');
        const key = parseString();
        skipWs();
        if (text[pos] !== ':') return fail("Expecting ':' delimiter");
        pos++;
        setOwnProperty(obj, key, parseValue(depth + 1));
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        return fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      pos++;
      const arr: JsonValue[] = [];
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        return fail("Expecting ',' delimiter");
      }
    }
    for (const [lit, val] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (text.startsWith(lit, pos)) {
        pos += lit.length;
        return val;
      }
    }
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (m) {
      const start = pos;
      pos += m[0].length;
      if (m[1] !== undefined || m[2] !== undefined) {
        const x = Number(m[0]);
        return Number.isInteger(x) ? new PyFloat(x) : x;
      }
      const n = Number(m[0]);
      if (!Number.isSafeInteger(n) && BigInt(n) !== BigInt(m[0])) {
        return fail(`integer ${m[0]} cannot be represented exactly by a JS number`, start);
      }
      return n === 0 ? 0 : n; // Python int has no -0
    }
    return fail('Expecting value');
  };

  const value = parseValue();
  skipWs();
  if (pos !== text.length) fail('Extra data');
  return value;
}
