/**
 * PyTorch `.bin` (torch.save zip) mutations. Pickle-level edits (opcode swaps, global swaps,
 * integer/string argument edits, inserted/deleted opcodes) and storage-entry edits are re-zipped
 * with correct CRCs so they reach the unpickler; zip-level edits (entry sizes, compression ratio,
 * offsets, counts, names) are applied to the archive bytes directly.
 */
import { unzipSync, zipSync } from 'fflate';
import { INTERESTING_U32, concat, mutateBytes, readU32, writeU32 } from './bytes.mjs';

/** Argument layout of each opcode: fixed byte count, a length-prefixed blob, or newline-terminated lines. */
const ARGS = {
  0x80: 1, 0x95: 8, 0x4a: 4, 0x4b: 1, 0x4d: 2, 0x47: 8, 0x71: 1, 0x72: 4, 0x68: 1, 0x6a: 4, 0x82: 1, 0x83: 2, 0x84: 4,
};
const PREFIXED = { 0x8a: 1, 0x8b: 4, 0x58: 4, 0x8c: 1, 0x8d: 8, 0x43: 1, 0x42: 4, 0x8e: 8, 0x55: 1, 0x54: 4, 0x96: 8 };
const LINES = { 0x63: 2, 0x69: 2, 0x49: 1, 0x4c: 1, 0x46: 1, 0x53: 1, 0x56: 1, 0x50: 1, 0x67: 1, 0x70: 1 };

/** Every opcode of the pickle protocols 0-5. */
export const OPCODES = [
  0x28, 0x2e, 0x30, 0x31, 0x32, 0x46, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x58, 0x61, 0x62,
  0x63, 0x64, 0x7d, 0x65, 0x67, 0x68, 0x69, 0x6a, 0x6c, 0x5d, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x29, 0x75, 0x47, 0x80, 0x81, 0x82,
  0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x42, 0x43, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,
  0x97, 0x98,
];

/** Opcode boundaries of a (valid) pickle: `{ at, code, argAt, end }`. Stops at the first unknown opcode. */
export function pickleOps(b) {
  const ops = [];
  let p = 0;
  while (p < b.length) {
    const code = b[p];
    const argAt = p + 1;
    let end = argAt;
    if (code in ARGS) end += ARGS[code];
    else if (code in PREFIXED) {
      const w = PREFIXED[code];
      let n = 0;
      for (let i = 0; i < Math.min(w, 6); i++) n += (b[argAt + i] ?? 0) * 2 ** (8 * i);
      end += w + n;
    } else if (code in LINES) {
      for (let l = 0; l < LINES[code]; l++) {
        const nl = b.indexOf(0x0a, end);
        if (nl < 0) return ops;
        end = nl + 1;
      }
    } else if (!OPCODES.includes(code)) return ops;
    ops.push({ at: p, code, argAt, end });
    if (code === 0x2e) break;
    p = end;
  }
  return ops;
}

const GLOBALS = [
  'os\nsystem', 'builtins\neval', 'builtins\ngetattr', 'posix\nsystem', 'subprocess\nPopen', 'torch._utils\n_rebuild_tensor',
  'torch\nFloatStorage', 'torch\nLongStorage', 'torch\nHalfStorage', 'torch\nBoolStorage', 'torch\nfloat16', 'torch\nTensor',
  'collections\nOrderedDict', 'torch._utils\n_rebuild_tensor_v2', 'torch._utils\n_rebuild_tensor_v3', 'torch._utils\n_rebuild_parameter',
  'torch._tensor\n_rebuild_from_type_v2', 'torch.nn.parameter\nParameter', 'torch\nUntypedStorage', 'torch\n\u00ff', '\n', 'torch\nDoubleStorage',
];

/**
 * One pickle-level mutation.
 * @param {import('./rng.mjs').FuzzRng} rng
 * @param {Uint8Array} pkl
 */
export function mutatePickle(rng, pkl) {
  const ops = pickleOps(pkl);
  const op = rng.pick(['opcode-swap', 'global-swap', 'int-edit', 'int-edit', 'string-edit', 'insert-op', 'delete-op', 'truncate', 'bytes']);
  const o = rng.pick(ops);
  if (!o) return { bytes: pkl, op };
  const enc = new TextEncoder();
  switch (op) {
    case 'opcode-swap': {
      const b = pkl.slice();
      b[o.at] = rng.pick(OPCODES);
      return { bytes: b, op };
    }
    case 'global-swap': {
      const gs = ops.filter((x) => x.code === 0x63);
      const g = rng.pick(gs) ?? o;
      const repl = concat(Uint8Array.of(0x63), enc.encode(`${rng.pick(GLOBALS)}\n`));
      return { bytes: concat(pkl.subarray(0, g.at), repl, pkl.subarray(g.end)), op };
    }
    case 'int-edit': {
      const ints = ops.filter((x) => x.code === 0x4a || x.code === 0x4b || x.code === 0x4d || x.code === 0x71 || x.code === 0x68 || x.code === 0x8a);
      const t = rng.pick(ints) ?? o;
      const v = rng.pick([0, 1, 2, 255, 65535, 0x7fffffff, 0xffffffff, 0x80000000, 2 ** 31 - 1, 1e9 >>> 0]);
      let repl;
      if (rng.chance(0.3)) {
        // LONG1 of 8 bytes: values beyond 2^53 or negative.
        const big = rng.pick([[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0, 0, 0, 0, 0, 0, 0, 0x80], [1, 0, 0, 0, 0, 0, 0x20, 0], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]);
        repl = Uint8Array.of(0x8a, 8, ...big);
      } else {
        repl = new Uint8Array(5);
        repl[0] = 0x4a;
        writeU32(repl, 1, v);
      }
      return { bytes: concat(pkl.subarray(0, t.at), repl, pkl.subarray(t.end)), op };
    }
    case 'string-edit': {
      const strs = ops.filter((x) => x.code === 0x58 || x.code === 0x8c);
      const t = rng.pick(strs) ?? o;
      const s = rng.pick(['', '..', '../../etc/passwd', '0/../1', 'x'.repeat(300), '\u00ff', 'storage', 'cpu', 'a/b', '0', '99', '__proto__']);
      const sb = enc.encode(s);
      const repl = new Uint8Array(5 + sb.length);
      repl[0] = 0x58;
      writeU32(repl, 1, rng.chance(0.15) ? rng.pick(INTERESTING_U32) : sb.length);
      repl.set(sb, 5);
      return { bytes: concat(pkl.subarray(0, t.at), repl, pkl.subarray(t.end)), op };
    }
    case 'insert-op': {
      const code = rng.pick(OPCODES);
      const arg = new Uint8Array(rng.pick([0, 1, 2, 4, 8])).map(() => rng.int(256));
      return { bytes: concat(pkl.subarray(0, o.at), Uint8Array.of(code), arg, pkl.subarray(o.at)), op };
    }
    case 'delete-op':
      return { bytes: concat(pkl.subarray(0, o.at), pkl.subarray(o.end)), op };
    case 'truncate':
      return { bytes: pkl.slice(0, o.at + rng.int(o.end - o.at + 1)), op };
    default: {
      const m = mutateBytes(rng, pkl);
      return { bytes: m.bytes, op: `bytes:${m.op}` };
    }
  }
}

/** Zips entries (stored, or deflated when `deflate`), with correct CRCs. */
export function zipEntries(entries, deflate = false) {
  const input = {};
  for (const [name, data] of entries) input[name] = [data, { level: deflate ? 6 : 0 }];
  return zipSync(input);
}

/** Offsets of the central-directory records of a zip (assumes a valid archive without comment). */
function centralRecords(b) {
  const eocd = b.length - 22;
  if (eocd < 0 || readU32(b, eocd) !== 0x06054b50) return { eocd: -1, records: [] };
  const count = b[eocd + 10] | (b[eocd + 11] << 8);
  let p = readU32(b, eocd + 16);
  const records = [];
  for (let i = 0; i < count && p + 46 <= b.length; i++) {
    records.push(p);
    const n = b[p + 28] | (b[p + 29] << 8);
    const e = b[p + 30] | (b[p + 31] << 8);
    const c = b[p + 32] | (b[p + 33] << 8);
    p += 46 + n + e + c;
  }
  return { eocd, records };
}

/**
 * One mutation of a torch.save zip checkpoint.
 * @param {import('./rng.mjs').FuzzRng} rng
 * @param {Uint8Array} seed
 * @returns {{ bytes: Uint8Array, op: string }}
 */
export function mutateTorchBin(rng, seed) {
  const files = unzipSync(seed);
  const names = Object.keys(files);
  const pklName = names.find((n) => n.endsWith('/data.pkl'));
  const kind = rng.pick(['pickle', 'pickle', 'pickle', 'storage', 'zip-field', 'zip-field', 'deflate', 'entries', 'bytes']);
  switch (kind) {
    case 'pickle': {
      const m = mutatePickle(rng, files[pklName]);
      files[pklName] = m.bytes;
      return { bytes: zipEntries(Object.entries(files)), op: `pickle:${m.op}` };
    }
    case 'storage': {
      const data = names.filter((n) => n.includes('/data/'));
      const n = rng.pick(data);
      const d = files[n];
      const choice = rng.int(4);
      if (choice === 0) files[n] = d.subarray(0, Math.max(0, d.length - rng.range(1, 8)));
      else if (choice === 1) files[n] = concat(d, new Uint8Array(rng.pick([1, 4, 8])));
      else if (choice === 2) delete files[n];
      else files[n] = new Uint8Array(0);
      return { bytes: zipEntries(Object.entries(files)), op: `storage:${['shrink', 'grow', 'remove', 'empty'][choice]}` };
    }
    case 'deflate': {
      // A deflated archive whose declared sizes (and so the ratio) are then edited.
      const b = zipEntries(Object.entries(files), true);
      const { records } = centralRecords(b);
      const r = rng.pick(records);
      if (r !== undefined && rng.chance(0.8)) {
        const field = rng.pick([20, 24, 16]);
        writeU32(b, r + field, rng.pick([0, 1, readU32(b, r + field) + 1, readU32(b, r + 20) * 2000, 0x7fffffff, 0xfffffffe, 100_000_000]));
      }
      return { bytes: b, op: 'deflate-size' };
    }
    case 'entries': {
      const es = Object.entries(files);
      const c = rng.int(5);
      if (c === 0) es.push([rng.pick(['../evil', '/abs', 'a\\b', 'C:/x', 'x/../../y', `${pklName}`]), new Uint8Array(4)]);
      else if (c === 1) es.push([pklName.replace('data.pkl', 'other/data.pkl'), files[pklName]]);
      else if (c === 2) es.splice(es.findIndex(([n]) => n === pklName), 1);
      else if (c === 3) es.push([pklName.replace('data.pkl', 'byteorder'), new TextEncoder().encode(rng.pick(['big', 'little', '\u00ff', '']))]);
      else es.reverse();
      return { bytes: zipEntries(es), op: `entries:${['add-unsafe', 'second-pkl', 'no-pkl', 'byteorder', 'reverse'][c]}` };
    }
    case 'zip-field': {
      const b = seed.slice();
      const { eocd, records } = centralRecords(b);
      if (eocd < 0) return { bytes: b, op: 'zip-field' };
      const target = rng.int(3);
      if (target === 0) {
        // EOCD: count (10), size (12), offset (16), comment length (20).
        const f = rng.pick([8, 10, 12, 16, 20]);
        if (f === 8 || f === 10 || f === 20) {
          const v = rng.pick([0, 1, 0xffff, (b[eocd + f] | (b[eocd + f + 1] << 8)) + 1]);
          b[eocd + f] = v & 0xff;
          b[eocd + f + 1] = v >> 8;
        } else writeU32(b, eocd + f, rng.pick([0, 0xffffffff, readU32(b, eocd + f) + 1, readU32(b, eocd + f) - 1, b.length]));
        return { bytes: b, op: `zip-eocd+${f}` };
      }
      const r = rng.pick(records);
      if (target === 1) {
        // Central record: method (10), crc (16), compressed (20), size (24), name length (28), extra (30), offset (42).
        const f = rng.pick([10, 16, 20, 24, 28, 30, 42, 8]);
        if (f === 10 || f === 28 || f === 30 || f === 8) {
          const v = rng.pick([0, 8, 1, 0xffff, 12, 99]);
          b[r + f] = v & 0xff;
          b[r + f + 1] = v >> 8;
        } else writeU32(b, r + f, rng.pick([0, 1, 0xffffffff, 0x7fffffff, readU32(b, r + f) + 1, readU32(b, r + f) - 1, b.length, readU32(b, r + f) + 4096]));
        return { bytes: b, op: `zip-central+${f}` };
      }
      const local = readU32(b, r + 42);
      const f = rng.pick([0, 8, 18, 22, 26, 28]);
      if (local + f + 4 <= b.length) writeU32(b, local + f, rng.pick([0, 0xffff, 0xffffffff, readU32(b, local + f) + 1]));
      return { bytes: b, op: `zip-local+${f}` };
    }
    default: {
      const m = mutateBytes(rng, seed);
      return { bytes: m.bytes, op: `bytes:${m.op}` };
    }
  }
}
