import { existsSync } from 'node:fs';
import { type DataRecord, formatOf } from '@adapters/train';
import { readDataset } from '@adapters/train/node';
import { CliUsageError, type OptionSpec } from './args';

/** Tasks the `train` / `eval` commands support. */
export const TASKS = ['classification'] as const;

/** Dataset options shared by `train` and `eval`. */
export const DATASET_OPTIONS: OptionSpec = {
  dataset: { type: 'string' },
  task: { type: 'string' },
  'text-field': { type: 'string' },
  'text-pair-field': { type: 'string' },
  'label-field': { type: 'string' },
  'max-length': { type: 'string' },
  tokenizer: { type: 'string' },
};

/** Reads a JSONL / CSV / TSV dataset named by `--<name>`, with usage errors for bad paths and extensions. */
export async function readDatasetOption(command: string, name: string, file: string): Promise<DataRecord[]> {
  try {
    formatOf(file);
  } catch {
    throw new CliUsageError(`${command}: --${name} must be a .jsonl, .json, .ndjson, .csv or .tsv file (got "${file}")`);
  }
  if (!existsSync(file)) throw new CliUsageError(`${command}: --${name}: no such file "${file}"`);
  const records = await readDataset(file);
  if (records.length === 0) throw new CliUsageError(`${command}: --${name}: "${file}" holds no records`);
  return records;
}

/** The text/label field options. */
export function fieldOptions(v: Record<string, unknown>): { textField?: string; textPairField?: string; labelField?: string } {
  return {
    ...(typeof v['text-field'] === 'string' ? { textField: v['text-field'] } : {}),
    ...(typeof v['text-pair-field'] === 'string' ? { textPairField: v['text-pair-field'] } : {}),
    ...(typeof v['label-field'] === 'string' ? { labelField: v['label-field'] } : {}),
  };
}
