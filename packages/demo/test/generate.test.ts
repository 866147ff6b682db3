import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@adapters/tokenizers';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, MODEL_DIR, bertWords, buildWordPieceVocab, generateReviews, wordPieceTokenizerJson } from '../src';

describe('the generated task and tokenizer', () => {
  it('the shipped dataset is what the generator makes (seeds 1 and 2), balanced, train/dev disjoint', () => {
    const read = (f: string) => readFileSync(path.join(DATA_DIR, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });
    const train = read('train.jsonl');
    const dev = read('dev.jsonl');
    expect(train).toHaveLength(4000);
    expect(dev).toHaveLength(1000);
    const regenerated = generateReviews(4000, 1);
    expect(train.slice(0, 50)).toEqual(regenerated.slice(0, 50).map((r) => ({ text: r.text, label: r.label === 1 ? 'positive' : 'negative' })));
    const pos = train.filter((r) => r.label === 'positive').length / train.length;
    expect(pos).toBeGreaterThan(0.45);
    expect(pos).toBeLessThan(0.55);
    const trainTexts = new Set(train.map((r) => r.text));
    expect(dev.some((r) => trainTexts.has(r.text))).toBe(false);
  });

  it('the shipped tokenizer covers the dataset without [UNK] and matches the vocabulary builder', async () => {
    const tok = await Tokenizer.fromFile(MODEL_DIR);
    const dev = readFileSync(path.join(DATA_DIR, 'dev.jsonl'), 'utf8').trim().split('\n').slice(0, 200).map((l) => (JSON.parse(l) as { text: string }).text);
    for (const t of dev) expect(tok.encode(t).input_ids).not.toContain(1);
    expect(tok.encode('Zorblax!').input_ids.length).toBeGreaterThan(3); // unseen words are spelled with ## pieces
    const vocab = buildWordPieceVocab(['Hello, world! Héllo again.']);
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(bertWords('Héllo, world!')).toEqual(['hello', ',', 'world', '!']);
    const small = Tokenizer.fromJSON(wordPieceTokenizerJson(vocab));
    expect(small.tokenize('hello again')).toEqual(['hello', 'again']);
  });
});
