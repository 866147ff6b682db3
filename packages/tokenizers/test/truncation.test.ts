/**
 * Truncation and padding semantics (implemented in this package, tokenizers.js has none), on the
 * WordPiece fixture (ids: [PAD]=0 [CLS]=2 [SEP]=3 the=5 cafe=6 hello=8 world=9; see wordpiece.test.ts).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdaptersError } from '@adapters/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Seq, Tokenizer, truncateSequences } from '../src';

const fixture = fileURLToPath(new URL('../fixtures/wordpiece-bert.json', import.meta.url));
let tok: Tokenizer;
beforeAll(async () => {
  tok = await Tokenizer.fromFile(fixture);
});
const the = (n: number): string => Array(n).fill('the').join(' ');

describe('truncation', () => {
  it("longest_first removes from the longer sequence one token at a time, from the second on ties ('transformers')", () => {
    // 4 + 4 tokens, maxLength 10 → budget 10 − 3 specials = 7 → one token to remove; tie → from the second.
    const e = tok.encode('hello world the cafe', 'hello world the cafe', { truncation: 'longest_first', maxLength: 10 });
    expect(e.input_ids).toEqual([2, 8, 9, 5, 6, 3, 8, 9, 5, 3]);
    // 6 + 1 tokens, maxLength 6 → budget 3 → the longer first loses 4: [CLS] the the [SEP] hello [SEP].
    expect(tok.encode(the(6), 'hello', { truncation: true, maxLength: 6 }).input_ids).toEqual([2, 5, 5, 3, 8, 3]);
  });

  it("'tokenizers' rule (Rust fast tokenizers) gives the odd token to the second sequence instead", () => {
    // Same 4 + 4 input, budget 7: Rust gives ⌊7/2⌋ = 3 to the first and 4 to the second.
    const e = tok.encode('hello world the cafe', 'hello world the cafe', { truncation: true, maxLength: 10, truncationRule: 'tokenizers' });
    expect(e.input_ids).toEqual([2, 8, 9, 5, 3, 8, 9, 5, 6, 3]);
  });

  it('only_first / only_second cut one sequence', () => {
    // only_first: budget 3, second has 2 → first keeps 1.
    expect(tok.encode(the(6), 'hello world', { truncation: 'only_first', maxLength: 6 }).input_ids).toEqual([2, 5, 3, 8, 9, 3]);
    // only_second: budget 3, first has 1 → second keeps 2.
    expect(tok.encode('hello', the(6), { truncation: 'only_second', maxLength: 6 }).input_ids).toEqual([2, 8, 3, 5, 5, 3]);
    expect(() => tok.encode(the(6), undefined, { truncation: 'only_second', maxLength: 4 })).toThrow(/needs a pair/);
    expect(() => tok.encode('hello', the(6), { truncation: 'only_first', maxLength: 6 })).toThrow(AdaptersError);
    expect(() => tok.encode('hello', undefined, { truncation: true })).toThrow(/needs maxLength/);
    expect(() => tok.encode('hello', undefined, { truncation: true, maxLength: 1 })).toThrow(/no room for the special tokens/);
  });

  it("matches transformers' one-at-a-time loop for every small case", () => {
    const seq = (n: number): Seq => ({ ids: Array.from({ length: n }, (_, i) => i), tokens: Array.from({ length: n }, (_, i) => `t${i}`) });
    for (let la = 0; la <= 8; la++) {
      for (let lb = 0; lb <= 8; lb++) {
        for (let budget = 0; budget <= 16; budget++) {
          // Literal port of PreTrainedTokenizerBase.truncate_sequences (longest_first, pair).
          let x = la;
          let y = lb;
          for (let r = la + lb - budget; r > 0; r--) {
            if (x > y) x--;
            else y--;
          }
          const [a, b] = truncateSequences(seq(la), seq(lb), budget, { strategy: 'longest_first', rule: 'transformers', side: 'right' });
          expect([a.ids.length, b!.ids.length], `${la}+${lb}→${budget}`).toEqual([x, y]);
        }
      }
    }
  });
});

describe('padding and tensors', () => {
  it("padding 'max_length' and padToMultipleOf", () => {
    expect(tok.encode('hello', undefined, { padding: 'max_length', maxLength: 5 }).input_ids).toEqual([2, 8, 3, 0, 0]);
    const b = tok.encodeBatch(['hello', 'hello world'], { padding: 'longest', padToMultipleOf: 8 });
    expect(b.input_ids.map((r) => r.length)).toEqual([8, 8]);
    expect(b.attention_mask[1]).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    // Without padding rows keep their lengths.
    expect(tok.encodeBatch(['hello', 'hello world']).input_ids).toEqual([
      [2, 8, 3],
      [2, 8, 9, 3],
    ]);
  });

  it('returnTensors gives int32 [batch, length] tensors', () => {
    const t = tok.encodeBatch(['hello', ['hello', 'the cafe']], { padding: 'longest', truncation: true, maxLength: 16, returnTensors: true });
    expect(t.input_ids.shape).toEqual([2, 6]);
    expect(t.input_ids.dtype).toBe('int32');
    expect(t.input_ids.arraySync()).toEqual([
      [2, 8, 3, 0, 0, 0],
      [2, 8, 3, 5, 6, 3],
    ]);
    expect(t.attention_mask.arraySync()).toEqual([
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    expect(t.token_type_ids.arraySync()).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 1, 1],
    ]);
    // Assignable to what AdapterModel.forward takes.
    const inputs: Readonly<Record<string, Tensor>> = t;
    expect(Object.keys(inputs).sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    for (const x of Object.values(t)) x.dispose();
    expect(() => tok.encodeBatch(['hello', 'hello world'], { returnTensors: true })).toThrow(/padding/);
  });
});

describe('fromFile on a model folder', () => {
  it('reads tokenizer.json and tokenizer_config.json (model_max_length, padding_side)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'adapters-tok-'));
    try {
      copyFileSync(fixture, path.join(dir, 'tokenizer.json'));
      writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 4, padding_side: 'left' }));
      const t = await Tokenizer.fromFile(dir);
      // model_max_length 4 is the default maxLength: [CLS] the the [SEP]; left padding to 4: [PAD] [CLS] hello [SEP].
      const b = t.encodeBatch([the(5), 'hello'], { truncation: true, padding: 'max_length' });
      expect(b.input_ids).toEqual([
        [2, 5, 5, 3],
        [0, 2, 8, 3],
      ]);
      await expect(Tokenizer.fromFile(path.join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
