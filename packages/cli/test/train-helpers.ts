import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixturePath } from '@adapters/core/testing';

/** The tokenizers package's hand-made WordPiece tokenizer (ids < 23 fit tiny-bert's vocab of 99). */
export const TOKENIZER = path.resolve(__dirname, '../../tokenizers/fixtures/wordpiece-bert.json');

const WORDS = ['the', 'cafe', 'naive', 'hello', 'world', 'a', 'is', 'unaffable', 'cafes', ',', '!', '.'];

/** `n` texts of fixture-vocabulary words; label "pos" when the text contains "good", else "neg". */
export function records(n: number, seed: number): { text: string; label: string }[] {
  let s = seed >>> 0;
  const rnd = (k: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 16) % k;
  };
  return Array.from({ length: n }, () => {
    const words = Array.from({ length: 3 + rnd(6) }, () => WORDS[rnd(WORDS.length)]!);
    const good = rnd(2) === 1;
    if (good) words.splice(rnd(words.length), 0, rnd(2) ? 'good' : 'goodly');
    return { text: words.join(' '), label: good ? 'pos' : 'neg' };
  });
}

/** Writes records as JSONL (or CSV with a header). */
export function writeDataset(file: string, rows: readonly { text: string; label: string }[]): string {
  if (file.endsWith('.csv')) {
    const q = (x: string): string => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);
    writeFileSync(file, `text,label\n${rows.map((r) => `${q(r.text)},${q(r.label)}`).join('\n')}\n`);
  } else writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

/** A copy of the fixtures' tiny BERT with dropout 0.1 (so that resumed runs must restore dropout seeds). */
export function tinyBertWithDropout(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const src = fixturePath('models', 'tiny-bert');
  const config = JSON.parse(readFileSync(path.join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 }));
  copyFileSync(path.join(src, 'model.safetensors'), path.join(dir, 'model.safetensors'));
  return dir;
}
