import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { bertGeneration } from '../src';
import { checkArchFixture } from './fixtures';

const def = bertGeneration as never;

describe('BertGenerationEncoder matches transformers / adapters (architectures/bert-generation, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state', async () => {
    await checkArchFixture(def, 'bert-generation', null);
  });
  it('LoRA (query, value) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'bert-generation', 'lora', [lora]);
  });
  it('seq_bn (output) loaded from the Python adapter', async () => {
    await checkArchFixture(def, 'bert-generation', 'seq_bn', [bottleneck]);
  });
});
