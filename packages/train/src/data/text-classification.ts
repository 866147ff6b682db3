import { AdaptersError } from '@adapters/core';
import type { TextInput, Tokenizer } from '@adapters/tokenizers';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Collate } from '../batch';
import type { DataRecord } from './jsonl';
import { type LabelMap, buildLabelMap, labelToId } from './labels';

/** One text-classification example, labels already mapped to class ids. */
export interface TextClassificationExample {
  /** The text, or a `[text, textPair]` pair. */
  text: TextInput;
  label: number;
}

/** Field names and label handling of {@link textClassificationExamples}. */
export interface TextClassificationFields {
  /** Column of the text. Default `'text'` (`'sentence'` and `'sentence1'` are tried when absent). */
  textField?: string;
  /** Column of the second text of a pair (e.g. `'sentence2'`). Default: none. */
  textPairField?: string;
  /** Column of the label. Default `'label'`. */
  labelField?: string;
  /** A fixed label map (e.g. the head's); default: built from the records ({@link buildLabelMap}). */
  label2id?: Readonly<Record<string, number>>;
}

function pickTextField(records: readonly DataRecord[], given: string | undefined): string {
  if (given) return given;
  const first = records[0] ?? {};
  for (const f of ['text', 'sentence', 'sentence1', 'review', 'content']) if (f in first) return f;
  return 'text';
}

/**
 * Maps dataset records to text-classification examples: picks the text (and pair) column, maps
 * labels with `label2id` (given or built from the records). Errors name the record and column.
 */
export function textClassificationExamples(
  records: readonly DataRecord[],
  fields: TextClassificationFields = {},
  source = 'dataset',
): { examples: TextClassificationExample[]; labels: LabelMap } {
  const textField = pickTextField(records, fields.textField);
  const labelField = fields.labelField ?? 'label';
  const labels = buildLabelMap(
    records.map((r, i) => {
      if (!(labelField in r)) throw new AdaptersError(`${source}: record ${i + 1} has no "${labelField}" field (fields: ${Object.keys(r).join(', ')}).`);
      return r[labelField];
    }),
    fields.label2id,
  );
  const str = (r: DataRecord, f: string, i: number): string => {
    const v = r[f];
    if (typeof v !== 'string') throw new AdaptersError(`${source}: record ${i + 1} field "${f}" must be a string (fields: ${Object.keys(r).join(', ')}).`);
    return v;
  };
  const examples = records.map((r, i) => ({
    text: (fields.textPairField ? [str(r, textField, i), str(r, fields.textPairField, i)] : str(r, textField, i)) as TextInput,
    label: labelToId(labels, r[labelField], `${source}: record ${i + 1}`),
  }));
  return { examples, labels };
}

/** Options of {@link textClassificationCollate}. */
export interface TextCollateOptions {
  /** Truncate to this many tokens (special tokens included). Default 128. */
  maxLength?: number;
  /** Pad to a multiple of this (e.g. 8). */
  padToMultipleOf?: number;
}

/**
 * Collates text-classification examples with dynamic padding: the tokenizer encodes the batch,
 * padded to its longest example (`padding: 'longest'`) and truncated to `maxLength`; labels become
 * an int32 tensor `[B]`.
 */
export function textClassificationCollate(tokenizer: Tokenizer, opts: TextCollateOptions = {}): Collate<TextClassificationExample> {
  const maxLength = opts.maxLength ?? 128;
  return (examples): Batch => {
    const enc = tokenizer.encodeBatch(
      examples.map((e) => e.text),
      { padding: 'longest', truncation: true, maxLength, returnTensors: true, ...(opts.padToMultipleOf ? { padToMultipleOf: opts.padToMultipleOf } : {}) },
    );
    const targets = examples.map((e) => e.label);
    return {
      inputs: { input_ids: enc.input_ids, attention_mask: enc.attention_mask, token_type_ids: enc.token_type_ids },
      labels: tf.tensor1d(targets, 'int32'),
      targets,
      size: examples.length,
    };
  };
}
