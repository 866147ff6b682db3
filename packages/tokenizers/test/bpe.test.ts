/**
 * Byte-level BPE (GPT-2 style) fixture `fixtures/bpe-gpt2.json`.
 *
 * Ids 0-255 are GPT-2's byte symbols in GPT-2's order (`bytes_to_unicode`):
 * - printable byte b in 33-126  → id b − 33          (e.g. "!"=0, "C"=34, "H"=39, "a"=64, "e"=68, "o"=78)
 * - printable byte b in 161-172 → id b − 161 + 94    (e.g. 0xA9 "©" = 102)
 * - printable byte b in 174-255 → id b − 174 + 106   (e.g. 0xAF "¯" = 107, 0xC3 "Ã" = 127, 0xF0 "ð" = 172)
 * - other bytes, numbered n = 0, 1, … in the order 0-32, 127-160, 173 → id 188 + n, symbol U+0100+n
 *   (space 0x20: n = 32 → id 220 "Ġ"; 0x82: n = 33 + 3 → 224; 0x99: n = 33 + 26 → 247; 0x9F: n = 65 → 253; 0xAD: n = 67 → 255)
 *
 * Merges (rank: pair → new id): 0 "h e"→256, 1 "l l"→257, 2 "he ll"→258, 3 "hell o"→259,
 * 4 "Ġ w"→260, 5 "o r"→261, 6 "Ġw or"→262, 7 "Ġwor l"→263, 8 "Ġworl d"→264, 9 "Ġ t"→265,
 * 10 "Ġt he"→266. Added special token "<|endoftext|>" = 267.
 *
 * Pre-tokenizer: GPT-2 regex (words keep their leading space), then UTF-8 bytes → symbols; BPE
 * repeatedly merges the adjacent pair of lowest rank. Post-processor ByteLevel: no special tokens.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdaptersError } from '@adapters/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '../src';

const fixture = fileURLToPath(new URL('../fixtures/bpe-gpt2.json', import.meta.url));
let tok: Tokenizer;
beforeAll(async () => {
  tok = await Tokenizer.fromFile(fixture);
});

describe('byte-level BPE (GPT-2) tokenizer.json', () => {
  it('merges by rank', () => {
    // "hello": h e l l o → (h,e) rank 0 → he l l o → (l,l) rank 1 → he ll o → rank 2 → hell o → rank 3 → hello = 259.
    // " world": Ġ w o r l d → rank 4 Ġw, rank 5 or, rank 6 Ġwor, rank 7 Ġworl, rank 8 Ġworld = 264.
    expect(tok.encode('hello world').input_ids).toEqual([259, 264]);
    // Case matters: "Hello" → H e l l o; only (l,l) merges → H(39) e(68) ll(257) o(78).
    expect(tok.encode('Hello').input_ids).toEqual([39, 68, 257, 78]);
    // "the worlds": "the" → t h e → (h,e) → t he (no "t he" merge) = 83 256; " worlds" → Ġworld(264) s(115−33=82).
    expect(tok.encode('the worlds').input_ids).toEqual([83, 256, 264, 82]);
  });

  it('accents are UTF-8 bytes: "Café naïve"', () => {
    // "Café": C(34) a(64) f(69) é = C3 A9 → Ã(127) ©(102); " naïve": Ġ(220) n(77) a(64) ï = C3 AF → Ã(127) ¯(107) v(85) e(68).
    expect(tok.encode('Café naïve').input_ids).toEqual([34, 64, 69, 127, 102, 220, 77, 64, 127, 107, 85, 68]);
  });

  it('CJK and emoji fall back to bytes (no unknown token)', () => {
    // 中 = E4 B8 AD → 160 116 255; 文 = E6 96 87 → 162 244 229; 字 = E5 AD 97 → 161 255 245.
    expect(tok.encode('中文字').input_ids).toEqual([160, 116, 255, 162, 244, 229, 161, 255, 245]);
    // 🙂 = F0 9F 99 82 → ð(172) Ł(253) Ļ(247) Ĥ(224).
    expect(tok.encode('🙂').input_ids).toEqual([172, 253, 247, 224]);
    // Unknown word "xyz" is just bytes: " xyz" → Ġ(220) x(87) y(88) z(89).
    expect(tok.encode('hello xyz').input_ids).toEqual([259, 220, 87, 88, 89]);
  });

  it('added special tokens are matched before BPE', () => {
    expect(tok.encode('hello world<|endoftext|>').input_ids).toEqual([259, 264, 267]);
  });

  it('pairs are concatenated with token_type_ids 0/1 (ByteLevel post-processor adds nothing)', () => {
    // tokenizers.js returns the pair separately for ByteLevel; the wrapper merges it as the Rust library does.
    const e = tok.encode('hello', 'the worlds');
    expect(e.input_ids).toEqual([259, 83, 256, 264, 82]);
    expect(e.token_type_ids).toEqual([0, 1, 1, 1, 1]);
    expect(tok.numSpecialTokensToAdd(true)).toBe(0);
  });

  it('has no pad token: padding fails clearly unless one is configured', () => {
    expect(tok.padTokenId).toBeUndefined();
    expect(() => tok.encodeBatch(['hello', 'hello world'], { padding: 'longest' })).toThrow(AdaptersError);
    const withPad = Tokenizer.fromJSON(readFileSync(fixture, 'utf8'), { config: { pad_token: '<|endoftext|>', padding_side: 'left' } });
    const b = withPad.encodeBatch(['hello', 'hello world'], { padding: 'longest' });
    // Left padding (tokenizer_config padding_side) with <|endoftext|> = 267.
    expect(b.input_ids).toEqual([
      [267, 259],
      [259, 264],
    ]);
    expect(b.attention_mask).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
