import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { whisper, whisperFixed } from '../src';
import { checkArchFixture } from './fixtures';

const bug = whisper as never;
const fixed = whisperFixed as never;

describe('Whisper matches transformers / adapters (architectures/whisper, cpu, ≤ 1e-5)', () => {
  it('default (Python bug reproduced), no adapter = expected-adapters-init', async () => {
    const d = await checkArchFixture(bug, 'whisper', null, [], { expectedFile: 'expected-adapters-init.safetensors' });
    console.log('whisper adapters-init', d);
  });
  it('fixed variant, no adapter = HF model (expected.safetensors)', async () => {
    console.log('whisper base fixed', await checkArchFixture(fixed, 'whisper', null));
  });
  it('default: LoRA (q, v of self- and cross-attention) = expected-lora', async () => {
    console.log('whisper lora', await checkArchFixture(bug, 'whisper', 'lora', [lora]));
  });
  it('default: seq_bn = expected-seq_bn', async () => {
    console.log('whisper seq_bn', await checkArchFixture(bug, 'whisper', 'seq_bn', [bottleneck]));
  });
  it('fixed: LoRA = expected-lora-fixed, seq_bn = expected-seq_bn-fixed', async () => {
    console.log('whisper lora fixed', await checkArchFixture(fixed, 'whisper', 'lora', [lora], { expectedFile: 'expected-lora-fixed.safetensors' }));
    console.log('whisper seq_bn fixed', await checkArchFixture(fixed, 'whisper', 'seq_bn', [bottleneck], { expectedFile: 'expected-seq_bn-fixed.safetensors' }));
  });
  it('the default variant differs from the HF model (the bug is real)', async () => {
    await expect(checkArchFixture(bug, 'whisper', null)).rejects.toThrow();
  });
});
