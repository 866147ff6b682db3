import { describe, expect, it } from 'vitest';
import { CompositionError } from '../errors';
import { Average, BatchSplit, Fuse, Parallel, Split, Stack, firstAdapter, flattenSetup, lastAdapter, parallelChannels } from './blocks';
import { parseSetupString, setupFromDict, setupToDict } from './serialize';
import { normalizeSetup, validateComposition } from './validate';

describe('composition blocks', () => {
  it('parses Python-style setup strings', () => {
    expect(parseSetupString('Stack(a, Fuse(b, c))')).toEqual(Stack('a', Fuse('b', 'c')));
    expect(parseSetupString('Parallel(a,b)')).toEqual(Parallel('a', 'b'));
    expect(parseSetupString('BatchSplit(a,b,batch_sizes=[1,2])')).toEqual(BatchSplit('a', 'b', { batchSizes: [1, 2] }));
    expect(parseSetupString('Split(a, b, splits=3)')).toEqual(Split('a', 'b', { splits: 3 }));
    expect(parseSetupString('Average(a,b,weights=[1,3])')).toEqual(Average('a', 'b', { weights: [0.25, 0.75] }));
    expect(parseSetupString('lora')).toBe('lora');
    expect(() => parseSetupString('Stack(a,')).toThrow(CompositionError);
    expect(() => parseSetupString('Frob(a)')).toThrow(/Unknown composition block "Frob"/);
  });

  it('round-trips Python to_dict form', () => {
    const s = Stack('a', Average('b', 'c', { weights: [1, 1] }));
    const d = setupToDict(s);
    expect(d).toEqual({
      type: 'Stack',
      children: [
        { type: 'single', children: ['a'] },
        { type: 'Average', children: [{ type: 'single', children: ['b'] }, { type: 'single', children: ['c'] }], kwargs: { weights: [0.5, 0.5] } },
      ],
    });
    expect(setupFromDict(d)).toEqual(s);
  });

  it('first/last/flatten/parallel channels like Python', () => {
    const s = Stack(Parallel('a', 'b', 'c'), 'd');
    expect(firstAdapter(s)).toBe('a');
    expect(lastAdapter(s)).toBe('d');
    expect(flattenSetup(s)).toEqual(['a', 'b', 'c', 'd']);
    expect(parallelChannels(s)).toBe(3);
  });

  it('validates nestings (ALLOWED_NESTINGS) and depth', () => {
    expect(() => validateComposition(Fuse('a', Parallel('b', 'c')))).toThrow(/Cannot nest Parallel in Fuse/);
    expect(() => validateComposition(Stack(Fuse('a', Stack('b', Split('c', 'd', { splits: 1 })))))).toThrow(/too deep/);
    expect(() => validateComposition(Stack('a', Fuse('b', Stack('c', 'd'))))).not.toThrow();
    expect(normalizeSetup('a')).toEqual(Stack('a'));
    expect(normalizeSetup(['a', 'b'])).toEqual(Stack('a', 'b'));
    expect(() => validateComposition(BatchSplit('a', 'b', { batchSizes: [1] }))).toThrow(/1 batch_sizes for 2 children/);
  });
});
