import { CompositionError } from '../errors';
import { ALLOWED_NESTINGS, type AdapterSetup, type SetupNode } from './blocks';

/**
 * Python's `parse_composition`: a plain name at top level becomes `Stack(name)`; the setup is
 * validated against {@link ALLOWED_NESTINGS} and the depth rule (only Stack or names at depth ≥ 2).
 */
export function normalizeSetup(setup: AdapterSetup | readonly string[] | null | undefined): SetupNode | null {
  if (setup === null || setup === undefined) return null;
  if (Array.isArray(setup)) {
    // Deprecated list syntax: a list at top level is a Stack.
    const node: SetupNode = { type: 'Stack', children: [...(setup as readonly string[])] };
    validateComposition(node);
    return node;
  }
  const node = setup as SetupNode;
  if (typeof node === 'string') return { type: 'Stack', children: [node] };
  validateComposition(node);
  return node;
}

/** Throws {@link CompositionError} when a nesting or depth is not allowed (Python `validate_composition`). */
export function validateComposition(node: SetupNode, level = 0): void {
  if (level > 1 && typeof node !== 'string' && node.type !== 'Stack') {
    throw new CompositionError(`Adapter setup is too deep. Cannot have ${node.type} at level ${level}.`);
  }
  if (typeof node === 'string') return;
  if (node.children.length === 0) throw new CompositionError(`${node.type} block has no children.`);
  for (const child of node.children) {
    const kind = typeof child === 'string' ? 'single' : child.type;
    if (!ALLOWED_NESTINGS[node.type].includes(kind)) {
      throw new CompositionError(
        `Adapter setup is invalid. Cannot nest ${kind === 'single' ? 'an adapter name' : kind} in ${node.type}. ` +
          `Allowed in ${node.type}: ${ALLOWED_NESTINGS[node.type].join(', ')}.`,
      );
    }
    validateComposition(child, level + 1);
  }
  if (node.type === 'Split' && node.splits.length !== node.children.length) {
    throw new CompositionError(`Split: ${node.splits.length} splits for ${node.children.length} children.`);
  }
  if (node.type === 'BatchSplit' && node.batchSizes.length !== node.children.length) {
    throw new CompositionError(`BatchSplit: ${node.batchSizes.length} batch_sizes for ${node.children.length} children.`);
  }
  if (node.type === 'Average' && node.weights.length !== node.children.length) {
    throw new CompositionError(`Average: ${node.weights.length} weights for ${node.children.length} children.`);
  }
}
