/**
 * safetensors-aware mutations: header-length edits, tensor-entry field edits (dtype, shape,
 * data_offsets), duplicated keys, huge declared sizes, non-UTF-8 header bytes, metadata edits and
 * data-area edits, on top of the generic byte mutations.
 */
import { concat, mutateBytes, writeU64 } from './bytes.mjs';
import { RawJson, writeJson } from './json.mjs';

/** Splits a valid safetensors file into its header entries (in order) and data area. */
export function splitSafetensors(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  return { entries: Object.entries(header), data: bytes.subarray(8 + n) };
}

/** Writes header entries (duplicates allowed, padded to 8 bytes) and data. */
export function joinSafetensors(entries, data, { pad = true, declaredLength } = {}) {
  const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  let json = new TextEncoder().encode(text);
  if (pad && json.length % 8) json = concat(json, new Uint8Array(8 - (json.length % 8)).fill(0x20));
  const head = new Uint8Array(8);
  writeU64(head, 0, declaredLength ?? json.length);
  return concat(head, json, data);
}

const DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'U64', 'f32', '', 5, null, ['F32'], 'C64'];
const SHAPES = [[], [0], [1], [-1], [2 ** 31], [2 ** 32, 2 ** 32], [2 ** 53], [1.5], ['4'], [[4]], null, 7, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 2 ** 40], [new RawJson('1e400')]];
const OPS = ['bytes', 'bytes', 'header-length', 'dtype', 'shape', 'offsets', 'dup-key', 'huge', 'non-utf8', 'metadata', 'entry-type', 'data', 'rename', 'reorder', 'header-ws'];

/**
 * One mutation of a valid safetensors file.
 * @param {import('./rng.mjs').FuzzRng} rng
 * @param {Uint8Array} seed
 * @returns {{ bytes: Uint8Array, op: string }}
 */
export function mutateSafetensors(rng, seed) {
  const op = rng.pick(OPS);
  const { entries, data } = splitSafetensors(seed);
  const headerLen = seed.length - data.length;
  const tensorIdx = entries.map(([k], i) => (k === '__metadata__' ? -1 : i)).filter((i) => i >= 0);
  const pickTensor = () => entries[rng.pick(tensorIdx)];
  const cloneEntries = () => entries.map(([k, v]) => [k, JSON.parse(JSON.stringify(v))]);
  switch (op) {
    case 'bytes': {
      const m = mutateBytes(rng, seed, headerLen);
      return { bytes: m.bytes, op: `bytes:${m.op}` };
    }
    case 'header-length': {
      const b = seed.slice();
      const n = headerLen - 8;
      writeU64(b, 0, rng.pick([0, 1, 2, n - 1, n + 1, n + 8, n - 8, seed.length - 8, seed.length, 2 ** 32 + n, 2 ** 53, 2 ** 64 - 1, 100_000_001]));
      return { bytes: b, op };
    }
    case 'dtype':
    case 'shape':
    case 'offsets':
    case 'huge':
    case 'entry-type': {
      const es = cloneEntries();
      if (!tensorIdx.length) return { bytes: seed.slice(), op };
      const [, info] = es[rng.pick(tensorIdx)];
      if (op === 'dtype') info.dtype = rng.pick(DTYPES);
      else if (op === 'shape') info.shape = rng.pick(SHAPES);
      else if (op === 'offsets') {
        const [b, e] = info.data_offsets;
        info.data_offsets = rng.pick([[e, b], [b, e + 1], [b - 1, e], [b, data.length + 4], [0, e], [b], [b, e, e], [-4, e], [b + 0.5, e], [String(b), e], null, [b, 2 ** 53], [2 ** 64, 2 ** 64]]);
      } else if (op === 'huge') {
        info.shape = rng.pick([[2 ** 30, 2 ** 30], [2 ** 26, 4], [4294967296], [2 ** 52, 2]]);
        info.data_offsets = rng.pick([[0, 2 ** 32], [0, 2 ** 62], info.data_offsets]);
      } else {
        const k = rng.pick(['dtype', 'shape', 'data_offsets']);
        if (rng.chance(0.5)) delete info[k];
        else info[k] = rng.pick([{}, 'x', 0, true]);
        if (rng.chance(0.2)) info.extra = 1;
      }
      return { bytes: joinSafetensors(es, data), op };
    }
    case 'dup-key': {
      const es = cloneEntries();
      const e = pickTensor() ?? es[0];
      if (e) es.splice(rng.int(es.length + 1), 0, [e[0], JSON.parse(JSON.stringify(e[1]))]);
      return { bytes: joinSafetensors(es, data), op };
    }
    case 'non-utf8': {
      const b = seed.slice();
      const at = 8 + rng.int(Math.max(1, headerLen - 8));
      const bad = rng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]);
      b.set(bad.slice(0, Math.max(0, headerLen - at)), at);
      return { bytes: b, op };
    }
    case 'metadata': {
      const es = cloneEntries().filter(([k]) => k !== '__metadata__');
      es.splice(rng.int(es.length + 1), 0, ['__metadata__', rng.pick([{ format: 'pt' }, { a: 1 }, { a: null }, [], 'x', null, { a: { b: 'c' } }, { __proto__x: 'y', '': '' }])]);
      return { bytes: joinSafetensors(es, data), op };
    }
    case 'data': {
      const extra = rng.pick([new Uint8Array(1), new Uint8Array(8), new Uint8Array(0)]);
      const d = rng.chance(0.5) ? concat(data, extra) : data.subarray(0, Math.max(0, data.length - rng.range(1, 16)));
      return { bytes: joinSafetensors(cloneEntries(), d), op };
    }
    case 'rename': {
      const es = cloneEntries();
      if (tensorIdx.length) es[rng.pick(tensorIdx)][0] = rng.pick(['', '__metadata__', '\u0000', 'x'.repeat(10_000), '..', 'a.b.c', '\ud800', '__proto__']);
      return { bytes: joinSafetensors(es, data), op };
    }
    case 'reorder': {
      const es = cloneEntries();
      for (let i = es.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [es[i], es[j]] = [es[j], es[i]];
      }
      return { bytes: joinSafetensors(es, data, { pad: rng.chance(0.5) }), op };
    }
    default: {
      // Header whitespace / trailing bytes inside the declared header.
      const es = cloneEntries();
      const body = joinSafetensors(es, new Uint8Array(0), { pad: false }).subarray(8);
      const junk = new TextEncoder().encode(rng.pick(['   ', '\n', '\u0000', 'x', ',', '{}', '\t\r']));
      const json = rng.chance(0.5) ? concat(junk, body) : concat(body, junk);
      const head = new Uint8Array(8);
      writeU64(head, 0, json.length);
      return { bytes: concat(head, json, data), op };
    }
  }
}
