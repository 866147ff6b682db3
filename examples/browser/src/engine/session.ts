/**
 * The demo's model session (browser-safe; the Web Worker owns one): a flex-head BERT, its
 * tokenizer, the dataset, and the adapters trained or loaded into it.
 */
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { AdaptersError, MemoryStorage, type ModelDefinition, type Storage, configMembers } from '@adapters/core';
import { AutoAdapterModel, type FlexHeadModel, headSetupNames, loadAdapterWithHead, saveAdapterWithHead } from '@adapters/heads';
import { lora } from '@adapters/lora';
import { Tokenizer } from '@adapters/tokenizers';
import { Trainer, classificationMetrics, headTask, textClassificationCollate, type StepLog, type TextClassificationExample, type TrainTask } from '@adapters/train';
import * as tf from '@tensorflow/tfjs-core';
import { type ComposeSpec, composition } from './compose';
import { type Dataset, ID2LABEL } from './data';
import { type TrainSpec, configString } from './methods';

/** Accuracy and loss on the dev subset. */
export interface EvalResult {
  accuracy: number;
  loss: number;
}

/** What one training run reports at the end. */
export interface TrainReport {
  name: string;
  config: string;
  trainableParameters: number;
  /** On the dev subset, before and after training. */
  before: EvalResult;
  after: EvalResult;
  /** Loss on the training examples used (dropout off), before and after training. */
  fit: { before: number; after: number };
  steps: number;
  seconds: number;
}

/** One head's output on the composed sentence. */
export interface HeadPrediction {
  head: string;
  logits: number[];
  probabilities: number[];
  label: string;
}

/** An adapter in the session. */
export interface AdapterInfo {
  name: string;
  config: string;
  /** `trained` here, or `loaded` from files. */
  origin: 'trained' | 'loaded';
  hasHead: boolean;
}

/** Class names of a config (a union: joined with '+'), e.g. `LoRAConfig`. */
function describeConfig(c: Parameters<typeof configMembers>[0]): string {
  return configMembers(c).map((m) => m.className).join(' + ');
}

function softmax(xs: readonly number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** A model session; see the module comment. */
export class DemoSession {
  private readonly origins = new Map<string, { origin: AdapterInfo['origin']; config: string }>();

  private constructor(
    readonly model: FlexHeadModel,
    readonly tokenizer: Tokenizer,
    readonly modelLabel: string,
  ) {}

  /**
   * Loads a BERT-family model folder (`config.json`, weights, `tokenizer.json`) from `storage`.
   * `modelName` is written as `model_name` in saved adapters (default: the folder name).
   */
  static async open(storage: Storage, dir: string, label = dir, modelName?: string): Promise<DemoSession> {
    const tokenizer = await Tokenizer.fromStorage(storage, dir);
    const model = await AutoAdapterModel.fromPretrained(storage, dir, {
      model: bert as ModelDefinition<unknown>,
      methods: [lora, bottleneck],
      loadHeads: false,
      ...(modelName ? { modelName } : {}),
    });
    return new DemoSession(model, tokenizer, label);
  }

  /** The adapters trained or loaded so far. */
  adapters(): AdapterInfo[] {
    return this.model.adapterNames.map((name) => ({
      name,
      config: this.origins.get(name)?.config ?? describeConfig(this.model.adapterConfig(name)),
      origin: this.origins.get(name)?.origin ?? 'loaded',
      hasHead: this.model.heads.has(name),
    }));
  }

  private trainer(spec: TrainSpec, data: Dataset, task: TrainTask, onStep?: (s: StepLog) => void): Trainer<TextClassificationExample> {
    return new Trainer<TextClassificationExample>({
      task,
      trainData: data.train.slice(0, spec.trainSize),
      evalData: data.dev.slice(0, spec.evalSize),
      collate: textClassificationCollate(this.tokenizer, { maxLength: spec.maxLength, ...(spec.fixedShapes ? { padToMultipleOf: spec.maxLength } : {}) }),
      computeMetrics: classificationMetrics(),
      batchSize: spec.batchSize,
      evalBatchSize: 50,
      maxSteps: spec.steps,
      learningRate: spec.learningRate,
      schedule: 'linear',
      warmupRatio: 0.1,
      seed: spec.seed,
      evalAtEnd: false,
      ...(onStep ? { onLog: (e) => void (e.kind === 'step' && onStep(e)) } : {}),
    });
  }

  /**
   * Adds adapter `spec.name` with a fresh two-class head of the same name (replacing both if they
   * exist), evaluates it untrained, trains `spec.steps` steps and evaluates again.
   */
  async train(spec: TrainSpec, data: Dataset, onStep?: (s: StepLog) => void): Promise<TrainReport> {
    const config = configString(spec);
    const m = this.model;
    if (m.adapterNames.includes(spec.name)) m.deleteAdapter(spec.name);
    m.addAdapter(spec.name, config);
    m.addClassificationHead(spec.name, { numLabels: 2, id2label: { ...ID2LABEL }, overwriteOk: true });
    m.trainAdapter(spec.name);
    this.origins.set(spec.name, { origin: 'trained', config });
    // Only this adapter and its head: Python's train_adapter leaves every head trainable, which
    // would let weight decay touch the heads of other adapters.
    const own = new Set([...m.adapterParameters(spec.name).values(), ...m.headParameters(spec.name).values()]);
    const vars = new Map([...m.trainableVariables()].filter(([, v]) => own.has(v)));
    const trainableParameters = [...vars.values()].reduce((s, v) => s + v.size, 0);
    const trainer = this.trainer(spec, data, { ...headTask(m), trainableVariables: () => vars }, onStep);
    try {
      const ev = async (): Promise<EvalResult> => {
        const r = await trainer.evaluate();
        return { accuracy: r.eval_accuracy!, loss: r.eval_loss! };
      };
      const fit = async (): Promise<number> => (await trainer.evaluate(trainer.options.trainData)).eval_loss!;
      const before = await ev();
      const fitBefore = await fit();
      const t0 = performance.now();
      const r = await trainer.train();
      const seconds = (performance.now() - t0) / 1000;
      const after = await ev();
      return { name: spec.name, config, trainableParameters, before, after, fit: { before: fitBefore, after: await fit() }, steps: r.step, seconds };
    } finally {
      trainer.dispose();
    }
  }

  /** Runs the composition of `spec.adapters` on `spec.sentence`; one prediction per head that ran. */
  async predict(spec: ComposeSpec): Promise<HeadPrediction[]> {
    const { setup, heads } = composition(spec);
    for (const a of spec.adapters) if (!this.model.heads.has(a)) throw new AdaptersError(`adapter '${a}' has no head of the same name`);
    const enc = this.tokenizer.encodeBatch([spec.sentence], { padding: 'longest', truncation: true, maxLength: spec.maxLength, returnTensors: true });
    const inputs = { input_ids: enc.input_ids, attention_mask: enc.attention_mask, token_type_ids: enc.token_type_ids };
    try {
      const out = this.model.forwardHeads(inputs, { setup, headSetup: heads, training: false });
      try {
        const names = headSetupNames(heads);
        const result: HeadPrediction[] = [];
        for (let i = 0; i < out.heads.length; i++) {
          const logits = Array.from(await out.heads[i]!.logits!.data());
          const probabilities = softmax(logits);
          const head = names[i]!;
          const labels = this.model.getLabels(head) ?? [];
          result.push({ head, logits, probabilities, label: labels[probabilities.indexOf(Math.max(...probabilities))] ?? '?' });
        }
        return result;
      } finally {
        tf.dispose([...Object.values(out.base).filter((v): v is tf.Tensor => v instanceof tf.Tensor), ...out.heads.flatMap((h) => Object.values(h).filter((v): v is tf.Tensor => v instanceof tf.Tensor))]);
      }
    } finally {
      tf.dispose(Object.values(inputs));
    }
  }

  /**
   * The files of adapter `name` in Python's format (`save_adapter(with_head=True)`):
   * `adapter_config.json`, `adapter.safetensors`, `head_config.json`, `model_head.safetensors`.
   */
  async exportAdapter(name: string): Promise<Map<string, Uint8Array>> {
    const mem = new MemoryStorage();
    await saveAdapterWithHead(this.model, mem, name, name);
    // Hidden side files (`.head_config.json.commit`, crash-consistency records) are not part of
    // Python's format.
    return new Map([...mem.files].map(([k, v]) => [k.slice(name.length + 1), v] as const).filter(([k]) => !k.startsWith('.')));
  }

  /**
   * Loads an adapter (and its head, if present) from `storage` folder `dir`, under `loadAs` if given.
   * `origin` is what {@link adapters} reports (`trained` for adapters carried over from another worker).
   */
  async importAdapter(storage: Storage, dir: string, loadAs?: string, origin: AdapterInfo['origin'] = 'loaded'): Promise<string> {
    if (loadAs && this.model.adapterNames.includes(loadAs)) this.model.deleteAdapter(loadAs);
    const { adapter } = await loadAdapterWithHead(this.model, storage, dir, loadAs ? { loadAs } : {});
    this.origins.set(adapter, { origin, config: describeConfig(this.model.adapterConfig(adapter)) });
    return adapter;
  }

  dispose(): void {
    this.model.dispose();
  }
}
