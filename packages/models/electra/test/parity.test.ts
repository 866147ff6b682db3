import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { electra } from '../src';
import { checkArchFixture } from './fixtures';

const def = electra as never;

describe('ELECTRA matches transformers / adapters (architectures/electra, embedding_size 16 → hidden 32, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state', async () => {
    await checkArchFixture(def, 'electra', null);
  });
  it('LoRA (query, value) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'electra', 'lora', [lora]);
  });
  it('seq_bn (output) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'electra', 'seq_bn', [bottleneck]);
  });
});
