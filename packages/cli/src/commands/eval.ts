import * as path from 'node:path';
import { type AdapterSetup, type BackendChoice, parseSetupString, toNumber } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel, headSetupNames } from '@adapters/heads';
import { Tokenizer } from '@adapters/tokenizers';
import { Trainer, classificationMetrics, headTask, textClassificationCollate, textClassificationExamples } from '@adapters/train';
import { CliUsageError, choice, parseCommand, requireString } from '../args';
import { DATASET_OPTIONS, TASKS, fieldOptions, readDatasetOption } from '../dataset-options';
import type { CliIO } from '../io';
import { loadArtifact } from '../load-artifacts';
import { intOption } from '../numbers';
import { TRAIN_BACKENDS } from './train';

/**
 * `adapters eval --model DIR --adapter DIR … --dataset FILE [--task classification] [--setup S]
 * [--head NAME]`: evaluates a classification head (loaded with its adapter, e.g. from `adapters
 * train --output`) on a JSONL/CSV dataset; labels are mapped with the head's `label2id`. Prints
 * `eval_loss`, `eval_accuracy`, `eval_f1`, `eval_mcc` as JSON.
 */
export async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('eval', argv, {
    model: { type: 'string' },
    adapter: { type: 'string', multiple: true },
    setup: { type: 'string' },
    head: { type: 'string' },
    ...DATASET_OPTIONS,
    'batch-size': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
  });
  const C = 'eval';
  const modelDir = requireString(C, v, 'model');
  const datasetFile = requireString(C, v, 'dataset');
  choice(C, 'task', v.task, TASKS, 'classification');
  const backend = choice(C, 'backend', v.backend, TRAIN_BACKENDS, 'auto');
  const batchSize = intOption(C, 'batch-size', v['batch-size']) ?? 32;
  const maxLength = intOption(C, 'max-length', v['max-length']) ?? 128;
  const threads = intOption(C, 'threads', v.threads);
  const records = await readDatasetOption(C, 'dataset', datasetFile);
  let setup: AdapterSetup | null = null;
  if (typeof v.setup === 'string') {
    try {
      setup = parseSetupString(v.setup);
    } catch (e) {
      throw new CliUsageError(`${C}: --setup "${v.setup}": ${(e as Error).message}`);
    }
  }
  const info = await setupNodeBackend({ backend: backend as BackendChoice, ...(threads ? { threads } : {}) });
  const tokenizer = await Tokenizer.fromFile(typeof v.tokenizer === 'string' ? v.tokenizer : modelDir);
  const model = await AutoAdapterModel.fromPretrained(nodeStorage, modelDir);
  try {
    const adapters: string[] = [];
    for (const dir of (v.adapter as string[] | undefined) ?? []) for (const a of await loadArtifact(model, dir)) if (a.kind === 'adapter') adapters.push(a.name);
    model.setActiveAdapters(setup ?? (adapters.length === 1 ? adapters[0]! : null));
    const headName = typeof v.head === 'string' ? v.head : model.activeHead !== null ? headSetupNames(model.activeHead)[0] : model.headNames[0];
    if (!headName) throw new CliUsageError(`${C}: no prediction head: pass an --adapter folder saved with its head (adapters train writes one) or a head folder`);
    if (!model.heads.has(headName)) throw new CliUsageError(`${C}: --head "${headName}" not found. Heads: ${model.headNames.join(', ') || 'none'}`);
    const cfg = model.headConfig(headName);
    const label2id = Object.fromEntries(Object.entries((cfg.label2id ?? {}) as Record<string, unknown>).map(([k, id]) => [k, Number(toNumber(id as never))]));
    const { examples } = textClassificationExamples(records, { ...fieldOptions(v), label2id }, path.basename(datasetFile));
    const trainer = new Trainer({
      task: headTask(model, { head: headName }),
      trainData: examples,
      collate: textClassificationCollate(tokenizer, { maxLength }),
      computeMetrics: classificationMetrics(),
      batchSize,
    });
    const metrics = await trainer.evaluate(examples);
    io.stdout(`${JSON.stringify({ ...metrics, examples: examples.length, head: headName, setup: v.setup ?? adapters[0] ?? null, backend: info.name })}\n`);
    return 0;
  } finally {
    model.dispose();
  }
}
