import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { distilbert } from '../src';
import { checkArchFixture } from './fixtures';

const def = distilbert as never;

describe('DistilBERT matches transformers / adapters (architectures/distilbert, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state', async () => {
    await checkArchFixture(def, 'distilbert', null);
  });
  it('LoRA (q_lin, v_lin) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'distilbert', 'lora', [lora]);
  });
  it('seq_bn (output_adapters) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'distilbert', 'seq_bn', [bottleneck]);
  });
});
