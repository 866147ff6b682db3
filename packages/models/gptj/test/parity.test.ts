import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { gptj } from '../src';
import { checkArchFixture } from './fixtures';

const def = gptj as never;

describe('GPT-J matches transformers / adapters (architectures/gptj, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state', async () => {
    const d = await checkArchFixture(def, 'gptj', null);
    expect(d.last_hidden_state).toBeLessThanOrEqual(1e-5);
  });
  it('LoRA (q_proj, v_proj) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'gptj', 'lora', [lora]);
  });
  it('seq_bn (output_adapters) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'gptj', 'seq_bn', [bottleneck]);
  });
});
