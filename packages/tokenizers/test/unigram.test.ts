/**
 * Unigram + Metaspace (T5 / SentencePiece style) fixture `fixtures/unigram-t5.json`.
 * Vocabulary (id: piece, log-probability score):
 *
 *   0 <pad> 0     1 </s> 0      2 <unk> 0     3 ▁ −2        4 ▁hello −3
 *   5 ▁world −3.5 6 ▁he −4      7 llo −4.5    8 ▁wor −5     9 ld −5
 *  10 s −3       11 ▁the −2.5  12 ▁caf −5    13 é −6       14 ▁na −5
 *  15 ï −6       16 ve −5      17 ▁中 −4     18 文 −4.5    19 ▁a −3
 *  20 ! −4       21 , −4
 *
 * Pipeline: NFKC + Lowercase → Metaspace (spaces → "▁", "▁" prepended) → Viterbi: the split with
 * the highest total score, where a character without any piece is <unk> with score
 * min score − 10 = −16 and adjacent <unk>s fuse into one → template `A </s>` / `A </s> B </s>`
 * (all type ids 0, as T5). Padding id from tokenizer.json `padding.pad_id` = 0.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '../src';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await Tokenizer.fromFile(fileURLToPath(new URL('../fixtures/unigram-t5.json', import.meta.url)));
});

describe('Unigram (T5 / SentencePiece) tokenizer.json', () => {
  it('picks the best-scoring split', () => {
    // "▁hello▁world": ▁hello (−3) beats ▁he + llo (−8.5); ▁world (−3.5) beats ▁wor + ld (−10); then </s> = 1.
    expect(tok.encode('hello world').input_ids).toEqual([4, 5, 1]);
    // "Hello, World!" → lowercased → ▁hello , ▁world ! = 4 21 5 20.
    expect(tok.encode('Hello, World!').input_ids).toEqual([4, 21, 5, 20, 1]);
    // "the worlds" → ▁the (11) ▁world (5) s (10).
    expect(tok.encode('the worlds').input_ids).toEqual([11, 5, 10, 1]);
  });

  it('accents stay (no StripAccents): "Café naïve"', () => {
    // "▁café": ▁caf (−5) + é (−6) = −11; "▁naïve": ▁na (−5) + ï (−6) + ve (−5) = −16. Anything else needs a −16 <unk>.
    expect(tok.encode('Café naïve').input_ids).toEqual([12, 13, 14, 15, 16, 1]);
  });

  it('CJK, emoji and unknown words: <unk> for uncovered characters, fused', () => {
    // "▁中文字": ▁中 (17) + 文 (18) + 字 has no piece → <unk> (2).
    expect(tok.encode('中文字').input_ids).toEqual([17, 18, 2, 1]);
    // "▁🙂": ▁ (3) + <unk> (2).
    expect(tok.encode('🙂').input_ids).toEqual([3, 2, 1]);
    // "▁unaffable!": ▁ (3), nine uncovered characters fused into one <unk> (2), ! (20).
    expect(tok.encode('Unaffable!').input_ids).toEqual([3, 2, 20, 1]);
  });

  it('pairs follow the T5 template: A </s> B </s>, type ids all 0', () => {
    const e = tok.encode('hello', 'the world');
    expect(e.input_ids).toEqual([4, 1, 11, 5, 1]);
    expect(e.token_type_ids).toEqual([0, 0, 0, 0, 0]);
  });

  it('pads with the pad_id of tokenizer.json', () => {
    const b = tok.encodeBatch(['hello', 'hello world'], { padding: 'longest' });
    expect(b.input_ids).toEqual([
      [4, 1, 0],
      [4, 5, 1],
    ]);
    expect(b.attention_mask).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });
});
