/**
 * Crash-consistent saving of a config + weights file pair (`adapter_config.json` +
 * `adapter.safetensors`, the fusion and head pairs), keeping both files exactly as Python writes
 * them.
 *
 * Each {@link Storage.writeFile} is atomic, but a pair is two writes: a crash between them would
 * leave a new config beside old weights (or the reverse), which loads wrongly or not at all. So a
 * save also keeps two small hidden side files next to the pair:
 * - `.<config>.commit`: checksums (CRC-32 + length) of the pair being written (`current`) and of
 *   the pair it replaces (`previous`);
 * - `.<config>.prev`: a copy of the previous config (configs are small; weights are never copied).
 *
 * Save order: `.prev` (old config) → `.commit` → config → weights. The weights are replaced last,
 * atomically, so until then the old weights are on disk and `.prev` holds their config. On load,
 * {@link readFilePair} accepts the pair when it matches `current` or `previous`, uses `.prev`
 * when a crash struck between the config and the weights, and treats folders without a commit
 * record (Python's) — or rewritten by another tool — as they are.
 */
import { AdapterFormatError } from '../errors';
import { crc32 } from '../io/crc32';
import { type Storage, joinPath, utf8 } from '../storage';
import type { WarnFn } from '../config';

/** File names of a pair, relative to its folder. */
export interface FilePairNames {
  /** The JSON config, e.g. `adapter_config.json`. */
  config: string;
  /** Weights file names in load order, e.g. `['adapter.safetensors', 'pytorch_adapter.bin']`; the first is written. */
  weights: readonly string[];
}

/** A pair read back by {@link readFilePair}. */
export interface FilePair {
  configPath: string;
  configBytes: Uint8Array;
  weightsPath: string;
  weightsBytes: Uint8Array;
  /** `true` when an interrupted save was detected and the previous config (`.prev`) was used. */
  recovered: boolean;
}

interface Sums {
  config: string;
  weightsFile: string;
  weights: string;
}

interface CommitRecord {
  format: typeof FORMAT;
  current: Sums;
  previous: Sums | null;
}

const FORMAT = 'adapters-ts.commit.v1';

/** Names of the side files of a pair's config. */
export function pairSideFiles(configName: string): { commit: string; prev: string } {
  return { commit: `.${configName}.commit`, prev: `.${configName}.prev` };
}

/** A checksum for detecting torn pairs (not a security hash): CRC-32 and byte length. */
function sum(bytes: Uint8Array): string {
  return `crc32:${crc32(bytes).toString(16).padStart(8, '0')}:${bytes.length}`;
}

async function readIfExists(storage: Storage, path: string): Promise<Uint8Array | undefined> {
  return (await storage.exists(path)) ? storage.readFile(path) : undefined;
}

function parseCommit(bytes: Uint8Array | undefined): CommitRecord | undefined {
  if (!bytes) return undefined;
  try {
    const v = JSON.parse(utf8.decode(bytes)) as Partial<CommitRecord>;
    const ok = (s: unknown): s is Sums =>
      typeof s === 'object' && s !== null && ['config', 'weightsFile', 'weights'].every((k) => typeof (s as Record<string, unknown>)[k] === 'string');
    if (v.format !== FORMAT || !ok(v.current) || !(v.previous === null || ok(v.previous))) return undefined;
    return v as CommitRecord;
  } catch {
    return undefined; // unreadable record: behave as a folder without one
  }
}

/** The weights file that a load would use (the first that exists). */
async function findWeights(storage: Storage, dir: string, names: readonly string[]): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  for (const name of names) {
    const bytes = await readIfExists(storage, joinPath(dir, name));
    if (bytes) return { name, bytes };
  }
  return undefined;
}

const matches = (s: Sums | null, config: string, weightsFile: string, weights: string): boolean =>
  s !== null && s.config === config && s.weightsFile === weightsFile && s.weights === weights;

/**
 * Reads a config + weights pair, resolving an interrupted {@link writeFilePair}: returns the
 * last completely written pair.
 * @throws AdapterFormatError when a file is missing, or when an interrupted save left no
 * consistent pair (the message names the files).
 */
export async function readFilePair(storage: Storage, dir: string, names: FilePairNames, warn?: WarnFn): Promise<FilePair> {
  const configPath = joinPath(dir, names.config);
  const side = pairSideFiles(names.config);
  let configBytes: Uint8Array;
  try {
    configBytes = await storage.readFile(configPath);
  } catch (e) {
    throw new AdapterFormatError(configPath, `cannot read file: ${(e as Error).message}`);
  }
  const weights = await findWeights(storage, dir, names.weights);
  if (!weights) throw new AdapterFormatError(dir, `no weights file found (looked for ${names.weights.join(' and ')})`);
  const weightsPath = joinPath(dir, weights.name);
  const plain = { configPath, configBytes, weightsPath, weightsBytes: weights.bytes, recovered: false };
  const record = parseCommit(await readIfExists(storage, joinPath(dir, side.commit)));
  if (!record) return plain; // Python's folders and older saves: nothing to check

  const c = sum(configBytes);
  const w = sum(weights.bytes);
  if (matches(record.current, c, weights.name, w) || matches(record.previous, c, weights.name, w)) return plain;
  const prev = record.previous;
  const cur = record.current;
  const newWeightsOnDisk = cur.weightsFile === weights.name && cur.weights === w;
  if (!newWeightsOnDisk && prev && prev.weightsFile === weights.name && prev.weights === w) {
    // The new weights never landed (crash after the new config, before the new weights): the
    // previous pair is `.prev` + the weights on disk, whatever the config file holds now.
    const prevPath = joinPath(dir, side.prev);
    const prevBytes = await readIfExists(storage, prevPath);
    if (prevBytes && sum(prevBytes) === prev.config) {
      warn?.(`${dir}: an interrupted save was detected; loading the previously saved ${names.config} (from ${side.prev}) with its weights`);
      return { configPath: prevPath, configBytes: prevBytes, weightsPath, weightsBytes: weights.bytes, recovered: true };
    }
    throw new AdapterFormatError(
      configPath,
      `an interrupted save left a new config beside the previous weights (${weights.name}) and the previous config (${side.prev}) is missing or changed: re-save the adapter`,
    );
  }
  // Written or edited by another tool since (e.g. Python's save_adapter): use the files as they are.
  warn?.(`${dir}: ${names.config} / ${weights.name} changed since this library saved them (${side.commit} is stale); loading them as they are`);
  return plain;
}

/**
 * Writes a config + weights pair so that a crash at any moment leaves either the previous pair or
 * the new one loadable by {@link readFilePair} (see the module comment for the protocol). Both
 * files are byte-identical to a plain write; two hidden side files are added.
 */
export async function writeFilePair(storage: Storage, dir: string, names: FilePairNames, configBytes: Uint8Array, weightsBytes: Uint8Array): Promise<void> {
  const side = pairSideFiles(names.config);
  const weightsName = names.weights[0];
  if (weightsName === undefined) throw new AdapterFormatError(dir, 'no weights file name given');
  await storage.mkdir(dir);
  let previous: Sums | null = null;
  let existing: FilePair | undefined;
  try {
    existing = await readFilePair(storage, dir, names);
  } catch {
    existing = undefined; // nothing (consistent) to preserve
  }
  if (existing) {
    previous = { config: sum(existing.configBytes), weightsFile: existing.weightsPath.split('/').pop() ?? weightsName, weights: sum(existing.weightsBytes) };
    const prevPath = joinPath(dir, side.prev);
    const old = await readIfExists(storage, prevPath);
    if (!old || sum(old) !== previous.config) await storage.writeFile(prevPath, existing.configBytes);
  }
  const record: CommitRecord = { format: FORMAT, current: { config: sum(configBytes), weightsFile: weightsName, weights: sum(weightsBytes) }, previous };
  await storage.writeFile(joinPath(dir, side.commit), utf8.encode(`${JSON.stringify(record, null, 2)}\n`));
  await storage.writeFile(joinPath(dir, names.config), configBytes);
  await storage.writeFile(joinPath(dir, weightsName), weightsBytes);
}
