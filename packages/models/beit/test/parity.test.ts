import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { fixturePath, readFixtureTensors } from '@adapters/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beit } from '../src';
import { checkArchFixture } from './fixtures';

const beitConfig = JSON.parse(readFileSync(fixturePath('architectures', 'beit', 'model', 'config.json'), 'utf8')) as Record<string, unknown>;
const def = beit as never;

describe('BEiT matches transformers / adapters (architectures/beit, cpu, ≤ 1e-5)', () => {
  it('base model (per-layer relative bias, layer scale, mean pooling): last_hidden_state and pooler_output', async () => {
    const d = await checkArchFixture(def, 'beit', null);
    console.log('beit base', d);
    expect(Object.keys(d)).toHaveLength(2);
  });
  it('LoRA (q, v) loaded from the Python adapter: keys and shapes equal saved_keys', async () => {
    console.log('beit lora', await checkArchFixture(def, 'beit', 'lora', [lora]));
  });
  it('seq_bn (encoder.layer.<i>.output_adapters) loaded from the Python adapter', async () => {
    console.log('beit seq_bn', await checkArchFixture(def, 'beit', 'seq_bn', [bottleneck]));
  });
  it('every checkpoint tensor is a weight spec (nothing ignored) and every required spec is in the checkpoint', () => {
    const ckpt = readFixtureTensors('architectures', 'beit', 'model', 'model.safetensors');
    const cfg = beit.parseConfig(beitConfig);
    const specs = beit.weightSpecs(cfg);
    const names = new Set(specs.map((s) => s.name));
    expect([...ckpt.keys()].filter((k) => !names.has(k))).toEqual([]);
    expect(specs.filter((s) => !s.optional && !ckpt.has(s.name)).map((s) => s.name)).toEqual([]);
    for (const t of ckpt.values()) t.dispose();
  });
});
