import {
  CompositionError,
  MemoryStorage,
  NotFoundError,
  Stack,
  adapterSummary,
  adapterSummaryRows,
  loadPretrained,
  readCheckpoint,
  serializeSafetensors,
} from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lora } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describe('AdapterModel API', () => {
  it('withAdapterSetup activates for the call and restores the previous setup even when fn throws', () => {
    const model = randomBert([lora]);
    model.addAdapter('a', 'lora');
    model.addAdapter('b', 'lora');
    model.setActiveAdapters('a');
    const seen = model.withAdapterSetup('b', () => model.activeAdapters);
    expect(seen).toEqual(Stack('b'));
    expect(model.activeAdapters).toEqual(Stack('a'));
    expect(() =>
      model.withAdapterSetup('b', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(model.activeAdapters).toEqual(Stack('a'));
    model.dispose();
  });

  it('errors name the missing adapter and unsupported blocks', () => {
    const model = randomBert([lora]);
    model.addAdapter('a', 'lora');
    expect(() => model.setActiveAdapters('nope')).toThrow(NotFoundError);
    expect(() => model.setActiveAdapters({ type: 'Fuse', children: ['a', 'a'] })).toThrow(CompositionError);
    expect(() => model.addAdapter('a', 'lora')).toThrow(/already been added/);
    expect(() => model.addAdapter('x', 'seq_bn')).toThrow(/No method package accepts config SeqBnConfig/);
    model.dispose();
  });

  it('the fast path (no active adapter) equals the plain model; deleteAdapter frees every tensor', () => {
    const model = randomBert([lora]);
    const inputs = randomBertInputs();
    const base = model.forward(inputs).last_hidden_state;
    const n = tf.memory().numTensors;
    model.addAdapter('a', "lora[init_weights='bert']");
    const out = model.forward(inputs);
    expect(maxAbsDiff(base, out.last_hidden_state)).toBe(0);
    tf.dispose([out.last_hidden_state, out.pooler_output!]);
    model.deleteAdapter('a');
    expect(tf.memory().numTensors).toBe(n);
    model.dispose();
  });

  it('adapterSummary: Python table layout, counts and percentages', () => {
    const model = randomBert([lora]);
    model.addAdapter('a', 'lora[r=4]');
    model.trainAdapter('a');
    const rows = adapterSummaryRows(model);
    // 2 layers × (q, v) × (A [4,16] + B [16,4])
    expect(rows[0]).toMatchObject({ name: 'a', architecture: 'lora', '#param': 2 * 2 * 128, active: true, train: true });
    const base = rows[1]!['#param'];
    expect(rows[0]!['%param']).toBeCloseTo((512 / base) * 100, 10);
    const table = adapterSummary(model).split('\n');
    expect(table[0]).toBe('='.repeat(80));
    expect(table[1]).toBe('Name                     Architecture         #Param      %Param  Active   Train');
    expect(table[3]!.startsWith('a                        lora                    512')).toBe(true);
    expect(table[5]!.startsWith('Full model')).toBe(true);
    expect(table[5]!.endsWith('100.000           False')).toBe(true);
    model.dispose();
  });

  it('loads sharded checkpoints (model.safetensors.index.json)', async () => {
    const dir = fixturePath('models', 'tiny-bert');
    const all = await readCheckpoint(nodeStorage, dir);
    const names = [...all.keys()];
    const half = Math.ceil(names.length / 2);
    const storage = new MemoryStorage();
    storage.files.set('m/config.json', new Uint8Array(readFileSync(`${dir}/config.json`)));
    const shards = [names.slice(0, half), names.slice(half)];
    const weightMap: Record<string, string> = {};
    shards.forEach((keys, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      storage.files.set(`m/${file}`, serializeSafetensors(new Map(keys.map((k) => [k, all.get(k)!]))));
      for (const k of keys) weightMap[k] = file;
    });
    storage.files.set('m/model.safetensors.index.json', new TextEncoder().encode(JSON.stringify({ metadata: {}, weight_map: weightMap })));
    const model = await loadPretrained(storage, 'm', { model: bert as never });
    const out = model.forward(Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'))).last_hidden_state;
    expect(maxAbsDiff(out, readFixtureTensors('expected', 'bert', 'base.safetensors').get('last_hidden_state')!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});
