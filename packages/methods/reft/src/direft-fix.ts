import {
  ADAPTER_FILES,
  AdapterConfigError,
  type AdapterModel,
  type LoadAdapterOptions,
  type SaveAdapterOptions,
  type Storage,
  configValue,
  joinPath,
  loadAdapter,
  pythonJsonDumps,
  readJson,
  saveAdapter,
  utf8,
} from '@adapters/core';

/**
 * Python bug `direft-subtract-projection-not-saved` (adapters 1.1.0): `ReftConfig.subtract_projection` is an
 * un-annotated class attribute, so it is not a dataclass field and never reaches `adapter_config.json`. A saved
 * DiReFT (`subtract_projection = false`) therefore reloads as a `ReftConfig` with `subtract_projection = true`
 * (NoReFT behaviour). The core `saveAdapter`/`loadAdapter` reproduce this; the helpers below are the opt-in fix.
 */

/** Options of {@link saveReftAdapter}. */
export interface SaveReftAdapterOptions extends SaveAdapterOptions {
  /**
   * Opt-in fix: write `"subtract_projection": false` into the saved config of a DiReFT-like adapter. Both this
   * library's `loadAdapter` and Python's (`AdapterConfig.from_dict` sets unknown keys as attributes) then
   * reload it with `subtract_projection = false`. Default false (the file is byte-identical to Python's).
   */
  fixDiReftReload?: boolean;
}

/** `saveAdapter` with the opt-in DiReFT fix (see {@link SaveReftAdapterOptions.fixDiReftReload}). */
export async function saveReftAdapter(model: AdapterModel, storage: Storage, dir: string, name: string, opts: SaveReftAdapterOptions = {}): Promise<void> {
  const { fixDiReftReload, ...rest } = opts;
  await saveAdapter(model, storage, dir, name, rest);
  const config = model.adapterConfig(name);
  if (!fixDiReftReload || configValue(config, 'architecture') !== 'reft' || configValue(config, 'subtract_projection') !== false) return;
  const path = joinPath(dir, ADAPTER_FILES.config);
  const json = await readJson(storage, path, { python: true });
  (json.config as Record<string, unknown>).subtract_projection = false;
  await storage.writeFile(path, utf8.encode(pythonJsonDumps(json, { indent: 2, sortKeys: true })));
}

/** Options of {@link loadReftAdapter}. */
export interface LoadReftAdapterOptions extends LoadAdapterOptions {
  /**
   * Opt-in fix for DiReFT adapters saved by Python: the value of `subtract_projection` to load with (Python
   * `AdapterConfig.load(..., subtract_projection=False)`), since the file cannot tell a DiReFT from a NoReFT.
   * Undefined: whatever the file says (default `true`, i.e. the library's reload behaviour).
   */
  subtractProjection?: boolean;
}

/** `loadAdapter` for ReFT adapters, with an optional `subtract_projection` override (the DiReFT fix). */
export async function loadReftAdapter(model: AdapterModel, storage: Storage, dir: string, opts: LoadReftAdapterOptions = {}): Promise<string> {
  const { subtractProjection, ...rest } = opts;
  if (subtractProjection === undefined) return loadAdapter(model, storage, dir, rest);
  const configPath = joinPath(dir, ADAPTER_FILES.config);
  const patched: Storage = {
    readFile: async (p) => {
      if (p !== configPath) return storage.readFile(p);
      const json = await readJson(storage, p, { python: true });
      const config = json.config as Record<string, unknown> | undefined;
      if (!config || config.architecture !== 'reft') throw new AdapterConfigError(`${p} is not a ReFT adapter config`, 'subtract_projection');
      config.subtract_projection = subtractProjection;
      return utf8.encode(pythonJsonDumps(json, { indent: 2, sortKeys: true }));
    },
    writeFile: (p, d) => storage.writeFile(p, d),
    exists: (p) => storage.exists(p),
    mkdir: (p) => storage.mkdir(p),
    ...(storage.list ? { list: (p: string) => storage.list!(p) } : {}),
  };
  return loadAdapter(model, patched, dir, rest);
}
