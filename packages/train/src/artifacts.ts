import { type AdapterModel, type SetupNode, type Storage, flattenSetup, fusionName, joinPath, saveAdapter } from '@adapters/core';
import { FlexHeadModel, headSetupNames, saveAdapterWithHead, saveHead } from '@adapters/heads';

/** Options of {@link saveTrainedArtifacts}. */
export interface SaveTrainedOptions {
  /**
   * Writes a fusion folder (pass `saveAdapterFusion` from `@adapters/bottleneck`); without it,
   * fusion layers are saved only in the checkpoint's `trainable.safetensors`.
   */
  saveFusion?: (model: AdapterModel, storage: Storage, dir: string, name: string) => Promise<void>;
  /** Save every adapter of the active setup, not only those with trainable parameters. Default false. */
  includeFrozen?: boolean;
}

function fuseBlocks(node: SetupNode | null, out: string[] = []): string[] {
  if (node === null || typeof node === 'string') return out;
  if (node.type === 'Fuse') out.push(fusionName(node));
  for (const c of node.children) fuseBlocks(c, out);
  return out;
}

/**
 * Saves what training changed, in Python's formats, into `<dir>/<name>/` folders: each trained
 * adapter of the active setup (with its head when a head of the same name exists — Python
 * `save_adapter(with_head=True)`), each active head without a same-name adapter (`save_head`), and
 * each trained fusion of the setup (with `saveFusion`). Returns the folder names written.
 */
export async function saveTrainedArtifacts(model: AdapterModel, storage: Storage, dir: string, opts: SaveTrainedOptions = {}): Promise<string[]> {
  const setup = model.activeAdapters;
  const written: string[] = [];
  const adapters = setup ? [...new Set(flattenSetup(setup))] : [];
  const isFlex = model instanceof FlexHeadModel;
  for (const name of adapters) {
    const trained = [...model.adapterParameters(name).values()].some((v) => v.trainable);
    if (!trained && !opts.includeFrozen) continue;
    const out = joinPath(dir, name);
    if (isFlex && model.heads.has(name)) await saveAdapterWithHead(model, storage, out, name);
    else await saveAdapter(model, storage, out, name);
    written.push(name);
  }
  if (isFlex && model.activeHead !== null) {
    for (const head of headSetupNames(model.activeHead)) {
      if (written.includes(head) || !model.heads.has(head)) continue;
      await saveHead(model, storage, joinPath(dir, head), head);
      written.push(head);
    }
  }
  if (opts.saveFusion) {
    for (const f of fuseBlocks(setup)) {
      const trained = [...model.fusionParameters(f).values()].some((v) => v.trainable);
      if (!trained || written.includes(f)) continue;
      await opts.saveFusion(model, storage, joinPath(dir, f), f);
      written.push(f);
    }
  }
  return written;
}
