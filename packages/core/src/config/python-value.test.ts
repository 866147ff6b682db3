import { describe, expect, it } from 'vitest';
import { AdapterConfigError } from '../errors';
import {
  PyFloat,
  comparePyStrings,
  isPythonFloat,
  isPythonInt,
  pyEquals,
  pyFloat,
  pyFloatRepr,
  pyIntRepr,
  pyStrip,
  pyTruthy,
  toJsonValue,
  toNumber,
} from './python-value';
import { loadPythonVectors } from './testdata/vectors';

const py = loadPythonVectors();

describe('pyFloatRepr', () => {
  it('matches Python repr() for every vector', () => {
    const bad: string[] = [];
    for (const r of py.float_repr) {
      const got = pyFloatRepr(Number(r));
      if (got !== r) bad.push(`${r} -> ${got}`);
    }
    expect(bad).toEqual([]);
    expect(py.float_repr.length).toBeGreaterThan(600);
  });
  it('formats the documented examples', () => {
    expect(pyFloatRepr(4)).toBe('4.0');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(-0)).toBe('-0.0');
    expect(pyFloatRepr(NaN)).toBe('nan');
    expect(pyFloatRepr(-Infinity)).toBe('-inf');
  });
  it('pyIntRepr never uses exponents', () => {
    expect(pyIntRepr(1e21)).toBe('1000000000000000000000');
    expect(pyIntRepr(-0)).toBe('0');
    expect(pyIntRepr(-12)).toBe('-12');
  });
});

describe('Python value semantics', () => {
  it('pyFloat is canonical', () => {
    expect(pyFloat(4)).toBeInstanceOf(PyFloat);
    expect(pyFloat(0.5)).toBe(0.5);
    expect(isPythonFloat(pyFloat(1))).toBe(true);
    expect(isPythonFloat(0.1)).toBe(true);
    expect(isPythonFloat(1)).toBe(false);
    expect(isPythonInt(1)).toBe(true);
    expect(toNumber(pyFloat(3))).toBe(3);
    expect(Number(pyFloat(3))).toBe(3);
    expect(String(pyFloat(3))).toBe('3.0');
  });
  it('truthiness', () => {
    for (const v of [null, false, 0, pyFloat(0), pyFloat(-0), '', [], {}]) expect(pyTruthy(v)).toBe(false);
    for (const v of [true, 1, 0.5, NaN, 'x', [0], { a: 0 }, pyFloat(1)]) expect(pyTruthy(v)).toBe(true);
  });
  it('== (1 == 1.0 == True; dicts unordered; None only equals None)', () => {
    expect(pyEquals(1, pyFloat(1))).toBe(true);
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals(false, pyFloat(0))).toBe(true);
    expect(pyEquals(null, false)).toBe(false);
    expect(pyEquals('1', 1)).toBe(false);
    expect(pyEquals({ a: 1, b: [1, 2] }, { b: [true, 2], a: pyFloat(1) })).toBe(true);
    expect(pyEquals([1], [1, 2])).toBe(false);
    expect(pyEquals(NaN, NaN)).toBe(false);
  });
  it('code point string order and str.strip()', () => {
    expect(comparePyStrings('\uffff', '\u{1F600}')).toBeLessThan(0);
    expect(comparePyStrings('a', 'ab')).toBeLessThan(0);
    expect(comparePyStrings('B', 'a')).toBeLessThan(0);
    expect(pyStrip('\u3000 x\t\n\x1c')).toBe('x');
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
  });
  it('toJsonValue freezes, normalizes and rejects non-JSON data', () => {
    const v = toJsonValue({ a: [1, { b: new PyFloat(0.5) }] }) as { a: [number, { b: number }] };
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(v.a[1].b).toBe(0.5);
    expect(() => toJsonValue({ a: undefined }, 'x')).toThrow(AdapterConfigError);
    expect(() => toJsonValue(new Date())).toThrow(AdapterConfigError);
    expect(() => toJsonValue(() => 1)).toThrow(AdapterConfigError);
    const cyc: Record<string, unknown> = {};
    cyc['self'] = cyc;
    expect(() => toJsonValue(cyc)).toThrow(/circular/);
    const proto = toJsonValue(JSON.parse('{"__proto__": 1}')) as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});
