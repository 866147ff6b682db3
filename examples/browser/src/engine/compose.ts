/** Composition of trained adapters on one sentence: which adapter setup and which heads run. */
import { Average, Parallel, Stack, type AdapterSetup, CompositionError } from '@adapters/core';
import type { HeadSetup } from '@adapters/heads';

/** How the selected adapters are combined. */
export type ComposeKind = 'single' | 'Stack' | 'Parallel' | 'Average';

/** What the compose panel asks for. */
export interface ComposeSpec {
  kind: ComposeKind;
  /** Adapters, in order (`single`: exactly one). */
  adapters: string[];
  sentence: string;
  /** Tokens (special tokens included). */
  maxLength: number;
}

/** The adapter setup of a spec and the heads to run (Python's head rules, see below). */
export function composition(spec: Pick<ComposeSpec, 'kind' | 'adapters'>): { setup: AdapterSetup; heads: HeadSetup } {
  const a = spec.adapters;
  if (a.length === 0) throw new CompositionError('select at least one adapter');
  if (spec.kind === 'single') {
    if (a.length !== 1) throw new CompositionError(`'single' takes one adapter, got ${a.length}`);
    return { setup: a[0]!, heads: a[0]! };
  }
  if (a.length < 2) throw new CompositionError(`${spec.kind} needs at least two adapters, got ${a.length}`);
  switch (spec.kind) {
    // Python parse_heads_from_composition: a Stack uses its last adapter's head …
    case 'Stack':
      return { setup: Stack(...a), heads: a[a.length - 1]! };
    // … a Parallel block runs each adapter's head on its own replica of the batch …
    case 'Parallel':
      return { setup: Parallel(...a), heads: { type: 'Parallel', children: a } };
    // … and Average implies no head: every adapter's head runs on the averaged representation.
    case 'Average':
      return { setup: Average(...a), heads: a };
  }
}
