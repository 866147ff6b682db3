import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { albert, createAlbert } from '../src';
import { checkArchFixture } from './fixtures';

const def = albert as never;

describe('ALBERT matches transformers / adapters (architectures/albert: 2 applications of 1 shared layer, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state and pooler_output', async () => {
    await checkArchFixture(def, 'albert', null);
  });
  it('LoRA on the shared layer (one set of weights, applied twice)', async () => {
    await checkArchFixture(def, 'albert', 'lora', [lora]);
  });
  it('seq_bn on the shared layer (output_adapters, applied twice)', async () => {
    await checkArchFixture(def, 'albert', 'seq_bn', [bottleneck]);
  });
  it('the opt-in attention-adapter fix changes nothing for output adapters', async () => {
    await checkArchFixture(createAlbert({ fixAttentionAdapterOrder: true }) as never, 'albert', 'seq_bn', [bottleneck]);
  });
});
