import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type AdapterModel, AdapterFormatError, loadAdapter } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { loadAdapterFusion } from '@adapters/bottleneck';
import { FlexHeadModel, hasHead, loadAdapterWithHead, loadHead } from '@adapters/heads';

/** What an `--adapter DIR` folder turned out to be. */
export interface LoadedArtifact {
  kind: 'adapter' | 'fusion' | 'head';
  name: string;
}

/**
 * Loads a folder written by `saveAdapter` (adapter_config.json), `saveHead` (head_config.json +
 * model_head.safetensors / pytorch_model_head.bin) or both (Python `save_adapter(…, with_head=True)`),
 * recognised by its files. PEFT folders are pointed to `adapters convert`.
 */
export async function loadArtifact(model: AdapterModel, dir: string): Promise<LoadedArtifact[]> {
  const out: LoadedArtifact[] = [];
  const adapterConfig = path.join(dir, 'adapter_config.json');
  const withHead = model instanceof FlexHeadModel && (await hasHead(nodeStorage, dir));
  if (existsSync(adapterConfig)) {
    const json = JSON.parse(readFileSync(adapterConfig, 'utf8')) as Record<string, unknown>;
    if (typeof json.peft_type === 'string') {
      throw new AdapterFormatError(dir, `a PEFT ${json.peft_type} checkpoint: convert it first with \`adapters convert --from peft --to adapters --in ${dir} --out OUT --model MODEL\``, 'peft_type');
    }
    if (withHead) {
      const r = await loadAdapterWithHead(model, nodeStorage, dir);
      out.push({ kind: 'adapter', name: r.adapter });
      if (r.head !== null) out.push({ kind: 'head', name: r.head });
    } else {
      out.push({ kind: 'adapter', name: await loadAdapter(model, nodeStorage, dir) });
    }
  } else if (existsSync(path.join(dir, 'adapter_fusion_config.json'))) {
    // A folder written by saveAdapterFusion: its adapters must be loaded (earlier --adapter flags).
    out.push({ kind: 'fusion', name: await loadAdapterFusion(model, nodeStorage, dir) });
  } else if (withHead) {
    out.push({ kind: 'head', name: await loadHead(model as FlexHeadModel, nodeStorage, dir) });
  }
  if (out.length === 0) {
    throw new AdapterFormatError(dir, 'not an adapter folder: expected adapter_config.json, adapter_fusion_config.json and/or head_config.json with model_head.safetensors');
  }
  return out;
}
