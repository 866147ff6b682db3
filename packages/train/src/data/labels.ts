import { AdaptersError } from '@adapters/core';

/** Label names ↔ class ids. */
export interface LabelMap {
  /** Python/transformers `label2id`. */
  label2id: Record<string, number>;
  /** Name of each class id (`id2label`). */
  id2label: string[];
}

const isIntText = (v: unknown): boolean => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^(0|[1-9]\d*)$/.test(v));

/**
 * Builds the label map of a column. A given `label2id` wins. Otherwise labels that are all
 * non-negative integers (numbers or digit strings) keep their value as id (names `"0"`, `"1"`, …);
 * any other labels are sorted and numbered from 0 (as `datasets`' `class_encode_column`).
 */
export function buildLabelMap(values: readonly unknown[], label2id?: Readonly<Record<string, number>>): LabelMap {
  if (label2id) {
    const id2label: string[] = [];
    for (const [name, id] of Object.entries(label2id)) {
      if (!Number.isInteger(id) || id < 0) throw new AdaptersError(`label2id["${name}"] must be a non-negative integer, got ${id}.`);
      if (id2label[id] !== undefined) throw new AdaptersError(`label2id maps both "${id2label[id]}" and "${name}" to ${id}.`);
      id2label[id] = name;
    }
    for (let i = 0; i < id2label.length; i++) if (id2label[i] === undefined) throw new AdaptersError(`label2id has no label for id ${i}.`);
    return { label2id: { ...label2id }, id2label };
  }
  if (values.length === 0) throw new AdaptersError('Cannot build a label map from an empty dataset.');
  for (const v of values) {
    if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
      throw new AdaptersError(`Labels must be strings, numbers or booleans, got ${JSON.stringify(v)}.`);
    }
  }
  if (values.every(isIntText)) {
    const max = Math.max(...values.map((v) => Number(v)));
    const id2label = Array.from({ length: max + 1 }, (_, i) => String(i));
    return { label2id: Object.fromEntries(id2label.map((l, i) => [l, i])), id2label };
  }
  const id2label = [...new Set(values.map(String))].sort();
  return { label2id: Object.fromEntries(id2label.map((l, i) => [l, i])), id2label };
}

/** The class id of a label value; unknown labels throw naming the accepted ones. */
export function labelToId(map: LabelMap, value: unknown, where = ''): number {
  const id = map.label2id[String(value)];
  if (id === undefined) {
    throw new AdaptersError(`${where ? `${where}: ` : ''}unknown label ${JSON.stringify(value)}. Known labels: ${map.id2label.join(', ')}.`);
  }
  return id;
}
