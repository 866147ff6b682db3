/**
 * Test-only builders for pickles and torch.save-like zip archives (not exported by the package).
 */
import { zipSync } from 'fflate';

/** Emits raw pickle opcodes. */
export class PickleWriter {
  private readonly out: number[] = [];

  raw(...bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  proto(v = 2): this {
    return this.raw(0x80, v);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.raw(0x58, ...le(b.length, 4), ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.raw(0x4b, n);
    if (n >= 0 && n < 65536) return this.raw(0x4d, ...le(n, 2));
    return this.raw(0x4a, ...le(n >>> 0, 4));
  }
  global(module: string, name: string): this {
    return this.raw(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }
  mark(): this {
    return this.raw(0x28);
  }
  tuple(): this {
    return this.raw(0x74);
  }
  intTuple(xs: readonly number[]): this {
    this.mark();
    for (const x of xs) this.int(x);
    return this.tuple();
  }
  emptyDict(): this {
    return this.raw(0x7d);
  }
  emptyTuple(): this {
    return this.raw(0x29);
  }
  reduce(): this {
    return this.raw(0x52);
  }
  setitems(): this {
    return this.raw(0x75);
  }
  stop(): this {
    return this.raw(0x2e);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Little-endian bytes of an unsigned integer. */
export function le(n: number, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}

/** One tensor of a synthetic state dict. */
export interface FakeTensor {
  key: string;
  storage: string;
  storageType?: string;
  numel: number;
  offset?: number;
  size: number[];
  stride: number[];
}

/** A torch.save-style pickle of `{key: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}`. */
export function stateDictPickle(tensors: readonly FakeTensor[]): Uint8Array {
  const p = new PickleWriter().proto(2).emptyDict().mark();
  for (const t of tensors) {
    p.str(t.key).global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', t.storageType ?? 'FloatStorage').str(t.storage).str('cpu').int(t.numel).tuple();
    p.raw(0x51); // BINPERSID
    p.int(t.offset ?? 0).intTuple(t.size).intTuple(t.stride).raw(0x89);
    p.global('collections', 'OrderedDict').emptyTuple().reduce();
    p.tuple().reduce();
  }
  return p.setitems().stop().bytes();
}

/** A stored (uncompressed) zip of `<prefix>/data.pkl` plus `<prefix>/data/<key>` storages. */
export function torchZip(pkl: Uint8Array, storages: Record<string, Uint8Array>, prefix = 'archive'): Uint8Array {
  const files: Record<string, Uint8Array> = { [`${prefix}/data.pkl`]: pkl };
  for (const [k, v] of Object.entries(storages)) files[`${prefix}/data/${k}`] = v;
  files[`${prefix}/version`] = new TextEncoder().encode('3\n');
  return zipSync(files, { level: 0 });
}

/** Little-endian float32 bytes of `xs`. */
export function f32Bytes(xs: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(xs).buffer);
}
