/** The review-sentiment dataset, read through a Storage (fetch in the browser, fs in Node). */
import { type Storage, utf8 } from '@adapters/core';
import { parseJsonl, textClassificationExamples, type TextClassificationExample } from '@adapters/train';

/** Class ids of the dataset's labels (also the head's `id2label`). */
export const LABEL2ID: Readonly<Record<string, number>> = { negative: 0, positive: 1 };
export const ID2LABEL: Readonly<Record<number, string>> = { 0: 'negative', 1: 'positive' };

/** Train and dev examples. */
export interface Dataset {
  train: TextClassificationExample[];
  dev: TextClassificationExample[];
}

/** Reads `<dir>/train.jsonl` and `<dir>/dev.jsonl`. */
export async function loadDataset(storage: Storage, dir: string): Promise<Dataset> {
  const read = async (name: string): Promise<TextClassificationExample[]> => {
    const path = `${dir}/${name}`;
    return textClassificationExamples(parseJsonl(utf8.decode(await storage.readFile(path)), path), { label2id: LABEL2ID }, path).examples;
  };
  return { train: await read('train.jsonl'), dev: await read('dev.jsonl') };
}
