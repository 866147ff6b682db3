/**
 * Format-agnostic byte mutations (AFL-style): bit flips, byte sets, inserts, deletes, truncation,
 * chunk duplication and "interesting" 16/32/64-bit little-endian values.
 */

/** Values that often hit edge cases when written as integers. */
export const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** @param {Uint8Array} b @param {number} at @param {number} v */
export function writeU32(b, at, v) {
  if (at < 0 || at + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}

/** @param {Uint8Array} b @param {number} at */
export function readU32(b, at) {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

/** @param {Uint8Array} b @param {number} at @param {number} v a non-negative integer up to 2^64 - 1 (approximated). */
export function writeU64(b, at, v) {
  if (at < 0 || at + 8 > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  dv.setUint32(at, v % 2 ** 32 >>> 0, true);
  dv.setUint32(at + 4, Math.min(Math.floor(v / 2 ** 32), 0xffffffff) >>> 0, true);
}

/** @param {Uint8Array} a @param {Uint8Array} b */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A random position, biased towards the first `hot` bytes (headers) half of the time. */
function pos(rng, len, hot) {
  if (len === 0) return 0;
  if (hot && rng.chance(0.5)) return rng.int(Math.min(hot, len));
  return rng.int(len);
}

const OPS = ['bitflip', 'byte', 'insert', 'delete', 'truncate', 'duplicate', 'u32', 'u64', 'splice-zero'];

/**
 * Applies one generic mutation. `hot` is the length of the region worth hitting more often (a
 * header). Returns the new bytes and the operation's name.
 * @param {import('./rng.mjs').FuzzRng} rng
 * @param {Uint8Array} src
 * @param {number} [hot]
 * @returns {{ bytes: Uint8Array, op: string }}
 */
export function mutateBytes(rng, src, hot = 0) {
  const op = rng.pick(OPS);
  const b = src.slice();
  switch (op) {
    case 'bitflip': {
      const n = rng.range(1, 8);
      for (let i = 0; i < n && b.length; i++) {
        const p = pos(rng, b.length, hot);
        b[p] ^= 1 << rng.int(8);
      }
      return { bytes: b, op };
    }
    case 'byte': {
      if (b.length) b[pos(rng, b.length, hot)] = rng.pick([0, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, rng.int(256)]);
      return { bytes: b, op };
    }
    case 'insert': {
      const p = pos(rng, b.length + 1, hot);
      const ins = new Uint8Array(rng.range(1, 16)).map(() => rng.int(256));
      return { bytes: concat(b.subarray(0, p), ins, b.subarray(p)), op };
    }
    case 'delete': {
      const p = pos(rng, b.length, hot);
      const n = rng.range(1, 64);
      return { bytes: concat(b.subarray(0, p), b.subarray(Math.min(b.length, p + n))), op };
    }
    case 'truncate':
      return { bytes: b.slice(0, pos(rng, b.length, hot)), op };
    case 'duplicate': {
      const from = pos(rng, b.length, hot);
      const n = rng.range(1, 256);
      const chunk = b.slice(from, from + n);
      const to = pos(rng, b.length + 1, hot);
      return { bytes: concat(b.subarray(0, to), chunk, b.subarray(to)), op };
    }
    case 'u32':
      writeU32(b, pos(rng, Math.max(0, b.length - 3), hot), rng.pick(INTERESTING_U32));
      return { bytes: b, op };
    case 'u64':
      writeU64(b, pos(rng, Math.max(0, b.length - 7), hot), rng.pick([0, 2 ** 32, 2 ** 53, 2 ** 64 - 1, 2 ** 62]));
      return { bytes: b, op };
    default: {
      const p = pos(rng, b.length, hot);
      b.fill(0, p, p + rng.range(1, 32));
      return { bytes: b, op: 'splice-zero' };
    }
  }
}
