import { type SetupNode, lastAdapter } from '@adapters/core';

/**
 * Which head(s) run: one name, a list (every head on the whole batch), a `BatchSplit` of heads
 * (head i gets `batchSizes[i]` rows) or a `Parallel` of heads (head i gets the i-th replica of
 * the batch made by a Parallel adapter block).
 */
export type HeadSetup =
  | string
  | readonly string[]
  | { readonly type: 'BatchSplit'; readonly children: readonly string[]; readonly batchSizes: readonly number[] }
  | { readonly type: 'Parallel'; readonly children: readonly string[] };

/** A head setup in normal form. */
export type ResolvedHeadSetup =
  | { readonly kind: 'list'; readonly names: readonly string[] }
  | { readonly kind: 'batchsplit'; readonly names: readonly string[]; readonly batchSizes: readonly number[] }
  | { readonly kind: 'parallel'; readonly names: readonly string[] };

/**
 * Python `parse_heads_from_composition`: the head setup implied by an adapter setup. A Stack uses
 * its last child; a name is that head; `Parallel` → a list of one head per child (its last
 * adapter; run per replica because the adapter setup is parallel);
 * `BatchSplit` → a BatchSplit of heads; anything else (Fuse, Split, Average, …) → null.
 */
export function parseHeadsFromComposition(setup: SetupNode | null): HeadSetup | null {
  if (setup === null) return null;
  let last: SetupNode = setup;
  if (typeof last !== 'string' && last.type === 'Stack') {
    const c = last.children[last.children.length - 1];
    if (c === undefined) return null;
    last = c;
  }
  if (typeof last === 'string') return last;
  if (last.type === 'Parallel') return last.children.map(lastAdapter);
  if (last.type === 'BatchSplit') return { type: 'BatchSplit', children: last.children.map(lastAdapter), batchSizes: [...last.batchSizes] };
  return null;
}

/** The head names of a setup. */
export function headSetupNames(setup: HeadSetup): readonly string[] {
  if (typeof setup === 'string') return [setup];
  if (Array.isArray(setup)) return setup as readonly string[];
  return (setup as { children: readonly string[] }).children;
}

/** Normal form of a head setup. */
export function resolveHeadSetup(setup: HeadSetup): ResolvedHeadSetup {
  if (typeof setup === 'string') return { kind: 'list', names: [setup] };
  if (Array.isArray(setup)) return { kind: 'list', names: [...(setup as readonly string[])] };
  const block = setup as Exclude<HeadSetup, string | readonly string[]>;
  if (block.type === 'BatchSplit') return { kind: 'batchsplit', names: block.children, batchSizes: block.batchSizes };
  return { kind: 'parallel', names: block.children };
}
