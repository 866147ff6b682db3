import { MemoryStorage, NonFiniteError, Parallel, Stack } from '@adapters/core';
import { saveAdapterFusion } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type Batch, type LogEntry, Trainer, classificationMetrics, functionTask, headTask, lrLambda, saveTrainedArtifacts } from '../src';
import { type IdsExample, idsCollate, idsData, maxDiff, snapshot, tinyModel } from './helpers';

/** A scalar-parameter task: loss = mean over the batch of (w − c)², examples are the numbers c. */
function quadraticTask(w: tf.Variable): ReturnType<typeof functionTask> {
  return functionTask(
    () => new Map([['w', w]]),
    (b) => {
      const c = b.labels!;
      const loss = tf.mean(tf.square(tf.sub(w, c))) as tf.Scalar;
      return { loss, logits: tf.reshape(w, [1, 1]) };
    },
  );
}

const numbersCollate = (xs: readonly number[]): Batch => ({ inputs: {}, labels: tf.tensor1d([...xs]), targets: [...xs], size: xs.length });

describe('Trainer updates (closed form)', () => {
  it('AdamW with weight decay and a linear warm-up schedule equals the PyTorch formulas step by step', async () => {
    const w = tf.variable(tf.tensor1d([0.5]));
    const data = [1, 2, 4];
    const [lr, b1, b2, eps, wd] = [0.1, 0.9, 0.999, 1e-8, 0.01];
    const lrs: number[] = [];
    const trainer = new Trainer({
      task: quadraticTask(w),
      trainData: data,
      collate: numbersCollate,
      batchSize: 3,
      epochs: 4,
      learningRate: lr,
      weightDecay: wd,
      schedule: 'linear',
      warmupSteps: 1,
      maxGradNorm: null,
      onLog: (e) => e.kind === 'step' && lrs.push(e.lr),
    });
    await trainer.train();
    // float64 reference: g = 2(w − mean c); lr_k = lr·λ(k) with transformers' linear schedule
    const lambda = lrLambda({ name: 'linear', warmupSteps: 1, totalSteps: 4 });
    let p = 0.5;
    let m = 0;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const g = 2 * (p - 7 / 3);
      const lrK = lr * lambda(k);
      expect(lrs[k]).toBeCloseTo(lrK, 12);
      p *= 1 - lrK * wd;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      p -= (lrK * (m / (1 - b1 ** (k + 1)))) / (Math.sqrt(v / (1 - b2 ** (k + 1))) + eps);
    }
    expect(lrs[0]).toBe(0);
    expect(Math.abs(w.dataSync()[0]! - p)).toBeLessThanOrEqual(1e-6);
    w.dispose();
  });

  it('gradient clipping by global norm: p − lr·g·max/(‖g‖+1e-6)', async () => {
    const w = tf.variable(tf.tensor1d([3]));
    const trainer = new Trainer({ task: quadraticTask(w), trainData: [0], collate: numbersCollate, batchSize: 1, maxSteps: 1, optimizer: 'sgd', learningRate: 0.1, schedule: 'constant', maxGradNorm: 0.5 });
    const r = await trainer.train();
    const g = 6;
    expect(w.dataSync()[0]).toBeCloseTo(3 - 0.1 * g * (0.5 / (g + 1e-6)), 6);
    expect(r.history[0]).toMatchObject({ kind: 'step', gradNorm: 6 });
    w.dispose();
  });

  it('gradient accumulation (2 × batch 2) equals one batch of 4', async () => {
    const run = async (batchSize: number, accum: number): Promise<Map<string, Float32Array>> => {
      const model = tinyModel(0);
      model.addAdapter('a', 'lora');
      model.addClassificationHead('a');
      model.trainAdapter('a');
      const t = new Trainer({ task: headTask(model), trainData: idsData(8), collate: idsCollate, batchSize, gradientAccumulationSteps: accum, epochs: 2, optimizer: 'sgd', learningRate: 0.5, schedule: 'constant' });
      const r = await t.train();
      expect(r.step).toBe(4);
      const s = snapshot(model.trainableVariables());
      model.dispose();
      return s;
    };
    const a = await run(4, 1);
    const b = await run(2, 2);
    expect(maxDiff(a, b)).toBeLessThanOrEqual(1e-6);
  });

  it('a non-finite loss throws NonFiniteError and applies no update', async () => {
    const w = tf.variable(tf.tensor1d([1]));
    const task = functionTask(
      () => new Map([['w', w]]),
      () => ({ loss: tf.div(tf.sum(w), tf.scalar(0)) as tf.Scalar, logits: tf.reshape(w, [1, 1]) }),
    );
    const trainer = new Trainer({ task, trainData: [0], collate: numbersCollate, batchSize: 1, maxSteps: 2 });
    await expect(trainer.train()).rejects.toThrow(NonFiniteError);
    await expect(trainer.train()).rejects.toThrow(/at step 1/);
    expect(w.dataSync()[0]).toBe(1);
    w.dispose();
  });

  it('validates options, naming them', () => {
    const w = tf.variable(tf.tensor1d([1]));
    const base = { task: quadraticTask(w), trainData: [1], collate: numbersCollate };
    expect(() => new Trainer({ ...base, batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new Trainer({ ...base, epochs: -1 })).toThrow(/epochs must be a positive number/);
    expect(() => new Trainer({ ...base, saveEvery: 2 })).toThrow(/saveEvery needs storage and outputDir/);
    expect(() => new Trainer({ ...base, earlyStoppingPatience: 2 })).toThrow(/need evalData/);
    w.dispose();
  });
});

describe('Trainer: evaluation, early stopping, best model', () => {
  it('stops after `patience` evaluations without improvement and restores the best weights', async () => {
    // training pushes w up by lr·1 per step (loss −w); eval loss (w − 1)² is best at w = 1 (step 2)
    const w = tf.variable(tf.tensor1d([0]));
    const task = functionTask(
      () => new Map([['w', w]]),
      (_b, o) => ({ loss: (o.training ? tf.neg(tf.sum(w)) : tf.sum(tf.square(tf.sub(w, 1)))) as tf.Scalar, logits: tf.reshape(w, [1, 1]) }),
    );
    const storage = new MemoryStorage();
    const trainer = new Trainer({
      task,
      trainData: [0],
      evalData: [0],
      collate: numbersCollate,
      batchSize: 1,
      maxSteps: 20,
      optimizer: 'sgd',
      learningRate: 0.5,
      schedule: 'constant',
      maxGradNorm: null,
      evalEvery: 1,
      earlyStoppingPatience: 2,
      loadBestModelAtEnd: true,
      storage,
      outputDir: 'out',
    });
    const r = await trainer.train();
    expect(r.stoppedEarly).toBe(true);
    expect(r.step).toBe(4);
    expect(r.bestStep).toBe(2);
    expect(r.bestMetric).toBe(0);
    expect(w.dataSync()[0]).toBe(1);
    expect(r.history.filter((e) => e.kind === 'eval').map((e) => (e.kind === 'eval' ? e.metrics.eval_loss : 0))).toEqual([0.25, 0, 0.25, 1]);
    expect(storage.files.has('out/best/trainable.safetensors')).toBe(true);
    trainer.dispose();
    w.dispose();
  });

  it('reports eval_loss and classification metrics', async () => {
    const model = tinyModel(0);
    model.addAdapter('a', 'lora');
    model.addClassificationHead('a');
    model.trainAdapter('a');
    const t = new Trainer({ task: headTask(model), trainData: idsData(8), evalData: idsData(6, 9), collate: idsCollate, batchSize: 4, maxSteps: 1, computeMetrics: classificationMetrics() });
    const m = await t.evaluate();
    expect(Object.keys(m)).toEqual(['eval_loss', 'eval_accuracy', 'eval_f1', 'eval_mcc']);
    expect(m.eval_loss).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('Trainer data order', () => {
  it('reshuffles every epoch with a seeded order; the same seed gives the same batches', async () => {
    const orders = async (seed: number): Promise<number[][]> => {
      const seen: number[][] = [];
      const w = tf.variable(tf.tensor1d([0]));
      const t = new Trainer({ task: quadraticTask(w), trainData: [0, 1, 2, 3, 4, 5, 6, 7], collate: (xs) => (seen.push([...xs]), numbersCollate(xs)), batchSize: 8, epochs: 3, seed });
      await t.train();
      w.dispose();
      return seen;
    };
    const a = await orders(1);
    expect(a).toHaveLength(3);
    for (const o of a) expect([...o].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(a.map((o) => o.join())).size).toBe(3);
    expect(await orders(1)).toEqual(a);
    expect(await orders(2)).not.toEqual(a);
  });
});

describe('Trainer memory', () => {
  it('tf.memory().numTensors is the same after every step, and back to the start after the run', async () => {
    const model = tinyModel(0.1);
    model.addAdapter('a', 'lora');
    model.addClassificationHead('a');
    model.trainAdapter('a');
    const counts: number[] = [];
    const start = tf.memory().numTensors;
    const t = new Trainer({
      task: headTask(model),
      trainData: idsData(24),
      collate: idsCollate,
      batchSize: 4,
      gradientAccumulationSteps: 2,
      maxSteps: 6,
      onLog: (e) => e.kind === 'step' && counts.push(tf.memory().numTensors),
    });
    await t.train();
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    t.dispose();
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });
});

/** Builds the same model + trainer every time (same seeds). */
function resumableRun(storage: MemoryStorage, onLog?: (e: LogEntry) => void) {
  const model = tinyModel(0.1);
  model.addAdapter('a', 'lora');
  model.addClassificationHead('a');
  model.trainAdapter('a');
  const trainer = new Trainer<IdsExample>({
    task: headTask(model),
    trainData: idsData(23),
    evalData: idsData(8, 5),
    collate: idsCollate,
    computeMetrics: classificationMetrics(),
    batchSize: 2,
    gradientAccumulationSteps: 2,
    epochs: 2,
    learningRate: 5e-3,
    weightDecay: 0.01,
    schedule: 'cosine',
    warmupSteps: 2,
    evalEvery: 3,
    metricForBestModel: 'accuracy',
    loadBestModelAtEnd: true,
    saveEvery: 4,
    storage,
    outputDir: 'run',
    seed: 11,
    ...(onLog ? { onLog } : {}),
  });
  return { model, trainer };
}

describe('Trainer checkpoints', () => {
  it('an interrupted run resumed from its last checkpoint gives the same loss curve and final weights', async () => {
    const full = resumableRun(new MemoryStorage());
    const r0 = await full.trainer.train();
    expect(r0.step).toBe(12); // 12 micro-batches of 2 (23 examples) → 6 steps per epoch
    const expectedVars = snapshot(full.model.trainableVariables());
    const lossOf = (h: readonly LogEntry[]) => new Map(h.flatMap((e) => (e.kind === 'step' ? [[e.step, e.loss] as const] : [])));
    const expectedLosses = lossOf(r0.history);
    full.model.dispose();

    const storage = new MemoryStorage();
    const killed = resumableRun(storage, (e) => {
      if (e.kind === 'step' && e.step === 10) throw new Error('simulated crash');
    });
    await expect(killed.trainer.train()).rejects.toThrow('simulated crash');
    killed.model.dispose();
    // checkpoint-8 is in the second epoch (6 steps per epoch): the resumed run must reshuffle as the first did
    expect([...storage.files.keys()].filter((k) => k.endsWith('trainer_state.json')).sort()).toEqual(['run/checkpoint-4/trainer_state.json', 'run/checkpoint-8/trainer_state.json']);
    expect(storage.files.has('run/checkpoint-8/best.safetensors')).toBe(true);

    const resumed = resumableRun(storage);
    const r1 = await resumed.trainer.train({ resume: true });
    expect(r1.resumedFrom).toBe('run/checkpoint-8');
    expect(r1.step).toBe(12);
    expect(maxDiff(snapshot(resumed.model.trainableVariables()), expectedVars)).toBeLessThanOrEqual(1e-6);
    const got = lossOf(r1.history);
    for (const [step, loss] of expectedLosses) expect(got.get(step), `step ${step}`).toBe(loss);
    expect(r1.bestStep).toBe(r0.bestStep);
    expect(r1.trainLoss).toBe(r0.trainLoss);
    resumed.model.dispose();
  });

  it('resume: true with no checkpoint starts fresh; a checkpoint from other settings is refused', async () => {
    const storage = new MemoryStorage();
    const a = resumableRun(storage);
    const r = await a.trainer.train({ resume: true });
    expect(r.resumedFrom).toBeNull();
    a.model.dispose();
    const model = tinyModel(0.1);
    model.addAdapter('a', 'lora');
    model.addClassificationHead('a');
    model.trainAdapter('a');
    const other = new Trainer({ task: headTask(model), trainData: idsData(23), collate: idsCollate, batchSize: 3, seed: 11, storage, outputDir: 'run' });
    await expect(other.train({ resume: true })).rejects.toThrow(/batchSize was 2, now 3/);
    model.dispose();
  });
});

describe('Trainer over compositions', () => {
  it('AdapterFusion: only the fusion layers and the head change; artifacts hold the fusion and the head', async () => {
    const model = tinyModel(0);
    model.addAdapter('a', 'seq_bn');
    model.addAdapter('b', 'seq_bn');
    model.addAdapterFusion(['a', 'b'], { key: true, query: true, value: true, query_before_ln: false, regularization: false, residual_before: false, temperature: false, value_before_softmax: true, value_initialized: true, dropout_prob: null });
    model.addClassificationHead('cls');
    model.trainAdapterFusion({ type: 'Fuse', children: ['a', 'b'] });
    const adapters = snapshot(new Map([...model.adapterParameters('a'), ...model.adapterParameters('b')]));
    const fusion = snapshot(model.fusionParameters('a,b'));
    const t = new Trainer({ task: headTask(model), trainData: idsData(8), collate: idsCollate, batchSize: 4, maxSteps: 2, learningRate: 1e-2 });
    await t.train();
    expect(maxDiff(adapters, snapshot(new Map([...model.adapterParameters('a'), ...model.adapterParameters('b')])))).toBe(0);
    expect(maxDiff(fusion, snapshot(model.fusionParameters('a,b')))).toBeGreaterThan(0);
    const storage = new MemoryStorage();
    const written = await saveTrainedArtifacts(model, storage, 'out', { saveFusion: saveAdapterFusion });
    expect(written).toEqual(['cls', 'a,b']);
    expect(storage.files.has('out/a,b/adapter_fusion_config.json')).toBe(true);
    expect(storage.files.has('out/cls/head_config.json')).toBe(true);
    model.dispose();
  });

  it('Stack and Parallel: every adapter of the setup trains', async () => {
    // Bottleneck adapters: a Stack of freshly initialised LoRAs is a fixed point (B = 0 blocks every
    // gradient through the stack, in Python too).
    for (const setup of [Stack('a', 'b'), Parallel('a', 'b')]) {
      const model = tinyModel(0.1);
      model.addAdapter('a', 'seq_bn');
      model.addAdapter('b', 'seq_bn');
      model.addClassificationHead('b');
      if (setup.type === 'Parallel') model.addClassificationHead('a');
      model.trainAdapter(setup);
      const before = { a: snapshot(model.adapterParameters('a')), b: snapshot(model.adapterParameters('b')) };
      const t = new Trainer({ task: headTask(model), trainData: idsData(8), collate: idsCollate, batchSize: 4, maxSteps: 3, learningRate: 1e-2 });
      const r = await t.train();
      expect(Number.isFinite(r.trainLoss)).toBe(true);
      expect(maxDiff(before.a, snapshot(model.adapterParameters('a'))), `${setup.type} a`).toBeGreaterThan(0);
      expect(maxDiff(before.b, snapshot(model.adapterParameters('b'))), `${setup.type} b`).toBeGreaterThan(0);
      const written = await saveTrainedArtifacts(model, new MemoryStorage(), 'out');
      expect(written.sort()).toEqual(['a', 'b']);
      model.dispose();
    }
  });
});
