import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AdapterFormatError } from '../errors';
import { rawToFloat32 } from './convert';
import { parseSafetensors } from './safetensors';
import { f32Bytes, PickleWriter, stateDictPickle, torchZip } from './test-helpers';
import { parseTorchBin } from './torch-bin';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const adapters = path.resolve(repoRoot, '../shared/fixtures/adapters/bert');
const read = (rel: string) => new Uint8Array(readFileSync(path.join(adapters, rel)));

function formatError(fn: () => unknown): AdapterFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterFormatError);
    return e as AdapterFormatError;
  }
  throw new Error('expected an AdapterFormatError');
}

describe('parseTorchBin on the fixtures', () => {
  for (const name of ['lora', 'seq_bn']) {
    it(`${name}-bin equals ${name}/adapter.safetensors`, () => {
      const bin = parseTorchBin(read(`${name}-bin/pytorch_adapter.bin`), `${name}-bin/pytorch_adapter.bin`);
      const st = parseSafetensors(read(`${name}/adapter.safetensors`)).tensors;
      expect(bin.size).toBe(st.size);
      expect([...bin.keys()].sort()).toEqual([...st.keys()].sort());
      for (const [k, t] of st) {
        const b = bin.get(k)!;
        expect(b.dtype, k).toBe(t.dtype);
        expect(b.shape, k).toEqual(t.shape);
        expect(Buffer.from(b.data).equals(Buffer.from(t.data)), k).toBe(true);
      }
    });
  }

  it('keeps state-dict (pickle) order', () => {
    const keys = [...parseTorchBin(read('lora-bin/pytorch_adapter.bin')).keys()];
    expect(keys.slice(0, 2)).toEqual([
      'encoder.layer.0.attention.self.query.loras.lora.lora_A',
      'encoder.layer.0.attention.self.query.loras.lora.lora_B',
    ]);
  });

  it('parses prefix-tuning checkpoints whose pools are shared by several keys', () => {
    const counts: Record<string, number> = { prefix_tuning: 15, prefix_tuning_flat: 3, mam: 23, unipelt: 47 };
    for (const [name, count] of Object.entries(counts)) {
      const tensors = parseTorchBin(read(`${name}/pytorch_adapter.bin`), name);
      expect(tensors.size, name).toBe(count);
      // Every key that names the same pool parameter holds the same bytes.
      const groups = new Map<string, Uint8Array[]>();
      for (const [k, t] of tensors) {
        expect(t.dtype).toBe('F32');
        expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1) * 4);
        const m = /prefix_tunings\.(.*)$/.exec(k);
        if (m) groups.set(m[1]!, [...(groups.get(m[1]!) ?? []), t.data]);
      }
      expect(groups.size, name).toBeGreaterThan(0);
      for (const [suffix, datas] of groups) {
        expect(datas.length, suffix).toBeGreaterThan(1);
        for (const d of datas) expect(Buffer.from(d).equals(Buffer.from(datas[0]!)), suffix).toBe(true);
      }
    }
    const flat = parseTorchBin(read('prefix_tuning_flat/pytorch_adapter.bin'));
    const ct = flat.get('prefix_tuning.prefix_tunings.prefix_tuning_flat.self_prefix.control_trans')!;
    expect(ct.shape.length).toBeGreaterThan(0);
  });

  it('rejects a truncated checkpoint', () => {
    const bytes = read('lora-bin/pytorch_adapter.bin');
    for (const n of [10, 500, bytes.length - 30]) {
      expect(formatError(() => parseTorchBin(bytes.slice(0, n), 'cut.bin')).file).toBe('cut.bin');
    }
  });
});

describe('parseTorchBin on crafted archives', () => {
  const storage = f32Bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

  it('materialises shared storages, offsets, non-contiguous views and other dtypes', () => {
    const pkl = stateDictPickle([
      { key: 'full', storage: '0', numel: 12, size: [3, 4], stride: [4, 1] },
      { key: 'row1', storage: '0', numel: 12, offset: 4, size: [4], stride: [1] },
      { key: 'transposed', storage: '0', numel: 12, size: [4, 3], stride: [1, 4] },
      { key: 'column2', storage: '0', numel: 12, offset: 2, size: [3, 1], stride: [4, 1] },
      { key: 'everyOther', storage: '0', numel: 12, offset: 1, size: [2, 2], stride: [6, 2] },
      { key: 'scalar', storage: '0', numel: 12, offset: 11, size: [], stride: [] },
      { key: 'empty', storage: '0', numel: 12, size: [0, 4], stride: [4, 1] },
      { key: 'half', storage: 'h', storageType: 'HalfStorage', numel: 2, size: [2], stride: [1] },
      { key: 'long', storage: 'l', storageType: 'LongStorage', numel: 1, size: [1], stride: [1] },
    ]);
    const zip = torchZip(pkl, {
      '0': storage,
      h: Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]),
      l: Uint8Array.from([7, 0, 0, 0, 0, 0, 0, 0]),
    });
    const t = parseTorchBin(zip, 'crafted.bin');
    expect([...t.keys()]).toEqual(['full', 'row1', 'transposed', 'column2', 'everyOther', 'scalar', 'empty', 'half', 'long']);
    const f = (k: string) => [...rawToFloat32(t.get(k)!)];
    expect(f('full')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(f('row1')).toEqual([4, 5, 6, 7]);
    expect(f('transposed')).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(t.get('transposed')!.shape).toEqual([4, 3]);
    expect(f('column2')).toEqual([2, 6, 10]);
    expect(f('everyOther')).toEqual([1, 3, 7, 9]);
    expect(f('scalar')).toEqual([11]);
    expect(t.get('scalar')!.shape).toEqual([]);
    expect(t.get('empty')).toEqual({ dtype: 'F32', shape: [0, 4], data: new Uint8Array(0) });
    expect(t.get('half')!.dtype).toBe('F16');
    expect(f('half')).toEqual([1, -2]);
    expect(t.get('long')).toEqual({ dtype: 'I64', shape: [1], data: Uint8Array.from([7, 0, 0, 0, 0, 0, 0, 0]) });
    // Tensors sharing a storage are independent copies.
    t.get('full')!.data[0] = 99;
    expect(t.get('transposed')!.data[0]).toBe(0);
  });

  it('accepts _rebuild_parameter and an OrderedDict state dict with _metadata', () => {
    const p = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
    p.str('w').global('torch._utils', '_rebuild_parameter').mark();
    p.global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(12).tuple().raw(0x51);
    p.int(0).intTuple([12]).intTuple([1]).raw(0x89).global('collections', 'OrderedDict').emptyTuple().reduce();
    p.tuple().reduce().raw(0x88).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    p.setitems();
    p.emptyDict().str('_metadata').global('collections', 'OrderedDict').emptyTuple().reduce().raw(0x73).raw(0x62); // BUILD
    const t = parseTorchBin(torchZip(p.stop().bytes(), { '0': storage }));
    expect([...rawToFloat32(t.get('w')!)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('rejects GLOBAL os system inside data.pkl', () => {
    const pkl = new PickleWriter().proto(2).global('os', 'system').str('id').raw(0x85).reduce().stop().bytes();
    const e = formatError(() => parseTorchBin(torchZip(pkl, {}), 'evil.bin'));
    expect(e.message).toMatch(/forbidden global os\.system/);
    expect(e.file).toBe('evil.bin:archive/data.pkl');
    expect(e.location).toBe('byte 2');
  });

  it('rejects allow-listed globals used in the wrong way', () => {
    const call = new PickleWriter().proto(2).global('torch', 'FloatStorage').emptyTuple().reduce().stop().bytes();
    expect(formatError(() => parseTorchBin(torchZip(call, {}))).message).toMatch(/calling torch\.FloatStorage/);
    const notDict = new PickleWriter().proto(2).raw(0x5d).stop().bytes();
    expect(formatError(() => parseTorchBin(torchZip(notDict, {}))).message).toMatch(/not a state dict/);
    const p = new PickleWriter().proto(2).emptyDict().str('x').int(1).raw(0x73).stop().bytes();
    expect(formatError(() => parseTorchBin(torchZip(p, {}))).location).toBe('x');
  });

  it('rejects bad storages and views', () => {
    const cases: [Parameters<typeof stateDictPickle>[0][0], Record<string, Uint8Array>, RegExp][] = [
      [{ key: 'a', storage: '0', numel: 12, size: [3], stride: [1] }, {}, /storage entry archive\/data\/0 is missing/],
      [{ key: 'a', storage: '0', numel: 13, size: [3], stride: [1] }, { '0': storage }, /holds 48 bytes, expected 13 x 4/],
      [{ key: 'a', storage: '0', numel: 12, offset: 10, size: [3], stride: [1] }, { '0': storage }, /exceeds storage 0/],
      [{ key: 'a', storage: '0', numel: 12, size: [4, 4], stride: [1, 4] }, { '0': storage }, /exceeds storage/],
      [{ key: 'a', storage: '0', numel: 12, size: [100], stride: [0] }, { '0': storage }, /broadcast/],
      [{ key: 'a', storage: '../x', numel: 12, size: [3], stride: [1] }, { '0': storage }, /invalid storage key/],
      [{ key: 'a', storage: '0', storageType: 'ComplexFloatStorage', numel: 1, size: [1], stride: [1] }, { '0': storage }, /forbidden global torch\.ComplexFloatStorage/],
    ];
    for (const [tensor, storages, re] of cases) {
      const e = formatError(() => parseTorchBin(torchZip(stateDictPickle([tensor]), storages), 'x.bin'));
      expect(e.message).toMatch(re);
      expect(e.location).toMatch(/^byte \d+$/);
    }
  });

  it("rejects zips with '..' names, deflate bombs, legacy files and missing data.pkl", () => {
    const dotdot = zipSync({ 'archive/data.pkl': stateDictPickle([]), 'archive/../../evil': new Uint8Array(1) });
    expect(formatError(() => parseTorchBin(dotdot, 'a.bin')).message).toMatch(/'\.\.' segment/);
    const bomb = zipSync({ 'archive/data.pkl': stateDictPickle([]), 'archive/data/0': [new Uint8Array(2 << 20), { level: 9 }] });
    expect(formatError(() => parseTorchBin(bomb, 'b.bin')).message).toMatch(/zip bomb/);
    const legacy = new PickleWriter().proto(2).emptyDict().stop().bytes();
    expect(formatError(() => parseTorchBin(legacy)).message).toMatch(/legacy/);
    expect(formatError(() => parseTorchBin(zipSync({ 'x/other.pkl': new Uint8Array(1) }))).message).toMatch(/data\.pkl/);
    const emptyState = torchZip(stateDictPickle([]), {});
    const z = zipSync({ 'archive/data.pkl': stateDictPickle([]), 'archive/byteorder': new TextEncoder().encode('big') });
    expect(parseTorchBin(emptyState).size).toBe(0);
    expect(formatError(() => parseTorchBin(z)).message).toMatch(/byte order "big"/);
  });
});
