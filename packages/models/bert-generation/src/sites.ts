import type { Site } from '@adapters/core';
import type { BertGenerationConfig } from './config';
import { encoderSites } from './encoder';

/** Every hook site of BertGenerationEncoder with Python's module paths (as Python's BERT integration). */
export function bertGenerationSites(c: BertGenerationConfig): Site[] {
  return [{ kind: 'embedding', point: 'embed.out', layer: -1, path: 'embeddings', hiddenSize: c.hiddenSize }, ...encoderSites(c)];
}
