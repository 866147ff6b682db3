import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { llama, mistral } from '../src';
import { checkArchFixture } from './fixtures';

for (const [arch, def] of [
  ['llama', llama],
  ['mistral', mistral],
] as const) {
  describe(`${arch} matches transformers / adapters (architectures/${arch}, cpu, ≤ 1e-5)`, () => {
    it('base model: last_hidden_state (GQA 4 query / 2 kv heads, padded row)', async () => {
      const d = await checkArchFixture(def as never, arch, null);
      expect(d.last_hidden_state).toBeLessThanOrEqual(1e-5);
    });
    it('LoRA on q_proj / v_proj (v with kv-head width 16) loaded from the Python adapter', async () => {
      await checkArchFixture(def as never, arch, 'lora', [lora]);
    });
    it('seq_bn (layers.<i>.output_adapters, pre-LN: no LayerNorm) loaded from the Python adapter', async () => {
      await checkArchFixture(def as never, arch, 'seq_bn', [bottleneck]);
    });
  });
}
