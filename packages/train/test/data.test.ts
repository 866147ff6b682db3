import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tokenizer } from '@adapters/tokenizers';
import { describe, expect, it } from 'vitest';
import {
  CsvParser,
  buildLabelMap,
  disposeBatch,
  labelToId,
  parseCsv,
  parseDataset,
  parseJsonl,
  shuffle,
  shuffledIndices,
  textClassificationCollate,
  textClassificationExamples,
} from '../src';
import { readDataset } from '../src/node';

const CSV = 'text,label\r\n"a, quoted ""field""",pos\nplain,neg\n"multi\nline",pos\n\n';

describe('CSV', () => {
  it('parses quotes, escaped quotes, CRLF, embedded line breaks and skips blank lines', () => {
    expect(parseCsv(CSV)).toEqual([
      { text: 'a, quoted "field"', label: 'pos' },
      { text: 'plain', label: 'neg' },
      { text: 'multi\nline', label: 'pos' },
    ]);
  });
  it('gives the same rows whatever the chunk boundaries', () => {
    const whole = new CsvParser();
    const expected = [...whole.push(CSV), ...whole.end()];
    for (let cut = 1; cut < CSV.length; cut++) {
      const p = new CsvParser();
      expect([...p.push(CSV.slice(0, cut)), ...p.push(CSV.slice(cut)), ...p.end()], `cut ${cut}`).toEqual(expected);
    }
  });
  it('errors name the source and line', () => {
    expect(() => parseCsv('a,b\n1,"x\n', { source: 'f.csv' })).toThrow(/f\.csv: unterminated/);
    expect(() => parseCsv('a,b\n1,x"y"\n', { source: 'f.csv' })).toThrow(/f\.csv:2: unexpected quote/);
    expect(() => parseCsv('a,b\n1,2,3\n', { source: 'f.csv' })).toThrow(/row 2 has 3 fields, the header has 2/);
    expect(parseDataset('a\tb\n1\t2\n', 'tsv')).toEqual([{ a: '1', b: '2' }]);
  });
});

describe('JSONL', () => {
  it('parses objects, skips blank lines, names the bad line', () => {
    expect(parseJsonl('{"a":1}\n\n{"a":2}\r\n')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(() => parseJsonl('{"a":1}\n[1]\n', 'x.jsonl')).toThrow(/x\.jsonl:2: expected a JSON object/);
    expect(() => parseJsonl('{"a":1}\n{oops\n', 'x.jsonl')).toThrow(/x\.jsonl:2: invalid JSON/);
  });
  it('Node streaming reader gives the same records as the in-memory parser', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'train-data-'));
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ text: `example ${i} ${'x'.repeat(i % 50)}`, label: i % 3 }));
    writeFileSync(path.join(dir, 'd.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(dir, 'd.csv'), `\ufeff${CSV}`);
    expect(await readDataset(path.join(dir, 'd.jsonl'))).toEqual(parseJsonl(lines.join('\n')));
    expect(await readDataset(path.join(dir, 'd.csv'))).toEqual(parseCsv(CSV));
    expect(await readDataset(path.join(dir, 'd.jsonl'), { limit: 3 })).toHaveLength(3);
    await expect(readDataset(path.join(dir, 'd.txt'))).rejects.toThrow(/\.jsonl, \.json, \.ndjson, \.csv or \.tsv/);
  });
});

describe('labels and shuffling', () => {
  it('label maps: integers keep their ids, strings are sorted, label2id wins', () => {
    expect(buildLabelMap([1, 0, '2'])).toEqual({ label2id: { 0: 0, 1: 1, 2: 2 }, id2label: ['0', '1', '2'] });
    const m = buildLabelMap(['pos', 'neg', 'pos']);
    expect(m.id2label).toEqual(['neg', 'pos']);
    expect(labelToId(m, 'pos')).toBe(1);
    expect(() => labelToId(m, 'meh', 'row 3')).toThrow(/row 3: unknown label "meh". Known labels: neg, pos/);
    expect(buildLabelMap(['a'], { neg: 1, pos: 0 }).id2label).toEqual(['pos', 'neg']);
    expect(() => buildLabelMap(['a'], { a: 0, b: 2 })).toThrow(/no label for id 1/);
  });
  it('seeded shuffles are permutations, reproducible, and differ by seed', () => {
    const a = shuffledIndices(100, 7);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledIndices(100, 7)).toEqual(a);
    expect(shuffledIndices(100, 8)).not.toEqual(a);
    expect(shuffle(['a', 'b', 'c'], 1)).toEqual(shuffle(['a', 'b', 'c'], 1));
  });
});

describe('text classification batches', () => {
  it('dynamic padding to the longest example, int32 labels, pairs', async () => {
    const tok = await Tokenizer.fromFile(path.resolve(__dirname, '../../tokenizers/fixtures/wordpiece-bert.json'));
    const { examples, labels } = textClassificationExamples([
      { text: 'hello world', label: 'pos' },
      { text: 'the cafe is good', label: 'neg' },
      { text: 'hello', label: 'pos' },
    ]);
    expect(labels.id2label).toEqual(['neg', 'pos']);
    const collate = textClassificationCollate(tok);
    const short = collate([examples[0]!, examples[2]!]);
    expect(short.inputs.input_ids!.shape).toEqual([2, 4]); // [CLS] hello world [SEP]
    expect(short.inputs.input_ids!.arraySync()).toEqual([[2, 8, 9, 3], [2, 8, 3, 0]]);
    expect(short.inputs.attention_mask!.arraySync()).toEqual([[1, 1, 1, 1], [1, 1, 1, 0]]);
    expect(short.labels!.dtype).toBe('int32');
    expect(short.targets).toEqual([1, 1]);
    const long = collate(examples);
    expect(long.inputs.input_ids!.shape).toEqual([3, 6]);
    const truncated = textClassificationCollate(tok, { maxLength: 3 })(examples);
    expect(truncated.inputs.input_ids!.shape).toEqual([3, 3]);
    const pairs = textClassificationExamples([{ sentence1: 'hello', sentence2: 'world', label: 0 }], { textField: 'sentence1', textPairField: 'sentence2' });
    const pb = textClassificationCollate(tok)(pairs.examples);
    expect(pb.inputs.token_type_ids!.arraySync()).toEqual([[0, 0, 0, 1, 1]]);
    for (const b of [short, long, truncated, pb]) disposeBatch(b);
    expect(() => textClassificationExamples([{ text: 'x' }])).toThrow(/record 1 has no "label" field/);
    expect(() => textClassificationExamples([{ text: 3, label: 1 }])).toThrow(/field "text" must be a string/);
  });
});
