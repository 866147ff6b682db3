import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { fixturePath, readFixtureTensors } from '@adapters/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vit } from '../src';
import { checkArchFixture } from './fixtures';

const vitConfig = JSON.parse(readFileSync(fixturePath('architectures', 'vit', 'model', 'config.json'), 'utf8')) as Record<string, unknown>;
const def = vit as never;

describe('ViT matches transformers / adapters (architectures/vit, cpu, ≤ 1e-5)', () => {
  it('base model: last_hidden_state and pooler_output', async () => {
    const d = await checkArchFixture(def, 'vit', null);
    console.log('vit base', d);
    expect(Object.keys(d)).toHaveLength(2);
  });
  it('LoRA (q, v) loaded from the Python adapter: keys and shapes equal saved_keys', async () => {
    console.log('vit lora', await checkArchFixture(def, 'vit', 'lora', [lora]));
  });
  it('seq_bn (encoder.layer.<i>.output.output_adapters) loaded from the Python adapter', async () => {
    console.log('vit seq_bn', await checkArchFixture(def, 'vit', 'seq_bn', [bottleneck]));
  });
  it('every checkpoint tensor is a weight spec (nothing ignored) and every required spec is in the checkpoint', () => {
    const ckpt = readFixtureTensors('architectures', 'vit', 'model', 'model.safetensors');
    const cfg = vit.parseConfig(vitConfig);
    const specs = vit.weightSpecs(cfg);
    const names = new Set(specs.map((s) => s.name));
    expect([...ckpt.keys()].filter((k) => !names.has(k))).toEqual([]);
    expect(specs.filter((s) => !s.optional && !ckpt.has(s.name)).map((s) => s.name)).toEqual([]);
    for (const t of ckpt.values()) t.dispose();
  });
});
