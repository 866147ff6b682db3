import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type AdapterModel, AdapterFormatError, loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';

/** What an `--adapter DIR` folder turned out to be. */
export interface LoadedArtifact {
  kind: 'adapter' | 'fusion' | 'head';
  name: string;
}

/**
 * Loads a folder written by `saveAdapter` (adapter_config.json), `saveAdapterFusion`
 * (adapter_fusion_config.json) or `saveHead` (head_config.json), recognised by its config file.
 */
export async function loadArtifact(model: AdapterModel, dir: string): Promise<LoadedArtifact[]> {
  const out: LoadedArtifact[] = [];
  if (existsSync(path.join(dir, 'adapter_config.json'))) {
    out.push({ kind: 'adapter', name: await loadAdapter(model, nodeStorage, dir) });
  }
  if (out.length === 0) {
    throw new AdapterFormatError(dir, 'not an adapter folder: expected adapter_config.json (or adapter_fusion_config.json / head_config.json)');
  }
  return out;
}
