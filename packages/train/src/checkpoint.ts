import {
  AdapterFormatError,
  type Storage,
  joinPath,
  parseJsonObject,
  readSafetensorsAsTensors,
  tensorsToSafetensors,
  utf8,
} from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { LogEntry } from './events';

/** File names of a trainer checkpoint folder (`<outputDir>/checkpoint-<step>/`). */
export const CHECKPOINT_FILES = {
  /** Step, epoch, position in the epoch, RNG state, best metric, log history — written last. */
  state: 'trainer_state.json',
  /** Every trained variable (adapters, fusion layers, heads) by state-dict key. */
  trainable: 'trainable.safetensors',
  /** Optimizer state (AdamW moments and step count). */
  optimizer: 'optimizer.safetensors',
  /** `<outputDir>/latest-checkpoint.json`: the newest complete checkpoint. */
  latest: 'latest-checkpoint.json',
} as const;

/** Format tag of {@link TrainerState}. */
export const TRAINER_STATE_FORMAT = 'adapters-ts-trainer/1';

/** Everything besides tensors that a resumed run needs to continue exactly. */
export interface TrainerState {
  format: typeof TRAINER_STATE_FORMAT;
  /** Optimizer steps done. */
  step: number;
  /** Current epoch (0-based). */
  epoch: number;
  /** Micro-batches of the current epoch already consumed. */
  batchInEpoch: number;
  /** State of the dropout-seed generator. */
  rngState: number;
  /** Run settings a resume must share (they fix the data order). */
  seed: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  trainSize: number;
  totalSteps: number;
  /** Best evaluation value of `metricForBestModel` so far, and its step. */
  bestMetric: number | null;
  bestStep: number | null;
  /** Evaluations in a row without improvement (early stopping). */
  evalsWithoutImprovement: number;
  /** Sum of the logged training losses (for the run's mean loss). */
  trainLossSum: number;
  /** Every log entry so far. */
  history: LogEntry[];
}

/** Writes a folder's tensors file. */
async function writeTensors(storage: Storage, path: string, tensors: ReadonlyMap<string, tf.Tensor>): Promise<void> {
  await storage.writeFile(path, tensorsToSafetensors(tensors));
}

/**
 * Writes a checkpoint folder: the trained variables, the optimizer state, optional extra files
 * (`artifacts`, e.g. the adapters in Python's format) and, last, `trainer_state.json`; then points
 * `<outputDir>/latest-checkpoint.json` at it. Each file is written atomically by the storage, and a
 * folder counts as a checkpoint only once its state file exists, so a crash at any moment leaves
 * the previous checkpoint usable.
 */
export async function saveCheckpoint(
  storage: Storage,
  outputDir: string,
  name: string,
  parts: {
    state: TrainerState;
    variables: ReadonlyMap<string, tf.Tensor>;
    optimizer: ReadonlyMap<string, tf.Tensor>;
    artifacts?: (dir: string) => Promise<void>;
  },
): Promise<string> {
  const dir = joinPath(outputDir, name);
  await storage.mkdir(dir);
  await writeTensors(storage, joinPath(dir, CHECKPOINT_FILES.trainable), parts.variables);
  await writeTensors(storage, joinPath(dir, CHECKPOINT_FILES.optimizer), parts.optimizer);
  if (parts.artifacts) await parts.artifacts(dir);
  await storage.writeFile(joinPath(dir, CHECKPOINT_FILES.state), utf8.encode(`${JSON.stringify(parts.state, null, 2)}\n`));
  await storage.writeFile(joinPath(outputDir, CHECKPOINT_FILES.latest), utf8.encode(`${JSON.stringify({ checkpoint: name, step: parts.state.step })}\n`));
  return dir;
}

/** Writes the trained variables of the best model (`<outputDir>/best/`), artifacts first. */
export async function saveBest(storage: Storage, dir: string, variables: ReadonlyMap<string, tf.Tensor>, meta: Record<string, unknown>, artifacts?: (dir: string) => Promise<void>): Promise<void> {
  await storage.mkdir(dir);
  await writeTensors(storage, joinPath(dir, CHECKPOINT_FILES.trainable), variables);
  if (artifacts) await artifacts(dir);
  await storage.writeFile(joinPath(dir, 'best.json'), utf8.encode(`${JSON.stringify(meta)}\n`));
}

const stepOf = (name: string): number => {
  const m = /^checkpoint-(\d+)$/.exec(name);
  return m ? Number(m[1]) : -1;
};

/**
 * The newest complete checkpoint folder under `outputDir`, or null: the one named by
 * `latest-checkpoint.json` when its state file exists, else (storage with `list`) the
 * `checkpoint-<step>` folder with the highest step that has a state file.
 */
export async function findLatestCheckpoint(storage: Storage, outputDir: string): Promise<string | null> {
  const pointer = joinPath(outputDir, CHECKPOINT_FILES.latest);
  if (await storage.exists(pointer)) {
    try {
      const json = parseJsonObject(await storage.readFile(pointer), pointer);
      if (typeof json.checkpoint === 'string' && !json.checkpoint.includes('/') && !json.checkpoint.includes('..')) {
        const dir = joinPath(outputDir, json.checkpoint);
        if (await storage.exists(joinPath(dir, CHECKPOINT_FILES.state))) return dir;
      }
    } catch {
      // fall through to the folder scan
    }
  }
  if (!storage.list || !(await storage.exists(outputDir))) return null;
  const names = (await storage.list(outputDir)).filter((n) => stepOf(n) >= 0).sort((a, b) => stepOf(b) - stepOf(a));
  for (const n of names) {
    const dir = joinPath(outputDir, n);
    if (await storage.exists(joinPath(dir, CHECKPOINT_FILES.state))) return dir;
  }
  return null;
}

/** A checkpoint read back (the caller disposes the tensors). */
export interface LoadedCheckpoint {
  dir: string;
  state: TrainerState;
  variables: Map<string, tf.Tensor>;
  optimizer: Map<string, tf.Tensor>;
}

/** Reads a checkpoint folder written by {@link saveCheckpoint}. */
export async function loadCheckpoint(storage: Storage, dir: string): Promise<LoadedCheckpoint> {
  const statePath = joinPath(dir, CHECKPOINT_FILES.state);
  if (!(await storage.exists(statePath))) throw new AdapterFormatError(dir, `not a complete checkpoint (no ${CHECKPOINT_FILES.state})`);
  const json = parseJsonObject(await storage.readFile(statePath), statePath);
  if (json.format !== TRAINER_STATE_FORMAT) throw new AdapterFormatError(statePath, `unknown trainer state format ${JSON.stringify(json.format)}`, 'format');
  const read = async (f: string): Promise<Map<string, tf.Tensor>> => {
    const p = joinPath(dir, f);
    return readSafetensorsAsTensors(await storage.readFile(p), p);
  };
  const variables = await read(CHECKPOINT_FILES.trainable);
  const optimizer = await read(CHECKPOINT_FILES.optimizer);
  return { dir, state: json as unknown as TrainerState, variables, optimizer };
}
