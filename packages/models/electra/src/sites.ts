import type { Site } from '@adapters/core';
import type { ElectraConfig } from './config';
import { encoderSites } from './encoder';

/**
 * Every hook site of ELECTRA with Python's module paths. The embedding site is `embedding_size`
 * wide: Python hooks the `embeddings` module, before `embeddings_project`.
 */
export function electraSites(c: ElectraConfig): Site[] {
  return [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: c.embeddingSize }, ...encoderSites(c)];
}
