/** Shard lists of sharded checkpoints (`model.safetensors.index.json`); environment-free. */
import { AdapterFormatError } from '@adapters/core';

/**
 * The distinct shard files named by a parsed `model.safetensors.index.json`, in first-use order.
 *
 * @param index The parsed JSON of the index file.
 * @param indexPath The index file's path or URL, named in errors.
 * @throws AdapterFormatError when `weight_map` is missing or names something that is not a
 *   relative file name inside the repository.
 */
export function shardFiles(index: unknown, indexPath: string): string[] {
  const map = typeof index === 'object' && index !== null ? (index as Record<string, unknown>).weight_map : undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new AdapterFormatError(indexPath, 'missing "weight_map" object', 'weight_map');
  const names = [...new Set(Object.values(map as Record<string, unknown>))];
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0) throw new AdapterFormatError(indexPath, `shard name ${JSON.stringify(n)} is not a file name`, 'weight_map');
  }
  return names as string[];
}
