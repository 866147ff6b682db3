/**
 * Malformed and hostile `tokenizer.json` files (found by the fuzzer in tests/fuzz): each fails at
 * load with an AdapterFormatError naming the file and the JSON path, instead of a TypeError /
 * RangeError inside tokenizers.js or a tokenization that takes seconds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdapterFormatError } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../src';

const read = (name: string): Record<string, any> => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8'));

function loadError(json: Record<string, unknown> | string): AdapterFormatError {
  let err: unknown;
  try {
    Tokenizer.fromJSON(json, { source: 'evil/tokenizer.json' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AdapterFormatError);
  expect(String(err)).toContain('evil/tokenizer.json');
  return err as AdapterFormatError;
}

describe('hostile tokenizer.json', () => {
  it('deep nesting', () => {
    const t = read('wordpiece-bert.json');
    t.decoder = JSON.parse(`${'['.repeat(5000)}0${']'.repeat(5000)}`);
    expect(loadError(t).message).toMatch(/nested deeper than 64 levels/);
  });

  it('a multi-character Metaspace replacement (inserted at every space)', () => {
    const t = read('unigram-t5.json');
    t.pre_tokenizer = { ...t.pre_tokenizer, replacement: 'x'.repeat(100_000) };
    expect(loadError(t).location).toBe('pre_tokenizer.replacement');
  });

  it('vocabularies of the wrong type, bad ids, merges and unk_id', () => {
    const wp = read('wordpiece-bert.json');
    expect(loadError({ ...wp, model: { ...wp.model, vocab: 'x'.repeat(1000) } }).location).toBe('model.vocab');
    expect(loadError({ ...wp, model: { ...wp.model, vocab: { ...wp.model.vocab, evil: -1 } } }).location).toBe('model.vocab["evil"]');
    const bpe = read('bpe-gpt2.json');
    expect(loadError({ ...bpe, model: { ...bpe.model, merges: ['a b c'] } }).location).toBe('model.merges[0]');
    const uni = read('unigram-t5.json');
    expect(loadError({ ...uni, model: { ...uni.model, unk_id: 1e9 } }).location).toBe('model.unk_id');
    expect(loadError({ ...uni, model: { ...uni.model, vocab: [['a']] } }).location).toBe('model.vocab[0]');
  });

  it('post-processor templates of the wrong shape fail at load, not at first use', () => {
    const t = read('unigram-t5.json');
    t.post_processor = { ...t.post_processor, single: 0 };
    expect(loadError(t).message).toMatch(/post-processing failed/);
  });
});
