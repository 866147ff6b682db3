import { CompositionError } from '../errors';
import {
  Average,
  type AdapterSetup,
  type CompositionBlock,
  type SetupNode,
} from './blocks';

/** Python `AdapterCompositionBlock.to_dict()` form, as stored in `adapter_setup.json`. */
export interface SetupDict {
  type: string;
  children: (SetupDict | { type: 'single'; children: [string] })[];
  kwargs?: Record<string, unknown>;
}

/** Serialises a setup like Python's `to_dict()` (a plain name becomes `{"type": "single", …}`). */
export function setupToDict(node: SetupNode): SetupDict | { type: 'single'; children: [string] } {
  if (typeof node === 'string') return { type: 'single', children: [node] };
  const out: SetupDict = { type: node.type, children: node.children.map((c) => setupToDict(c)) };
  const kwargs = blockKwargs(node);
  if (kwargs) out.kwargs = kwargs;
  return out;
}

function blockKwargs(node: CompositionBlock): Record<string, unknown> | undefined {
  switch (node.type) {
    case 'Split':
      return { splits: [...node.splits] };
    case 'BatchSplit':
      return { batch_sizes: [...node.batchSizes] };
    case 'Average':
      return { weights: [...node.weights] };
    case 'Fuse':
      return node.name !== undefined ? { name: node.name } : undefined;
    default:
      return undefined;
  }
}

/** Rebuilds a setup from Python's `to_dict()` form. */
export function setupFromDict(data: unknown): SetupNode {
  if (typeof data === 'string') return data;
  if (typeof data !== 'object' || data === null) throw new CompositionError(`Invalid adapter setup dict: ${String(data)}`);
  const d = data as { type?: unknown; children?: unknown; kwargs?: Record<string, unknown> };
  if (!Array.isArray(d.children)) throw new CompositionError('Invalid adapter setup dict: missing "children"');
  if (d.type === 'single') {
    const name = d.children[0];
    if (typeof name !== 'string') throw new CompositionError('Invalid adapter setup dict: single without a name');
    return name;
  }
  const children = d.children.map((c) => setupFromDict(c));
  return makeBlock(String(d.type), children, d.kwargs ?? {});
}

/** Builds a block from its Python class name, children and keyword arguments. */
export function makeBlock(type: string, children: SetupNode[], kwargs: Record<string, unknown>): CompositionBlock {
  const nums = (key: string): number[] => {
    const v = kwargs[key];
    if (typeof v === 'number') return children.map(() => v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
    throw new CompositionError(`${type}: "${key}" must be an int or a list of ints, got ${JSON.stringify(v)}`);
  };
  switch (type) {
    case 'Stack':
    case 'Parallel':
    case 'MultiTask':
      return { type, children };
    case 'Fuse':
      return kwargs.name !== undefined ? { type, children, name: String(kwargs.name) } : { type, children };
    case 'Split':
      return { type, children, splits: nums('splits') };
    case 'BatchSplit':
      return { type, children, batchSizes: nums('batch_sizes') };
    case 'Average': {
      const w = kwargs.weights;
      if (w === undefined || w === null) return Average(...children);
      if (!Array.isArray(w)) throw new CompositionError('Average: "weights" must be a list of numbers');
      return Average(...children, {
        weights: w as number[],
        normalizeWeights: kwargs.normalize_weights !== false,
      });
    }
    default:
      throw new CompositionError(
        `Unknown composition block "${type}". Known: Stack, Fuse, Split, BatchSplit, Parallel, Average, MultiTask.`,
      );
  }
}

/**
 * Parses a Python-style setup string such as `"Stack(a, Fuse(b, c))"`, `"Parallel(a,b)"` or
 * `"BatchSplit(a,b,batch_sizes=[1,2])"`. A bare name is returned as is.
 */
export function parseSetupString(text: string): AdapterSetup {
  let pos = 0;
  const src = text;
  const ws = (): void => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const fail = (msg: string): never => {
    throw new CompositionError(`Cannot parse adapter setup "${src}" at position ${pos}: ${msg}`);
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z0-9_\-.:/@+]+/.exec(src.slice(pos));
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const value = (): unknown => {
    ws();
    const ch = src[pos];
    if (ch === '[' || ch === '(') {
      const close = ch === '[' ? ']' : ')';
      pos++;
      const items: unknown[] = [];
      ws();
      if (src[pos] === close) {
        pos++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        if (src[pos] === ',') {
          pos++;
          ws();
          if (src[pos] === close) {
            pos++;
            return items;
          }
          continue;
        }
        if (src[pos] === close) {
          pos++;
          return items;
        }
        return fail(`expected "," or "${close}"`);
      }
    }
    const m = /^-?\d+(\.\d*)?([eE][-+]?\d+)?/.exec(src.slice(pos));
    if (m) {
      pos += m[0].length;
      return Number(m[0]);
    }
    const s = /^(['"])(.*?)\1/.exec(src.slice(pos));
    if (s) {
      pos += s[0].length;
      return s[2];
    }
    const word = ident();
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    return word;
  };
  const node = (): SetupNode => {
    const name = ident();
    ws();
    if (src[pos] !== '(') return name;
    pos++;
    const children: SetupNode[] = [];
    const kwargs: Record<string, unknown> = {};
    ws();
    if (src[pos] === ')') {
      pos++;
      return makeBlock(name, children, kwargs);
    }
    for (;;) {
      ws();
      const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(src.slice(pos));
      if (kw) {
        pos += kw[0].length;
        kwargs[kw[1]!] = value();
      } else {
        children.push(node());
      }
      ws();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === ')') {
        pos++;
        break;
      }
      fail('expected "," or ")"');
    }
    return makeBlock(name, children, kwargs);
  };
  const result = node();
  ws();
  if (pos !== src.length) fail('unexpected trailing text');
  return result;
}
