import { AdamW, AdapterFormatError, AdaptersError, type Optimizer, asBackendOutOfMemoryError, SGD, joinPath, readSafetensorsAsTensors, tensorsToSafetensors } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch } from './batch';
import { CHECKPOINT_FILES, TRAINER_STATE_FORMAT, type TrainerState, findLatestCheckpoint, loadCheckpoint, saveBest, saveCheckpoint } from './checkpoint';
import type { EvalLog, LogEntry } from './events';
import type { TrainResult, TrainerOptions } from './options';
import { SeededRng, mixSeed, shuffledIndices } from './rng';
import { lrLambda, warmupStepsFor } from './schedules';
import { GradientAccumulator } from './update';

const BEST_FILE = 'best.safetensors';

function positiveInt(name: string, v: number | undefined, fallback: number, allowZero = false): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < (allowZero ? 0 : 1)) throw new AdaptersError(`${name} must be a${allowZero ? ' non-negative' : ' positive'} integer, got ${v}.`);
  return x;
}

/** Options of {@link Trainer.train}. */
export interface TrainRunOptions {
  /**
   * Resume: `true` from the newest complete checkpoint under `outputDir` (a fresh start when there
   * is none), or the path of a checkpoint folder. The run then continues exactly as the
   * uninterrupted run would: same data order, dropout masks, optimizer state and schedule.
   */
  resume?: boolean | string;
}

/**
 * Trains the variables of a {@link TrainTask} (adapters, fusion layers, heads — whatever
 * `trainAdapter` / `trainAdapterFusion` made trainable): AdamW or SGD, `transformers` learning-rate
 * schedules with warm-up, gradient clipping, gradient accumulation, periodic evaluation with
 * metrics, best-model tracking, early stopping and checkpoints that resume bit-exactly.
 *
 * Every forward pass runs inside `tf.tidy` / `tf.variableGrads`; the number of live tensors does not
 * grow from step to step.
 */
export class Trainer<E> {
  readonly options: TrainerOptions<E>;
  private bestWeights: Map<string, tf.Tensor> | null = null;
  private lastEval: Record<string, number> | null = null;

  constructor(options: TrainerOptions<E>) {
    this.options = options;
    positiveInt('batchSize', options.batchSize, 8);
    positiveInt('gradientAccumulationSteps', options.gradientAccumulationSteps, 1);
    positiveInt('evalEvery', options.evalEvery, 0, true);
    positiveInt('saveEvery', options.saveEvery, 0, true);
    positiveInt('logEvery', options.logEvery, 1);
    if (options.maxSteps !== undefined) positiveInt('maxSteps', options.maxSteps, 0, true);
    const epochs = options.epochs ?? 3;
    if (!(epochs > 0) || !Number.isFinite(epochs)) throw new AdaptersError(`epochs must be a positive number, got ${options.epochs}.`);
    const lr = options.learningRate ?? 1e-4;
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new AdaptersError(`learningRate must be a non-negative number, got ${options.learningRate}.`);
    if (options.maxGradNorm !== undefined && options.maxGradNorm !== null && !(options.maxGradNorm > 0)) {
      throw new AdaptersError(`maxGradNorm must be positive (or null to disable clipping), got ${options.maxGradNorm}.`);
    }
    if ((options.saveEvery ?? 0) > 0 && (!options.storage || !options.outputDir)) throw new AdaptersError('saveEvery needs storage and outputDir.');
    if (options.earlyStoppingPatience !== undefined) positiveInt('earlyStoppingPatience', options.earlyStoppingPatience, 1);
    if ((options.earlyStoppingPatience !== undefined || options.loadBestModelAtEnd) && !options.evalData) {
      throw new AdaptersError('earlyStoppingPatience and loadBestModelAtEnd need evalData.');
    }
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 8;
  }

  private get accumulation(): number {
    return this.options.gradientAccumulationSteps ?? 1;
  }

  /** Micro-batches per epoch. */
  get batchesPerEpoch(): number {
    const n = this.options.trainData.length;
    return this.options.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Optimizer steps of the whole run (`maxSteps`, else `ceil(epochs · ceil(batches / accumulation))`). */
  get totalSteps(): number {
    if (this.options.maxSteps) return this.options.maxSteps;
    return Math.ceil((this.options.epochs ?? 3) * Math.ceil(this.batchesPerEpoch / this.accumulation));
  }

  /** The learning rate of optimizer step `step` (0-based). */
  learningRateAt(step: number): number {
    const total = this.totalSteps;
    const warmup = warmupStepsFor(total, this.options.warmupSteps ?? 0, this.options.warmupRatio ?? 0);
    return (this.options.learningRate ?? 1e-4) * lrLambda({ name: this.options.schedule ?? 'linear', warmupSteps: warmup, totalSteps: total })(step);
  }

  private makeOptimizer(): Optimizer {
    const o = this.options;
    const lr = o.learningRate ?? 1e-4;
    if ((o.optimizer ?? 'adamw') === 'sgd') return new SGD(lr);
    return new AdamW({ lr, beta1: o.adamBeta1 ?? 0.9, beta2: o.adamBeta2 ?? 0.999, eps: o.adamEpsilon ?? 1e-8, weightDecay: o.weightDecay ?? 0 });
  }

  private emit(state: TrainerState | null, entry: LogEntry): void {
    state?.history.push(entry);
    this.options.onLog?.(entry);
  }

  /**
   * Evaluates on `data` (default: `evalData`): mean loss weighted by `batch.size` as `eval_loss` plus
   * `eval_<name>` for every metric of `computeMetrics`. Dropout off.
   */
  async evaluate(data: readonly E[] | undefined = this.options.evalData): Promise<Record<string, number>> {
    if (!data || data.length === 0) throw new AdaptersError('evaluate needs evaluation data (evalData).');
    const bs = this.options.evalBatchSize ?? this.batchSize;
    const logits: (number[] | number[][])[] = [];
    const labels: (number | readonly number[])[] = [];
    let lossSum = 0;
    let weight = 0;
    for (let i = 0; i < data.length; i += bs) {
      const batch = this.options.collate(data.slice(i, i + bs));
      try {
        const out = tf.tidy(() => {
          const o = this.options.task.forward(batch, { training: false, seed: 0 });
          return { loss: o.loss, logits: o.logits };
        });
        try {
          lossSum += (await out.loss.data())[0]! * batch.size;
          weight += batch.size;
          logits.push(...((await out.logits.array()) as (number[] | number[][])[]));
        } finally {
          tf.dispose([out.loss, out.logits]);
        }
        labels.push(...batch.targets);
      } finally {
        disposeBatch(batch);
      }
    }
    const metrics: Record<string, number> = { eval_loss: weight > 0 ? lossSum / weight : Number.NaN };
    if (this.options.computeMetrics) {
      for (const [k, v] of Object.entries(this.options.computeMetrics({ logits, labels }))) metrics[k.startsWith('eval_') ? k : `eval_${k}`] = v;
    }
    return metrics;
  }

  /** Trains; see {@link TrainRunOptions} for resuming. */
  async train(run: TrainRunOptions = {}): Promise<TrainResult> {
    const o = this.options;
    const n = o.trainData.length;
    const nBatches = this.batchesPerEpoch;
    if (nBatches === 0) throw new AdaptersError(`No training batches: ${n} examples with batchSize ${this.batchSize}${o.dropLast ? ' and dropLast' : ''}.`);
    const totalSteps = this.totalSteps;
    const seed = o.seed ?? 42;
    const bs = this.batchSize;
    const accum = this.accumulation;
    const vars = o.task.trainableVariables();
    const optimizer = this.makeOptimizer();
    const rng = new SeededRng(mixSeed(seed, 'dropout'));
    let state: TrainerState = {
      format: TRAINER_STATE_FORMAT,
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      rngState: rng.state,
      seed,
      batchSize: bs,
      gradientAccumulationSteps: accum,
      trainSize: n,
      totalSteps,
      bestMetric: null,
      bestStep: null,
      evalsWithoutImprovement: 0,
      trainLossSum: 0,
      history: [],
    };
    let resumedFrom: string | null = null;
    try {
      if (run.resume) {
        const dir = await this.resolveResume(run.resume);
        if (dir) {
          state = await this.restore(dir, vars, optimizer, state);
          rng.state = state.rngState;
          state.totalSteps = totalSteps;
          resumedFrom = dir;
          this.emit(null, { kind: 'resume', step: state.step, dir });
        }
      }
      const stoppedEarly = await this.loop(state, vars, optimizer, rng, nBatches);
      if (o.evalData && (o.evalAtEnd ?? true) && !stoppedEarly && !this.evaluatedAt(state, state.step)) {
        await this.evaluateAndTrack(state, vars, nBatches);
      }
      if (o.loadBestModelAtEnd && this.bestWeights) {
        for (const [k, v] of vars) {
          const best = this.bestWeights.get(k);
          if (best) v.assign(best);
        }
      }
      return {
        step: state.step,
        epoch: state.epoch + state.batchInEpoch / nBatches,
        trainLoss: state.step > 0 ? state.trainLossSum / state.step : Number.NaN,
        bestMetric: state.bestMetric,
        bestStep: state.bestStep,
        stoppedEarly,
        resumedFrom,
        evalMetrics: this.lastEval,
        history: state.history,
      };
    } finally {
      optimizer.dispose();
    }
  }

  private evaluatedAt(state: TrainerState, step: number): boolean {
    return state.history.some((e) => e.kind === 'eval' && e.step === step);
  }

  private async resolveResume(resume: boolean | string): Promise<string | null> {
    const o = this.options;
    if (!o.storage) throw new AdaptersError('resume needs storage (and outputDir or a checkpoint path).');
    if (typeof resume === 'string') return resume;
    if (!o.outputDir) throw new AdaptersError('resume: true needs outputDir.');
    return findLatestCheckpoint(o.storage, o.outputDir);
  }

  private async restore(dir: string, vars: ReadonlyMap<string, tf.Variable>, optimizer: Optimizer, fresh: TrainerState): Promise<TrainerState> {
    const ckpt = await loadCheckpoint(this.options.storage!, dir);
    try {
      for (const field of ['seed', 'batchSize', 'gradientAccumulationSteps', 'trainSize'] as const) {
        if (ckpt.state[field] !== fresh[field]) {
          throw new AdaptersError(`Cannot resume from ${dir}: ${field} was ${ckpt.state[field]}, now ${fresh[field]} (the data order would differ).`);
        }
      }
      const missing = [...vars.keys()].filter((k) => !ckpt.variables.has(k));
      const extra = [...ckpt.variables.keys()].filter((k) => !vars.has(k));
      if (missing.length || extra.length) {
        throw new AdapterFormatError(joinPath(dir, CHECKPOINT_FILES.trainable), `trained variables differ from the model's (missing: ${missing.slice(0, 5).join(', ') || 'none'}; unexpected: ${extra.slice(0, 5).join(', ') || 'none'})`);
      }
      for (const [k, v] of vars) {
        const t = ckpt.variables.get(k)!;
        if (t.shape.join() !== v.shape.join()) throw new AdapterFormatError(dir, `${k}: shape [${t.shape}] in the checkpoint, [${v.shape}] in the model`, k);
        v.assign(t);
      }
      optimizer.loadState(ckpt.optimizer);
      const bestPath = joinPath(dir, BEST_FILE);
      if (ckpt.state.bestStep !== null && (await this.options.storage!.exists(bestPath))) {
        this.setBest(readSafetensorsAsTensors(await this.options.storage!.readFile(bestPath), bestPath));
      }
      return ckpt.state;
    } finally {
      tf.dispose([...ckpt.variables.values(), ...ckpt.optimizer.values()]);
    }
  }

  private setBest(weights: Map<string, tf.Tensor> | null): void {
    if (this.bestWeights) tf.dispose([...this.bestWeights.values()]);
    this.bestWeights = weights;
  }

  /** The training loop; returns true when early stopping ended it. */
  private async loop(state: TrainerState, vars: ReadonlyMap<string, tf.Variable>, optimizer: Optimizer, rng: SeededRng, nBatches: number): Promise<boolean> {
    const o = this.options;
    const n = o.trainData.length;
    const bs = this.batchSize;
    const started = performance.now();
    const startStep = state.step;
    while (state.step < state.totalSteps) {
      // Each epoch has its own order, from the seed and the epoch number alone (resumable).
      const epoch = state.epoch;
      const order = shuffledIndices(n, mixSeed(state.seed, 'epoch', epoch));
      while (state.epoch === epoch && state.step < state.totalSteps) {
        const group = Math.min(this.accumulation, nBatches - state.batchInEpoch);
        const acc = new GradientAccumulator(vars);
        let gradNorm: number;
        const lr = this.learningRateAt(state.step);
        try {
          for (let g = 0; g < group; g++) {
            const b = state.batchInEpoch + g;
            const batch = o.collate(order.slice(b * bs, Math.min((b + 1) * bs, n)).map((i) => o.trainData[i]!));
            const dropoutSeed = rng.nextSeed();
            try {
              await acc.add(() => o.task.forward(batch, { training: true, seed: dropoutSeed }).loss);
            } finally {
              disposeBatch(batch);
            }
          }
          const loss = acc.meanLoss;
          gradNorm = await acc.apply(optimizer, lr, { maxGradNorm: o.maxGradNorm === undefined ? 1 : o.maxGradNorm, step: state.step + 1 });
          state.trainLossSum += loss;
          state.step++;
          state.batchInEpoch += group;
          if (state.batchInEpoch >= nBatches) {
            state.epoch++;
            state.batchInEpoch = 0;
          }
          state.rngState = rng.state;
          if (state.step % (o.logEvery ?? 1) === 0 || state.step === state.totalSteps) {
            const elapsedMs = performance.now() - started;
            const done = state.step - startStep;
            this.emit(state, {
              kind: 'step',
              step: state.step,
              totalSteps: state.totalSteps,
              epoch: state.epoch + state.batchInEpoch / nBatches,
              loss,
              lr,
              gradNorm,
              elapsedMs,
              etaMs: (elapsedMs / done) * (state.totalSteps - state.step),
            });
          }
        } catch (e) {
          throw asBackendOutOfMemoryError(e, `training step ${state.step + 1}`) ?? e;
        } finally {
          acc.dispose();
        }
        let stop = false;
        if (o.evalData && o.evalEvery && state.step % o.evalEvery === 0) stop = await this.evaluateAndTrack(state, vars, nBatches);
        if (o.saveEvery && state.step % o.saveEvery === 0) await this.checkpoint(state, vars, optimizer);
        if (stop) {
          this.emit(state, { kind: 'early_stop', step: state.step, bestStep: state.bestStep, bestMetric: state.bestMetric });
          return true;
        }
      }
    }
    return false;
  }

  /** Evaluates, updates the best model and the patience counter; true when training should stop. */
  private async evaluateAndTrack(state: TrainerState, vars: ReadonlyMap<string, tf.Variable>, nBatches: number): Promise<boolean> {
    const o = this.options;
    const metrics = await this.evaluate();
    this.lastEval = metrics;
    const name = o.metricForBestModel ?? 'loss';
    const key = name.startsWith('eval_') ? name : `eval_${name}`;
    const value = metrics[key];
    if (value === undefined) throw new AdaptersError(`metricForBestModel "${name}" is not among the evaluation metrics (${Object.keys(metrics).join(', ')}).`);
    const greater = o.greaterIsBetter ?? key !== 'eval_loss';
    const prev = state.bestMetric;
    const better = prev === null || (greater ? value > prev : value < prev);
    const entry: EvalLog = { kind: 'eval', step: state.step, epoch: state.epoch + state.batchInEpoch / nBatches, metrics, best: better };
    if (better) {
      state.bestMetric = value;
      state.bestStep = state.step;
      this.setBest(new Map([...vars].map(([k, v]) => [k, tf.keep(v.clone())])));
      if (o.storage && o.outputDir) {
        await saveBest(o.storage, joinPath(o.outputDir, 'best'), this.bestWeights!, { step: state.step, [key]: value }, o.saveArtifacts);
      }
    }
    const threshold = o.earlyStoppingThreshold ?? 0;
    if (prev === null || (better && Math.abs(value - prev) > threshold)) state.evalsWithoutImprovement = 0;
    else state.evalsWithoutImprovement++;
    this.emit(state, entry);
    return o.earlyStoppingPatience !== undefined && state.evalsWithoutImprovement >= o.earlyStoppingPatience;
  }

  private async checkpoint(state: TrainerState, vars: ReadonlyMap<string, tf.Variable>, optimizer: Optimizer): Promise<void> {
    const o = this.options;
    const optState = optimizer.state();
    try {
      const name = `checkpoint-${state.step}`;
      const best = this.bestWeights;
      const dir = await saveCheckpoint(o.storage!, o.outputDir!, name, {
        state,
        variables: vars,
        optimizer: optState,
        artifacts: async (d) => {
          if (best) await o.storage!.writeFile(joinPath(d, BEST_FILE), tensorsToSafetensors(best));
          if (o.saveArtifacts) await o.saveArtifacts(d);
        },
      });
      this.emit(state, { kind: 'checkpoint', step: state.step, dir });
    } finally {
      tf.dispose([...optState.values()]);
    }
  }

  /** Frees the best-model copy held in memory. */
  dispose(): void {
    this.setBest(null);
  }
}
