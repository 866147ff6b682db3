import { MemoryStorage, joinPath, parseSafetensors } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateDictPickle, torchZip } from '../../core/src/io/test-helpers';
import { loadAdapterWithHead, loadHead } from '../src';
import { disposeAll, fixtureInputs, tinyBert } from './helpers';

const CASES = [
  { head: 'task', keys: ['logits'] },
  { head: 'tagger', keys: ['logits'] },
  { head: 'qa', keys: ['start_logits', 'end_logits'] },
] as const;

async function loadAll(storage = nodeStorage, tagger = fixturePath('heads', 'bert', 'tagger')) {
  const model = await tinyBert();
  const r = await loadAdapterWithHead(model, nodeStorage, fixturePath('heads', 'bert', 'task'));
  expect(r).toEqual({ adapter: 'task', head: 'task' });
  expect(await loadHead(model, storage, tagger)).toBe('tagger');
  expect(await loadHead(model, nodeStorage, fixturePath('heads', 'bert', 'qa'))).toBe('qa');
  model.setActiveAdapters('task');
  model.eval();
  return model;
}

describe('heads reproduce the Python fixtures (BertAdapterModel, cpu, ≤ 1e-5)', () => {
  it('task (seq_bn + classification, saved with_head), tagger and qa', async () => {
    const model = await loadAll();
    const inputs = fixtureInputs();
    for (const c of CASES) {
      const expected = readFixtureTensors('expected', 'bert', `head-${c.head}.safetensors`);
      const out = model.forward(inputs, { head: c.head });
      for (const k of c.keys) expect(maxAbsDiff(out[k] as tf.Tensor, expected.get(k)!), `${c.head}.${k}`).toBeLessThanOrEqual(1e-5);
      disposeAll(out);
      disposeAll(Object.fromEntries(expected));
    }
    disposeAll(inputs);
    model.dispose();
  });

  it('activating adapter "task" activates head "task" (head follows the adapter setup)', async () => {
    const model = await loadAll();
    // load_head activated "qa" last; set_active_adapters("task") switches to head "task".
    expect(model.activeHead).toBe('task');
    const inputs = fixtureInputs();
    const out = model.forward(inputs);
    const expected = readFixtureTensors('expected', 'bert', 'head-task.safetensors');
    expect(maxAbsDiff(out.logits as tf.Tensor, expected.get('logits')!)).toBeLessThanOrEqual(1e-5);
    expect(out.last_hidden_state).toBeDefined();
    disposeAll(out);
    disposeAll(inputs);
    model.dispose();
  });

  it('loadHead falls back to pytorch_model_head.bin (torch zip) when the safetensors file is absent', async () => {
    const dir = fixturePath('heads', 'bert', 'tagger');
    const st = parseSafetensors(new Uint8Array(readFileSync(joinPath(dir, 'model_head.safetensors')))).tensors;
    const fake = [...st].map(([key, t], i) => ({
      key,
      storage: String(i),
      numel: t.shape.reduce((a, b) => a * b, 1),
      size: [...t.shape],
      stride: t.shape.length === 2 ? [t.shape[1]!, 1] : [1],
    }));
    const storages = Object.fromEntries([...st].map(([, t], i) => [String(i), t.data]));
    const mem = new MemoryStorage();
    await mem.writeFile('tagger/head_config.json', new Uint8Array(readFileSync(joinPath(dir, 'head_config.json'))));
    await mem.writeFile('tagger/pytorch_model_head.bin', torchZip(stateDictPickle(fake), storages, 'pytorch_model_head'));
    const model = await loadAll(mem, 'tagger');
    const inputs = fixtureInputs();
    const out = model.forward(inputs, { head: 'tagger' });
    const expected = readFixtureTensors('expected', 'bert', 'head-tagger.safetensors');
    expect(maxAbsDiff(out.logits as tf.Tensor, expected.get('logits')!)).toBeLessThanOrEqual(1e-5);
    disposeAll(out);
    disposeAll(inputs);
    model.dispose();
  });
});
