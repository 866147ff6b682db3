import { describe, expect, it } from 'vitest';
import { Parallel, Stack } from '../composition/blocks';
import { CompositionError } from '../errors';
import { ForwardContext } from '../forward-context';
import { type ComposableOps, CompositionEngine } from './compose';

/** A state of one number per batch row; adapter `x` adds its offset to every row. */
type Rows = number[];
const OFFSET: Record<string, number> = { a: 10, b: 100, c: 1000 };

function ops(parallelPassThrough?: boolean): ComposableOps<Rows> {
  return {
    label: 'residual site block.ffn@1 (encoder.layer.1.output)',
    supported: ['Stack', 'Parallel'],
    allowMultiParallelize: false,
    ...(parallelPassThrough === undefined ? {} : { parallelPassThrough }),
    batchSize: (s) => s.length,
    vslice: (s, a, b) => s.slice(a, b),
    gatherRows: (s, idx) => idx.map((i) => s[i]!),
    padAndConcat: (states) => states.flat(),
    repeat: (s, n) => Array.from({ length: n }, () => s).flat(),
    mean: (states) => states[0]!,
    preBlock: (_setup, s) => s,
    composeSingle: (name, s) => s.map((x) => x + OFFSET[name]!),
  };
}

function run(names: string[], setup: Parameters<CompositionEngine<Rows>['compose']>[0], passThrough?: boolean): Rows {
  const engine = new CompositionEngine(ops(passThrough), new Set(names), new ForwardContext({ training: false, setup }));
  return engine.compose(setup, [1, 2]);
}

describe('CompositionEngine: Parallel placement', () => {
  it('every child with a module here: the batch is replicated, child i transforms copy i', () => {
    expect(run(['a', 'b'], Parallel('a', 'b'))).toEqual([11, 12, 101, 102]);
  });

  it('no child with a module here: the copies pass through', () => {
    expect(run(['c'], Parallel('a', 'b'))).toEqual([1, 2, 1, 2]);
  });

  it('only some children with a module here: a CompositionError naming the adapters and the site', () => {
    for (const [names, here, absent] of [
      [['a'], '"a" has a module', '"b" has none'],
      [['b'], '"b" has a module', '"a" has none'],
    ] as const) {
      let err: unknown;
      try {
        run([...names], Parallel('a', 'b'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CompositionError);
      const msg = (err as Error).message;
      expect(msg).toContain('Parallel[a, b]');
      expect(msg).toContain(here);
      expect(msg).toContain(absent);
      expect(msg).toContain('block.ffn@1 (encoder.layer.1.output)');
    }
  });

  it('a nested child counts as placed when any of its adapters has a module here', () => {
    expect(run(['a', 'c'], Parallel(Stack('a', 'b'), 'c'))).toEqual([11, 12, 1001, 1002]);
    expect(() => run(['a'], Parallel(Stack('a', 'b'), 'c'))).toThrow(/"Stack\[a, b\]" has a module .* "c" has none/);
  });

  it('sites that pass such children through (prefix tuning) keep the unplaced copy unchanged', () => {
    expect(run(['a'], Parallel('a', 'b'), true)).toEqual([11, 12, 1, 2]);
  });
});
