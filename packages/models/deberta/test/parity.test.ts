import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { deberta, debertaV2 } from '../src';
import { checkArchFixture } from './fixtures';

const report = (arch: string, what: string, d: Record<string, number>): void => {
  console.log(`${arch} ${what}: ${JSON.stringify(d)}`);
};

for (const [arch, def] of [
  ['deberta', deberta],
  ['deberta-v2', debertaV2],
] as const) {
  describe(`${arch} matches transformers / adapters (architectures/${arch}, cpu, ≤ 1e-5)`, () => {
    it('base model: last_hidden_state', async () => {
      report(arch, 'base', await checkArchFixture(def as never, arch, null));
    });
    it('LoRA (q, v) loaded from the Python adapter', async () => {
      report(arch, 'lora', await checkArchFixture(def as never, arch, 'lora', [lora]));
    });
    it('seq_bn (output) loaded from the Python adapter', async () => {
      report(arch, 'seq_bn', await checkArchFixture(def as never, arch, 'seq_bn', [bottleneck]));
    });
  });
}

describe('model_type routing', () => {
  it('each plugin refuses the other version', () => {
    expect(() => deberta.parseConfig({ model_type: 'deberta-v2' })).toThrow(/debertaV2/);
    expect(() => debertaV2.parseConfig({ model_type: 'deberta' })).toThrow(/deberta/);
  });
});
