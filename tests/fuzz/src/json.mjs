/**
 * Structure-aware JSON mutations: a seed is parsed, one node is replaced, deleted, retyped,
 * duplicated or blown up, and the tree is written back with a serializer that can also emit what
 * `JSON.stringify` cannot (duplicate keys, `NaN`, `1e400`, `-0.0`, huge integers, deep nesting).
 */
import { mutateBytes } from './bytes.mjs';

/** Literal JSON text emitted as is. */
export class RawJson {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/** Objects whose key `[DUP][0]` is written a second time, with value `[DUP][1]`, after the others. */
const DUP = Symbol('duplicate key');

/** Values that commonly break loaders, for any field. */
export const INTERESTING_VALUES = [
  null, true, false, 0, -1, 1, 2, 0.5, 1.5, -2.5, 2 ** 31, 2 ** 32, 1e9, 1e15,
  new RawJson('-0.0'), new RawJson('1.0'), new RawJson('0.0'), new RawJson('1e400'), new RawJson('-1e400'),
  new RawJson('NaN'), new RawJson('Infinity'), new RawJson('-Infinity'), new RawJson('9007199254740993'),
  new RawJson('1e-400'), new RawJson('123456789012345678901234567890'),
  '', 'x', 'NaN', '8', 'lora', 'union', 'prefix_tuning', 'gelu', 'relu', 'tanh', 'bogus', '__proto__', 'q', '\u0000', '\ud800',
  [], {}, [0], [-1], [1e9], [0.5], ['q', 'k', 'v', 'x'], [null], [[]], { default: 0 }, { 0: -1 }, { default: 'x' },
  { architecture: 'union', configs: [{ architecture: 'union', configs: [] }] },
];

/** All paths (arrays of keys) of nodes in `v`, root included. */
function paths(v, prefix = [], out = []) {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object' && !(v instanceof RawJson)) for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

function getAt(root, path) {
  let v = root;
  for (const k of path) v = v[k];
  return v;
}

/** Sets the node at `path` (root replaced through the returned value). */
function setAt(root, path, value) {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1));
  parent[path.at(-1)] = value;
  return root;
}

function clone(v) {
  if (v instanceof RawJson) return v;
  if (Array.isArray(v)) return v.map(clone);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: clone(v[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

function retype(rng, v) {
  if (typeof v === 'number') return rng.pick([String(v), [v], { v }, v > 0 ? -v : v - 1, v + 0.5, new RawJson(`${v}.0`), true]);
  if (typeof v === 'string') return rng.pick([Number(v) || 7, [v], v.toUpperCase(), v + v, v.slice(1), null]);
  if (typeof v === 'boolean') return rng.pick([Number(v), String(v), !v, null]);
  if (Array.isArray(v)) return rng.pick([{ ...v }, v.length, v.slice(1), [...v, ...v], v.map(() => null), v.map((x) => [x])]);
  if (v && typeof v === 'object') return rng.pick([Object.values(v), Object.keys(v), JSON.stringify(v), 0]);
  return rng.pick(INTERESTING_VALUES);
}

/** JSON text of `v`; `indent` like JSON.stringify. Handles RawJson and duplicate keys. */
export function writeJson(v, indent = 0, level = 0) {
  const nl = indent ? `\n${' '.repeat(indent * (level + 1))}` : '';
  const end = indent ? `\n${' '.repeat(indent * level)}` : '';
  const sep = indent ? ': ' : ':';
  if (v instanceof RawJson) return v.text;
  if (v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : String(v);
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => writeJson(x, indent, level + 1)).join(`,${nl}`)}${end}]` : '[]';
  const parts = Object.keys(v).map((k) => `${JSON.stringify(k)}${sep}${writeJson(v[k], indent, level + 1)}`);
  const dup = v[DUP];
  if (dup) parts.push(`${JSON.stringify(dup[0])}${sep}${writeJson(dup[1], indent, level + 1)}`);
  return parts.length ? `{${nl}${parts.join(`,${nl}`)}${end}}` : '{}';
}

const OPS = ['replace', 'replace', 'replace', 'retype', 'retype', 'delete', 'add', 'dup-key', 'deep', 'long-string', 'big-array', 'text'];

/**
 * One structure-aware mutation of a JSON document. `fieldValues` adds values to try for specific
 * key names (e.g. `r: [0, -1]`); `focus` biases the choice of nodes to paths starting with it.
 * @param {import('./rng.mjs').FuzzRng} rng
 * @param {unknown} seed the parsed document (not modified)
 * @param {{ fieldValues?: Record<string, unknown[]>, focus?: string[], indent?: number, maxString?: number }} [opts]
 * @returns {{ text: string, bytes?: Uint8Array, op: string }}
 */
export function mutateJson(rng, seed, opts = {}) {
  let root = clone(seed);
  const all = paths(root);
  const focused = opts.focus ? all.filter((p) => opts.focus.every((k, i) => p[i] === k) && p.length > opts.focus.length) : [];
  const pickPath = () => (focused.length && rng.chance(0.7) ? rng.pick(focused) : rng.pick(all));
  const op = rng.pick(OPS);
  const indent = opts.indent ?? 2;
  switch (op) {
    case 'replace': {
      const p = pickPath();
      const key = p.at(-1);
      const special = typeof key === 'string' ? opts.fieldValues?.[key] : undefined;
      const v = special && rng.chance(0.6) ? rng.pick(special) : rng.pick(INTERESTING_VALUES);
      root = setAt(root, p, clone(v));
      break;
    }
    case 'retype': {
      const p = pickPath();
      root = setAt(root, p, retype(rng, getAt(root, p)));
      break;
    }
    case 'delete': {
      const p = pickPath();
      if (p.length) {
        const parent = getAt(root, p.slice(0, -1));
        if (Array.isArray(parent)) parent.splice(Number(p.at(-1)), 1);
        else delete parent[p.at(-1)];
      }
      break;
    }
    case 'add': {
      const objs = all.filter((p) => {
        const v = getAt(root, p);
        return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);
      });
      if (objs.length) {
        const o = getAt(root, rng.pick(objs));
        const k = rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'unknown_field', 'architecture', 'configs', 'config', '', 'r', 'default', ...Object.keys(opts.fieldValues ?? {})]);
        Object.defineProperty(o, k, { value: clone(rng.pick(INTERESTING_VALUES)), enumerable: true, writable: true, configurable: true });
      }
      break;
    }
    case 'dup-key': {
      const objs = all.filter((p) => {
        const v = getAt(root, p);
        return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson) && Object.keys(v).length;
      });
      if (objs.length) {
        const o = getAt(root, rng.pick(objs));
        const k = rng.pick(Object.keys(o));
        o[DUP] = [k, rng.chance(0.5) ? clone(o[k]) : clone(rng.pick(INTERESTING_VALUES))];
      }
      break;
    }
    case 'deep': {
      const n = rng.pick([100, 1000, 10_000, 100_000]);
      const open = rng.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      root = setAt(root, pickPath(), new RawJson(open.repeat(n) + '0' + close.repeat(n)));
      break;
    }
    case 'long-string':
      root = setAt(root, pickPath(), 'x'.repeat(Math.min(opts.maxString ?? 1_000_000, [1000, 10_000, 100_000, 1_000_000][rng.weighted([4, 3, 2, 1])])));
      break;
    case 'big-array':
      root = setAt(root, pickPath(), new RawJson(`[${new Array([1000, 10_000, 100_000][rng.weighted([4, 3, 1])]).fill(rng.pick(['0', '1e9', '"q"', 'null', '[]'])).join(',')}]`));
      break;
    default: {
      const bytes = new TextEncoder().encode(writeJson(root, indent));
      const m = mutateBytes(rng, bytes);
      return { text: new TextDecoder().decode(m.bytes), bytes: m.bytes, op: `text:${m.op}` };
    }
  }
  return { text: writeJson(root, indent), op };
}
