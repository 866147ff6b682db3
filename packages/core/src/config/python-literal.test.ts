import { describe, expect, it } from 'vitest';
import { AdapterConfigError } from '../errors';
import { pythonJsonDumps } from './python-json';
import { parsePythonLiteral } from './python-literal';
import { PyFloat } from './python-value';
import { loadPythonVectors } from './testdata/vectors';

const py = loadPythonVectors();

describe('parsePythonLiteral', () => {
  it.each(py.literals.map((l) => [l.src, l.json] as const))('%j like ast.literal_eval', (src, json) => {
    expect(pythonJsonDumps(parsePythonLiteral(src))).toBe(json);
  });
  it.each(py.literals_invalid.map((l) => [l.src, l.python_accepts] as const))('rejects %j', (src) => {
    // Everything Python rejects, plus the literals JSON cannot hold (complex, bytes, sets, Ellipsis, \N{...}).
    expect(() => parsePythonLiteral(src)).toThrow(AdapterConfigError);
  });
  it('keeps int vs float', () => {
    expect(parsePythonLiteral('16')).toBe(16);
    expect(parsePythonLiteral('4.0')).toBeInstanceOf(PyFloat);
    expect(parsePythonLiteral('-0.0')).toEqual(new PyFloat(-0));
    expect(parsePythonLiteral('-0')).toBe(0);
    expect(parsePythonLiteral('1e-4')).toBe(0.0001);
  });
  it('maps int dict keys to strings and refuses colliding or other keys', () => {
    expect(parsePythonLiteral("{0: 8, 'default': 16}")).toEqual({ '0': 8, default: 16 });
    expect(() => parsePythonLiteral("{0: 1, '0': 2}")).toThrow(/collide/);
    expect(() => parsePythonLiteral('{1.5: 1}')).toThrow(AdapterConfigError);
    expect(() => parsePythonLiteral('{True: 1}')).toThrow(AdapterConfigError);
  });
  it('refuses unsafe integers', () => {
    expect(() => parsePythonLiteral('12345678901234567890')).toThrow(/represented exactly/);
  });
});
