/**
 * One-call loading from the Hub without a file system (the browser build of
 * `loadPretrainedFromHub` / `loadAdapterFromHub`): the files are fetched into memory, at one
 * commit, and handed to the `@adapters/core` loaders.
 */
import {
  type AdapterModel,
  FetchStorage,
  type LoadAdapterOptions,
  type LoadPretrainedOptions,
  MemoryStorage,
  loadAdapter,
  loadPretrained,
  parseJsonObject,
} from '@adapters/core';
import { HubNotFoundError } from './errors';
import { type HubStorageOptions, HubStorage } from './hub-storage';
import { pickRevision, resolveAdapterId } from './ids';
import { shardFiles } from './shards';

/** A folder URL (`https://…`, `/models/x`, `./x`) rather than a Hub id. */
function isUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^\.{0,2}\//.test(s);
}

/** Opens `id` (`org/name`, `hf:org/name@rev`) at the revision it or the options pin. */
function open(id: string, opts: HubStorageOptions): HubStorage {
  const { repoId, revision } = resolveAdapterId(id);
  return new HubStorage(repoId, { ...opts, revision: pickRevision(id, revision, opts.revision) });
}

/** The same repository at the commit its first answer named, so that every file comes from one version. */
function atCommit(s: HubStorage, opts: HubStorageOptions): HubStorage {
  return s.commit === undefined || s.commit === s.revision ? s : new HubStorage(s.repoId, { ...opts, revision: s.commit });
}

/**
 * Fetches the first of `candidates` that exists into `into`; returns its name.
 * @throws {@link HubNotFoundError} naming every candidate when none exists.
 */
async function fetchFirst(s: HubStorage, candidates: readonly string[], into: MemoryStorage): Promise<string> {
  for (const file of candidates) {
    try {
      // The bytes are kept as fetched (no copy): large checkpoints are not held twice.
      into.files.set(file, await s.readFile(file));
      return file;
    } catch (e) {
      if (e instanceof HubNotFoundError && e.kind === 'file') continue;
      throw e;
    }
  }
  throw new HubNotFoundError({
    repoId: s.repoId,
    file: candidates.join(' | '),
    revision: s.revision,
    kind: 'file',
    detail: `none of ${candidates.map((c) => `"${c}"`).join(', ')} exists`,
  });
}

/** The last path segment of a folder URL (the default model name). */
function folderName(url: string): string {
  return url.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
}

/**
 * `loadPretrained` for a Hub model id (`org/name`, `hf:org/name@rev`) or a folder URL: fetches
 * `config.json`, then `model.safetensors`, else `model.safetensors.index.json` and every shard it
 * names, else `pytorch_model.bin` — all at the commit the first answer named — and loads them.
 * `modelName` defaults to the repository id, as Python's `name_or_path`.
 *
 * @throws {@link HubNotFoundError} for a missing repository, revision or file (naming them);
 *   {@link HubDownloadError} for other HTTP or network failures.
 */
export async function loadPretrainedFromHub(
  idOrUrl: string,
  opts: LoadPretrainedOptions & { download?: HubStorageOptions } = {},
): Promise<AdapterModel> {
  const dl = opts.download ?? {};
  if (isUrl(idOrUrl)) {
    return loadPretrained(new FetchStorage(idOrUrl, dl.fetch ? { fetch: dl.fetch } : {}), '', { ...opts, modelName: opts.modelName ?? folderName(idOrUrl) });
  }
  const first = open(idOrUrl, dl);
  const files = new MemoryStorage();
  await fetchFirst(first, ['config.json'], files);
  const s = atCommit(first, dl);
  const weights = await fetchFirst(s, ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin'], files);
  if (weights === 'model.safetensors.index.json') {
    const indexUrl = s.url(weights);
    for (const shard of shardFiles(parseJsonObject(await files.readFile(weights), indexUrl), indexUrl)) await fetchFirst(s, [shard], files);
  }
  return loadPretrained(files, '', { ...opts, modelName: opts.modelName ?? first.repoId });
}

/**
 * The browser build of `loadAdapterFromHub`, like Python's `model.load_adapter("AdapterHub/…")`:
 * resolves the id as Python does (`AdapterHub/x` and `org/x` are Hub repositories,
 * `hf:org/x@rev` pins a revision), fetches `adapter_config.json` and `adapter.safetensors` (else
 * `pytorch_adapter.bin`) at one commit and loads them; a folder URL is read as it is. Returns the
 * adapter name.
 *
 * @throws {@link HubNotFoundError} for a missing repository, revision or file (naming them);
 *   {@link HubDownloadError} for other HTTP or network failures.
 */
export async function loadAdapterFromHub(
  model: AdapterModel,
  idOrUrl: string,
  opts: LoadAdapterOptions & { download?: HubStorageOptions } = {},
): Promise<string> {
  const dl = opts.download ?? {};
  if (isUrl(idOrUrl)) return loadAdapter(model, new FetchStorage(idOrUrl, dl.fetch ? { fetch: dl.fetch } : {}), '', opts);
  const first = open(idOrUrl, dl);
  const files = new MemoryStorage();
  await fetchFirst(first, ['adapter_config.json'], files);
  await fetchFirst(atCommit(first, dl), ['adapter.safetensors', 'pytorch_adapter.bin'], files);
  return loadAdapter(model, files, '', opts);
}
