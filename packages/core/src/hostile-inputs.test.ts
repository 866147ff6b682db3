/**
 * Regression tests for crashes found by the fuzzer (tests/fuzz): each hostile input now fails with
 * a typed error naming the file and the location, instead of a RangeError / TypeError.
 */
import { describe, expect, it } from 'vitest';
import { parsePythonJson, pythonJsonString } from './config';
import { AdapterFormatError } from './errors';
import { parseTorchBin } from './io/torch-bin';
import { PickleWriter, f32Bytes, torchZip } from './io/test-helpers';

describe('inputs that used to crash a loader', () => {
  it('parsePythonJson: nesting deeper than Python accepts (was: RangeError, stack overflow)', () => {
    const deep = `{"config": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => parsePythonJson(deep, { file: 'adapter_config.json' })).toThrow(AdapterFormatError);
    expect(() => parsePythonJson(deep, { file: 'adapter_config.json' })).toThrow(/adapter_config\.json \[line 1 column \d+ \(char \d+\)\]: nesting deeper than 1000 levels/);
    const ok = `${'['.repeat(999)}${']'.repeat(999)}`;
    expect(() => parsePythonJson(ok)).not.toThrow();
  });

  it('parsePythonJson / pythonJsonString: long strings stay linear and exact', () => {
    const s = `${'x'.repeat(1_000_000)}\\n\\u00e9"`;
    expect(parsePythonJson(`"${s.slice(0, -1)}"`)).toBe(`${'x'.repeat(1_000_000)}\né`);
    expect(pythonJsonString('plain ascii')).toBe('"plain ascii"');
    expect(pythonJsonString('a"b\\c\u007f\u00e9')).toBe('"a\\"b\\\\c\\u007f\\u00e9"');
  });

  it('parseTorchBin: a storage key that is a big integer (was: TypeError in JSON.stringify of the message)', () => {
    const p = new PickleWriter().proto(2).emptyDict().mark();
    p.str('w').global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').raw(0x8a, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).str('cpu').int(2).tuple();
    p.raw(0x51).int(0).intTuple([2]).intTuple([1]).raw(0x89).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    const bin = torchZip(p.setitems().stop().bytes(), { 0: f32Bytes([1, 2]) });
    expect(() => parseTorchBin(bin, 'evil.bin')).toThrow(AdapterFormatError);
    expect(() => parseTorchBin(bin, 'evil.bin')).toThrow(/evil\.bin:archive\/data\.pkl \[byte \d+\]: invalid storage key of type bigint/);
  });
});
