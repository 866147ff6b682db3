import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdapterConfigError, AdapterFormatError } from '../errors';
import { parsePythonJson, pythonJsonDumps } from './python-json';
import { PyFloat, pyFloat } from './python-value';
import { FIXTURES, HAVE_FIXTURES, loadPythonVectors } from './testdata/vectors';

const py = loadPythonVectors();

describe('pythonJsonDumps / parsePythonJson match Python json.dumps(json.loads(text))', () => {
  // Integers beyond 2^53 are refused on purpose (tested below) instead of being rounded.
  const cases = py.json_roundtrip.filter((c) => c.text !== '123456789012345678');
  it.each(cases.map((c) => [c.text, c] as const))('%s', (_t, c) => {
    const v = parsePythonJson(c.text);
    expect(pythonJsonDumps(v)).toBe(c.dumps);
    expect(pythonJsonDumps(v, { sortKeys: true })).toBe(c.dumps_sorted);
    expect(pythonJsonDumps(v, { indent: 2, sortKeys: true })).toBe(c.dumps_indent2_sorted);
    expect(pythonJsonDumps(v, { indent: 2 })).toBe(c.dumps_indent2);
    expect(pythonJsonDumps(v, { indent: 0 })).toBe(c.dumps_indent0);
  });
  it('rejects what Python rejects', () => {
    for (const t of py.json_invalid) expect(() => parsePythonJson(t), JSON.stringify(t)).toThrow(AdapterFormatError);
  });
  it('keeps Python floats and ints apart', () => {
    const v = parsePythonJson('{"a": 1.0, "b": 1, "c": 0.5, "d": -0.0, "e": 1e2}') as Record<string, unknown>;
    expect(v['a']).toBeInstanceOf(PyFloat);
    expect(v['b']).toBe(1);
    expect(v['c']).toBe(0.5);
    expect(v['e']).toBeInstanceOf(PyFloat);
    expect(pythonJsonDumps(v)).toBe('{"a": 1.0, "b": 1, "c": 0.5, "d": -0.0, "e": 100.0}');
  });
  it('errors name the file and position; huge ints are refused', () => {
    expect(() => parsePythonJson('{"a": }', { file: 'x.json' })).toThrow(/x\.json \[line 1 column 7/);
    expect(() => parsePythonJson('12345678901234567890')).toThrow(AdapterFormatError);
  });
  it('refuses non-JSON values like Python', () => {
    expect(() => pythonJsonDumps({ a: new Date() })).toThrow(AdapterConfigError);
    expect(() => pythonJsonDumps({ a: undefined })).toThrow(AdapterConfigError);
    expect(pythonJsonDumps({ s: pyFloat(2), t: [pyFloat(0)] }, { separators: [',', ':'] })).toBe('{"s":2.0,"t":[0.0]}');
  });
});

const jsonFiles = HAVE_FIXTURES
  ? ['adapters/bert', 'compositions/bert', 'heads/bert'].flatMap((d) =>
      readdirSync(join(FIXTURES, d)).flatMap((sub) =>
        readdirSync(join(FIXTURES, d, sub))
          .filter((f) => f.endsWith('.json'))
          .map((f) => join(d, sub, f)),
      ),
    )
  : [];
const archDir = join(FIXTURES, 'architectures');
if (existsSync(archDir)) {
  for (const a of readdirSync(archDir)) {
    const ad = join(archDir, a, 'adapters');
    if (!existsSync(ad)) continue;
    for (const m of readdirSync(ad)) {
      const f = join('architectures', a, 'adapters', m, 'adapter_config.json');
      if (existsSync(join(FIXTURES, f))) jsonFiles.push(f);
    }
  }
}

describe.skipIf(!HAVE_FIXTURES)('fixture JSON files are reproduced byte for byte', () => {
  it('finds the files', () => expect(jsonFiles.length).toBeGreaterThan(30));
  it.each(jsonFiles)('%s', (f) => {
    const text = readFileSync(join(FIXTURES, f), 'utf8');
    expect(text.endsWith('\n')).toBe(false); // json.dump writes no trailing newline
    expect(pythonJsonDumps(parsePythonJson(text, { file: f }), { indent: 2, sortKeys: true })).toBe(text);
  });
});
