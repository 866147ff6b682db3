import { type SetupNode } from '../composition/blocks';
import { setupFromDict, setupToDict } from '../composition/serialize';
import { pythonJsonDumps } from '../config';
import { AdapterFormatError } from '../errors';
import { type Storage, joinPath, utf8 } from '../storage';
import { ADAPTER_FILES, ADAPTERS_VERSION, readJson } from './adapter-files';

/** Contents of Python's `adapter_setup.json`. */
export interface AdapterSetupFile {
  adapterSetup: SetupNode | null;
  /** Head setup as Python stores it (string, list, dict or null). */
  headSetup: unknown;
}

/** Writes `adapter_setup.json` (`adapter_setup`, `head_setup`, `version`) like Python. */
export async function saveAdapterSetup(storage: Storage, dir: string, setup: SetupNode | null, headSetup: unknown = null): Promise<void> {
  const json = {
    adapter_setup: setup === null ? null : setupToDict(setup),
    head_setup: headSetup,
    version: ADAPTERS_VERSION,
  };
  await storage.mkdir(dir);
  await storage.writeFile(joinPath(dir, ADAPTER_FILES.setup), utf8.encode(pythonJsonDumps(json, { indent: 2, sortKeys: true })));
}

/** Reads `adapter_setup.json`. */
export async function loadAdapterSetup(storage: Storage, dir: string): Promise<AdapterSetupFile> {
  const path = joinPath(dir, ADAPTER_FILES.setup);
  const json = await readJson(storage, path);
  try {
    const raw = json.adapter_setup;
    return { adapterSetup: raw === null || raw === undefined ? null : setupFromDict(raw), headSetup: json.head_setup ?? null };
  } catch (e) {
    throw new AdapterFormatError(path, (e as Error).message, 'adapter_setup');
  }
}
