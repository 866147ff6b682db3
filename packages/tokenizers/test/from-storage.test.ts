// Tokenizer.fromStorage: the browser-safe loader (any Storage), checked against the vocabulary
// documented in wordpiece.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdapterFormatError, MemoryStorage, utf8 } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../src';

const json = readFileSync(fileURLToPath(new URL('../fixtures/wordpiece-bert.json', import.meta.url)));

describe('Tokenizer.fromStorage', () => {
  it('reads <folder>/tokenizer.json and the tokenizer_config.json next to it', async () => {
    const s = new MemoryStorage();
    await s.writeFile('m/tokenizer.json', json);
    const plain = await Tokenizer.fromStorage(s, 'm');
    // "hello world" → [CLS]=2 hello=8 world=9 [SEP]=3 (vocabulary in wordpiece.test.ts).
    expect(plain.encode('hello world').input_ids).toEqual([2, 8, 9, 3]);
    await s.writeFile('m/tokenizer_config.json', utf8.encode(JSON.stringify({ model_max_length: 3 })));
    const capped = await Tokenizer.fromStorage(s, 'm/tokenizer.json');
    expect(capped.encode('hello world the', undefined, { truncation: true }).input_ids).toEqual([2, 8, 3]);
  });

  it('names the missing or malformed file', async () => {
    const s = new MemoryStorage();
    await expect(Tokenizer.fromStorage(s, 'none')).rejects.toThrow(AdapterFormatError);
    await expect(Tokenizer.fromStorage(s, 'none')).rejects.toThrow(/none\/tokenizer\.json/);
    await s.writeFile('m/tokenizer.json', json);
    await s.writeFile('m/tokenizer_config.json', utf8.encode('{oops'));
    await expect(Tokenizer.fromStorage(s, 'm')).rejects.toThrow(/tokenizer_config\.json: invalid JSON/);
  });
});
