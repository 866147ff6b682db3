import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { clip } from '../src';
import { checkArchFixture } from './fixtures';

const def = clip as never;

describe('CLIP matches transformers / adapters (architectures/clip, cpu, ≤ 1e-5)', () => {
  it('base model: every output (embeds, logits, both towers)', async () => {
    const d = await checkArchFixture(def, 'clip', null);
    console.log('clip base', d);
    expect(Object.keys(d)).toHaveLength(8);
  });
  it('LoRA (q, v of both towers) loaded from the Python adapter', async () => {
    console.log('clip lora', await checkArchFixture(def, 'clip', 'lora', [lora]));
  });
  it('seq_bn (output adapters of both towers) loaded from the Python adapter', async () => {
    console.log('clip seq_bn', await checkArchFixture(def, 'clip', 'seq_bn', [bottleneck]));
  });
});
