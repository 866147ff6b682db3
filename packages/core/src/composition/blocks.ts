/**
 * Composition blocks as plain, serialisable data (the analogue of Python's
 * `adapters.composition`). A setup is either an adapter name or a block whose children are
 * names or blocks.
 */

/** The kinds of composition block, named as in Python. */
export type BlockType = 'Stack' | 'Fuse' | 'Split' | 'BatchSplit' | 'Parallel' | 'Average' | 'MultiTask';

/** A child of a block: an adapter name or a nested block. */
export type SetupNode = string | CompositionBlock;

interface BlockBase<T extends BlockType> {
  readonly type: T;
  readonly children: readonly SetupNode[];
}
/** Sequential application: each child transforms the output of the previous one. */
export type StackBlock = BlockBase<'Stack'>;
/** AdapterFusion over the children; `name` defaults to the comma-joined last adapters. */
export interface FuseBlock extends BlockBase<'Fuse'> {
  readonly name?: string;
}
/** Split the sequence dimension: child i gets `splits[i]` tokens. */
export interface SplitBlock extends BlockBase<'Split'> {
  readonly splits: readonly number[];
}
/** Split the batch dimension: child i gets `batchSizes[i]` rows. */
export interface BatchSplitBlock extends BlockBase<'BatchSplit'> {
  readonly batchSizes: readonly number[];
}
/** Run every child on the same input (the batch is replicated once per child). */
export type ParallelBlock = BlockBase<'Parallel'>;
/** Output averaging with (normalised) weights. */
export interface AverageBlock extends BlockBase<'Average'> {
  readonly weights: readonly number[];
}
/** Per-example routing by task ids given at forward time. */
export type MultiTaskBlock = BlockBase<'MultiTask'>;

/** Any composition block. */
export type CompositionBlock =
  | StackBlock
  | FuseBlock
  | SplitBlock
  | BatchSplitBlock
  | ParallelBlock
  | AverageBlock
  | MultiTaskBlock;

/** What may be activated: a single adapter name or a block. */
export type AdapterSetup = SetupNode;

/** Python's `ALLOWED_NESTINGS`: which children each block may contain (`'single'` = a name). */
export const ALLOWED_NESTINGS: Readonly<Record<BlockType, readonly (BlockType | 'single')[]>> = {
  Stack: ['single', 'Fuse', 'Split', 'Parallel', 'BatchSplit', 'Average', 'MultiTask'],
  Fuse: ['single', 'Stack'],
  Split: ['single', 'Split', 'Stack', 'BatchSplit', 'Average'],
  Parallel: ['single', 'Stack', 'BatchSplit', 'Average'],
  MultiTask: ['single', 'Stack', 'Average', 'Fuse'],
  BatchSplit: ['single', 'Stack', 'Split', 'BatchSplit', 'Average'],
  Average: ['single', 'Stack', 'Split', 'BatchSplit'],
};

/** `Stack(a, b, …)`. */
export function Stack(...children: SetupNode[]): StackBlock {
  return { type: 'Stack', children };
}
/** `Fuse(a, b, …)`; pass `{ name }` as last argument for a custom fusion name. */
export function Fuse(...args: (SetupNode | { name: string })[]): FuseBlock {
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !('type' in last)) {
    return { type: 'Fuse', children: args.slice(0, -1) as SetupNode[], name: last.name };
  }
  return { type: 'Fuse', children: args as SetupNode[] };
}
/** `Split(a, b, …, { splits })`; an int is repeated for every child (as in Python). */
export function Split(...args: [...SetupNode[], { splits: number | readonly number[] }]): SplitBlock {
  const opts = args[args.length - 1] as { splits: number | readonly number[] };
  const children = args.slice(0, -1) as SetupNode[];
  const splits = typeof opts.splits === 'number' ? children.map(() => opts.splits as number) : [...opts.splits];
  return { type: 'Split', children, splits };
}
/** `BatchSplit(a, b, …, { batchSizes })`; an int is repeated for every child. */
export function BatchSplit(...args: [...SetupNode[], { batchSizes: number | readonly number[] }]): BatchSplitBlock {
  const opts = args[args.length - 1] as { batchSizes: number | readonly number[] };
  const children = args.slice(0, -1) as SetupNode[];
  const sizes = opts.batchSizes;
  const batchSizes = typeof sizes === 'number' ? children.map(() => sizes) : [...sizes];
  return { type: 'BatchSplit', children, batchSizes };
}
/** `Parallel(a, b, …)`. */
export function Parallel(...children: SetupNode[]): ParallelBlock {
  return { type: 'Parallel', children };
}
/** `MultiTask(a, b, …)`. */
export function MultiTask(...children: SetupNode[]): MultiTaskBlock {
  return { type: 'MultiTask', children };
}
/**
 * `Average(a, b, …, { weights?, normalizeWeights? })`. Default weights are `1/N`; given weights are
 * divided by their sum unless `normalizeWeights` is false (as in Python).
 */
export function Average(
  ...args: (SetupNode | { weights?: readonly number[]; normalizeWeights?: boolean })[]
): AverageBlock {
  const last = args[args.length - 1];
  let opts: { weights?: readonly number[]; normalizeWeights?: boolean } = {};
  let children = args as SetupNode[];
  if (last !== undefined && typeof last === 'object' && !('type' in last)) {
    opts = last;
    children = args.slice(0, -1) as SetupNode[];
  }
  let weights: number[];
  if (opts.weights === undefined) weights = children.map(() => 1 / children.length);
  else if (opts.normalizeWeights === false) weights = [...opts.weights];
  else {
    const sum = opts.weights.reduce((a, b) => a + b, 0);
    weights = opts.weights.map((w) => w / sum);
  }
  return { type: 'Average', children, weights };
}

/** True when `node` is a block (not a name). */
export function isBlock(node: SetupNode): node is CompositionBlock {
  return typeof node !== 'string';
}

/** First leaf adapter name (Python `first()`). */
export function firstAdapter(node: SetupNode): string {
  if (typeof node === 'string') return node;
  const c = node.children[0];
  if (c === undefined) throw new Error(`Empty ${node.type} block`);
  return firstAdapter(c);
}

/** Last leaf adapter name (Python `last()`). */
export function lastAdapter(node: SetupNode): string {
  if (typeof node === 'string') return node;
  const c = node.children[node.children.length - 1];
  if (c === undefined) throw new Error(`Empty ${node.type} block`);
  return lastAdapter(c);
}

/** All leaf adapter names (Python `flatten()`), in first-seen order. */
export function flattenSetup(node: SetupNode): string[] {
  const out: string[] = [];
  const walk = (n: SetupNode): void => {
    if (typeof n === 'string') {
      if (!out.includes(n)) out.push(n);
    } else n.children.forEach(walk);
  };
  walk(node);
  return out;
}

/** Number of parallel channels (Python `parallel_channels`). */
export function parallelChannels(node: SetupNode): number {
  if (typeof node === 'string') return 1;
  if (node.type === 'Parallel') return node.children.length;
  return Math.max(1, ...node.children.map(parallelChannels));
}

/** The fusion name of a Fuse block: custom name or comma-joined last adapters of the children. */
export function fusionName(block: FuseBlock): string {
  return block.name ?? block.children.map(lastAdapter).join(',');
}

/** Python-style string form, e.g. `Stack[a, Fuse[b, c]]`. */
export function setupToString(node: SetupNode): string {
  if (typeof node === 'string') return node;
  return `${node.type}[${node.children.map(setupToString).join(', ')}]`;
}
