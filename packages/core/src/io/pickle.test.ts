import { describe, expect, it } from 'vitest';
import { AdapterFormatError } from '../errors';
import { PickleGlobal, PickleTuple, unpickle, type UnpickleHooks } from './pickle';
import { PickleWriter } from './test-helpers';

const none: UnpickleHooks = { file: 'p.pkl', allowedGlobals: new Set() };

function formatError(bytes: Uint8Array, hooks: UnpickleHooks = none): AdapterFormatError {
  try {
    unpickle(bytes, hooks);
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterFormatError);
    expect((e as AdapterFormatError).file).toBe(hooks.file);
    return e as AdapterFormatError;
  }
  throw new Error('expected an AdapterFormatError');
}

describe('unpickle', () => {
  it('decodes containers, scalars and the memo', () => {
    // {'a': [1, -2, 300, 70000, True, None, 1.5, (), ('x',), b'\x01'], 'big': 2**70, 'neg': -129}
    const p = new PickleWriter().proto(2).emptyDict().raw(0x71, 0).mark();
    p.str('a').raw(0x5d, 0x71, 1).mark().int(1).raw(0x4a, ...[0xfe, 0xff, 0xff, 0xff]).int(300).int(70000);
    p.raw(0x88, 0x4e, 0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0).emptyTuple().raw(0x8c, 1, 0x78, 0x85, 0x43, 1, 1).raw(0x65);
    p.str('big').raw(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40);
    p.str('neg').raw(0x8a, 2, 0x7f, 0xff);
    p.str('again').raw(0x68, 1); // BINGET 1 → the same list
    const v = unpickle(p.setitems().stop().bytes(), none) as Map<string, unknown>;
    const list = v.get('a') as unknown[];
    expect(list.slice(0, 7)).toEqual([1, -2, 300, 70000, true, null, 1.5]);
    expect(list[7]).toEqual(new PickleTuple([]));
    expect(list[8]).toEqual(new PickleTuple(['x']));
    expect(list[9]).toEqual(Uint8Array.from([1]));
    expect(v.get('big')).toBe(2n ** 70n);
    expect(v.get('neg')).toBe(-129);
    expect(v.get('again')).toBe(list);
  });

  it('accepts allow-listed globals and hands REDUCE / BUILD / persistent ids to hooks', () => {
    const p = new PickleWriter().proto(4).raw(0x95, 0, 0, 0, 0, 0, 0, 0, 0);
    p.raw(0x8c, 3, ...new TextEncoder().encode('mod'), 0x94, 0x8c, 2, 0x66, 0x6e, 0x94, 0x93, 0x94); // STACK_GLOBAL mod.fn
    p.int(5).raw(0x85).reduce(); // fn(5)
    p.emptyDict().raw(0x62); // BUILD(result, {})
    p.str('pid').raw(0x51).raw(0x86).stop(); // (built, persistent('pid'))
    const calls: string[] = [];
    const out = unpickle(p.bytes(), {
      allowedGlobals: new Set(['mod.fn']),
      reduce: (fn, args, at) => (calls.push(`${fn.fullName}${JSON.stringify(args)} ${at}`), 'reduced'),
      build: (obj) => `${String(obj)}+built`,
      persistentLoad: (pid) => `loaded:${String(pid)}`,
    });
    expect(out).toEqual(new PickleTuple(['reduced+built', 'loaded:pid']));
    expect(calls).toEqual(['mod.fn[5] byte 27']);
    expect(new PickleGlobal('a.b', 'c').fullName).toBe('a.b.c');
  });

  it('rejects GLOBAL os system with the name and offset', () => {
    const bytes = new PickleWriter().proto(2).global('os', 'system').str('echo pwned').raw(0x85).reduce().stop().bytes();
    const e = formatError(bytes);
    expect(e.message).toMatch(/forbidden global os\.system/);
    expect(e.location).toBe('byte 2');
  });

  it('rejects STACK_GLOBAL builtins.eval', () => {
    const bytes = new PickleWriter().proto(4).raw(0x8c, 8, ...new TextEncoder().encode('builtins'));
    bytes.raw(0x8c, 4, ...new TextEncoder().encode('eval'), 0x93).stop();
    const e = formatError(bytes.bytes());
    expect(e.message).toMatch(/forbidden global builtins\.eval/);
    expect(e.location).toBe('byte 18');
  });

  it('rejects unknown and refused opcodes with their offset', () => {
    let e = formatError(Uint8Array.from([0x80, 2, 0x4e, 0xff, 0x2e]));
    expect(e.message).toMatch(/unknown pickle opcode 0xff/);
    expect(e.location).toBe('byte 3');
    e = formatError(Uint8Array.from([0x80, 2, 0x29, 0x81, 0x2e])); // NEWOBJ
    expect(e.message).toMatch(/NEWOBJ .* not allowed/);
    e = formatError(Uint8Array.from([0x80, 2, 0x69, 0x2e])); // INST
    expect(e.message).toMatch(/INST/);
  });

  it('rejects truncated data', () => {
    let e = formatError(Uint8Array.from([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x61]));
    expect(e.message).toMatch(/truncated pickle: BINUNICODE needs 2147483647 bytes/);
    expect(e.location).toBe('byte 2');
    e = formatError(Uint8Array.from([0x80, 2, 0x4e]));
    expect(e.message).toMatch(/no STOP/);
    e = formatError(Uint8Array.from([0x80, 2, 0x63, 0x6f, 0x73]));
    expect(e.message).toMatch(/unterminated/);
  });

  it('rejects malformed stacks and unsupported operations', () => {
    expect(formatError(Uint8Array.from([0x80, 2, 0x2e])).message).toMatch(/empty stack/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x74, 0x2e])).message).toMatch(/without a MARK/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x68, 9, 0x2e])).message).toMatch(/memo key 9/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x4e, 0x29, 0x52, 0x2e])).message).toMatch(/not an allow-listed global/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x4e, 0x51, 0x2e])).message).toMatch(/persistent ids/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x4e, 0x4e, 0x62, 0x2e])).message).toMatch(/BUILD/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x5d, 0x4e, 0x4e, 0x73, 0x2e])).message).toMatch(/not a dict/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x7d, 0x29, 0x4e, 0x73, 0x2e])).message).toMatch(/dict key type/);
    expect(formatError(Uint8Array.from([0x80, 9, 0x4e, 0x2e])).message).toMatch(/protocol 9/);
    expect(formatError(Uint8Array.from([0x80, 2, 0x58, 1, 0, 0, 0, 0xff, 0x2e])).message).toMatch(/UTF-8/);
  });
});
