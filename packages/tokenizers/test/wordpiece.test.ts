/**
 * WordPiece (BERT-style) fixture `fixtures/wordpiece-bert.json`. Vocabulary (id: token):
 *
 *   0 [PAD]   1 [UNK]   2 [CLS]   3 [SEP]   4 [MASK]
 *   5 the     6 cafe    7 naive   8 hello   9 world
 *  10 ##s    11 un     12 ##aff  13 ##able 14 中
 *  15 文     16 ,      17 !      18 .      19 a
 *  20 is     21 good   22 ##ly
 *
 * Pipeline: BertNormalizer (clean text, spaces around CJK ideographs, lowercase, strip accents =
 * NFD + drop combining marks) → BertPreTokenizer (split on whitespace, each punctuation char
 * alone) → WordPiece (greedy longest-match-first, "##" for word-internal pieces; a word with any
 * unmatchable rest becomes one [UNK]) → TemplateProcessing `[CLS] A [SEP]` / `[CLS] A [SEP] B [SEP]`
 * with type ids 0 for `[CLS] A [SEP]` and 1 for `B [SEP]`.
 */
import { fileURLToPath } from 'node:url';
import { AdapterFormatError } from '@adapters/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '../src';

const fixture = fileURLToPath(new URL('../fixtures/wordpiece-bert.json', import.meta.url));
let tok: Tokenizer;
beforeAll(async () => {
  tok = await Tokenizer.fromFile(fixture);
});

describe('WordPiece (BERT) tokenizer.json', () => {
  it('accents: "Café naïve" → lowercase + strip accents → "cafe naive"', () => {
    // "Café" → "café" → NFD "cafe\u0301" → drop U+0301 → "cafe" = 6; "naïve" → "naive" = 7; wrapped in [CLS]=2 … [SEP]=3.
    expect(tok.encode('Café naïve').input_ids).toEqual([2, 6, 7, 3]);
    // "cafés" → "cafes": longest prefix in vocab "cafe" (6), rest "##s" (10).
    expect(tok.encode('cafés', undefined, { addSpecialTokens: false }).input_ids).toEqual([6, 10]);
  });

  it('CJK: every ideograph is its own word', () => {
    // "中文字" → " 中  文  字 " → words 中 (14), 文 (15), 字 (not in vocab → [UNK]=1).
    expect(tok.encode('中文字').input_ids).toEqual([2, 14, 15, 1, 3]);
    expect(tok.encode('中文字').tokens).toEqual(['[CLS]', '中', '文', '[UNK]', '[SEP]']);
  });

  it('emoji and unknown words become [UNK]', () => {
    // "🙂" is a symbol (So), not punctuation: one word, not in vocab → [UNK]=1.
    expect(tok.encode('🙂').input_ids).toEqual([2, 1, 3]);
    // "hello 🙂!" → hello (8), 🙂 → [UNK] (1), "!" split off as punctuation (17).
    expect(tok.encode('hello 🙂!').input_ids).toEqual([2, 8, 1, 17, 3]);
    // "Unaffable!" → "unaffable" = un (11) + ##aff (12) + ##able (13); "!" = 17.
    expect(tok.encode('Unaffable!').input_ids).toEqual([2, 11, 12, 13, 17, 3]);
    // "unaffablez": un ##aff ##able then "##z" is not in vocab → the whole word is one [UNK].
    expect(tok.encode('unaffablez').input_ids).toEqual([2, 1, 3]);
    // "Hello, World!" → hello (8) , (16) world (9) ! (17).
    expect(tok.encode('Hello, World!').input_ids).toEqual([2, 8, 16, 9, 17, 3]);
  });

  it('pairs get [SEP] between them and token_type_ids 0…0 1…1', () => {
    // [CLS] hello world [SEP] the cafe [SEP] = 2 8 9 3 5 6 3; types 0 for "[CLS] A [SEP]", 1 for "B [SEP]".
    const e = tok.encode('hello world', 'the cafe');
    expect(e.input_ids).toEqual([2, 8, 9, 3, 5, 6, 3]);
    expect(e.token_type_ids).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(e.attention_mask).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(tok.numSpecialTokensToAdd(false)).toBe(2);
    expect(tok.numSpecialTokensToAdd(true)).toBe(3);
  });

  it('truncates long input to maxLength, special tokens included', () => {
    // "the" ×10 = ten 5s; maxLength 6 leaves 6 − 2 specials = 4 tokens: [CLS] the the the the [SEP].
    const e = tok.encode(Array(10).fill('the').join(' '), undefined, { truncation: true, maxLength: 6 });
    expect(e.input_ids).toEqual([2, 5, 5, 5, 5, 3]);
    // truncationSide 'left' keeps the end: "hello world the cafe" → [CLS] the cafe [SEP].
    expect(tok.encode('hello world the cafe', undefined, { truncation: true, maxLength: 4, truncationSide: 'left' }).input_ids).toEqual([2, 5, 6, 3]);
  });

  it('pads with [PAD]=0, attention_mask 0 and token_type_id 0', () => {
    const b = tok.encodeBatch(['hello', ['hello world', 'the cafe']], { padding: 'longest' });
    // Row 0: [CLS] hello [SEP] = 2 8 3, padded with four 0s to the pair's length 7.
    expect(b.input_ids).toEqual([
      [2, 8, 3, 0, 0, 0, 0],
      [2, 8, 9, 3, 5, 6, 3],
    ]);
    expect(b.attention_mask).toEqual([
      [1, 1, 1, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1],
    ]);
    expect(b.token_type_ids).toEqual([
      [0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 1, 1],
    ]);
    expect(tok.padTokenId).toBe(0);
  });

  it('decodes back to text', () => {
    expect(tok.decode([2, 8, 16, 9, 17, 3], { skipSpecialTokens: true })).toBe('hello, world!');
  });

  it('rejects malformed tokenizer.json with AdapterFormatError', () => {
    expect(() => Tokenizer.fromJSON('{not json')).toThrow(AdapterFormatError);
    expect(() => Tokenizer.fromJSON({ version: '1.0' })).toThrow(/missing "model"/);
    expect(() => Tokenizer.fromJSON({ model: { type: 'Nope' } })).toThrow(AdapterFormatError);
  });
});
