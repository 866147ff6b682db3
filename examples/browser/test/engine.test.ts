// The worker's engine in Node (no browser needed): training lowers the dev loss, exported files
// reload to the same outputs, and composition picks the heads as Python does.
import { fileURLToPath } from 'node:url';
import { MemoryStorage, parseSafetensors, serializeSafetensors } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composition } from '../src/engine/compose';
import { type Dataset, loadDataset } from '../src/engine/data';
import { DEFAULT_SPEC, type TrainSpec } from '../src/engine/methods';
import { DemoSession, type TrainReport } from '../src/engine/session';

const ASSETS = fileURLToPath(new URL('../../../packages/demo/assets/', import.meta.url));
const SPEC: TrainSpec = { ...DEFAULT_SPEC, steps: 12, batchSize: 16, maxLength: 32, trainSize: 16, evalSize: 32, learningRate: 0.01 };

let session: DemoSession;
let data: Dataset;
let report: TrainReport;
const losses: number[] = [];

beforeAll(async () => {
  await setupNodeBackend({ backend: 'wasm', threads: 1 });
  session = await DemoSession.open(nodeStorage, `${ASSETS}tiny-review-bert`);
  data = await loadDataset(nodeStorage, `${ASSETS}reviews`);
  report = await session.train({ ...SPEC, name: 'a' }, data, (s) => losses.push(s.loss));
});
afterAll(async () => {
  session?.dispose();
  await tf.setBackend('cpu');
});

describe('demo engine (Node, wasm backend)', () => {
  it('reports one loss per step and lowers the training-set loss', () => {
    console.log(`[engine] losses ${losses.map((l) => l.toFixed(3)).join(' ')}; training-set loss ${report.fit.before.toFixed(4)} → ${report.fit.after.toFixed(4)}; dev loss ${report.before.loss.toFixed(4)} → ${report.after.loss.toFixed(4)}`);
    expect(losses).toHaveLength(SPEC.steps);
    expect(report.steps).toBe(SPEC.steps);
    expect(report.fit.after).toBeLessThan(report.fit.before);
  });

  it('exported files reload (as another name) to the same logits', async () => {
    const files = await session.exportAdapter('a');
    expect([...files.keys()].sort()).toEqual(['adapter.safetensors', 'adapter_config.json', 'head_config.json', 'model_head.safetensors']);
    const mem = new MemoryStorage();
    for (const [k, v] of files) await mem.writeFile(`up/${k}`, v);
    expect(await session.importAdapter(mem, 'up', 'b')).toBe('b');
    const sentence = 'The battery is perfect. Five stars.';
    const [pa] = await session.predict({ kind: 'single', adapters: ['a'], sentence, maxLength: 32 });
    const [pb] = await session.predict({ kind: 'single', adapters: ['b'], sentence, maxLength: 32 });
    expect(pb!.logits).toEqual(pa!.logits);
    expect(pa!.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
  });

  it('composes: Stack → last head, Parallel → one prediction per adapter, Average → every head on the averaged delta', async () => {
    const sentence = 'Ugly color.';
    const stack = await session.predict({ kind: 'Stack', adapters: ['a', 'b'], sentence, maxLength: 32 });
    expect(stack.map((p) => p.head)).toEqual(['b']);
    // Parallel replicas of identical adapters give each head the single-adapter output.
    const single = await session.predict({ kind: 'single', adapters: ['a'], sentence, maxLength: 32 });
    const par = await session.predict({ kind: 'Parallel', adapters: ['a', 'b'], sentence, maxLength: 32 });
    expect(par.map((p) => p.head)).toEqual(['a', 'b']);
    for (const p of par) p.logits.forEach((x, i) => expect(x).toBeCloseTo(single[0]!.logits[i]!, 5));
    // Average = mean over children of w_i·delta_i (Python's mean(), reproduced): two identical LoRA
    // adapters with weights 1/2 give delta/2 — the adapter with lora_B halved ('half', same head).
    const files = await session.exportAdapter('a');
    const st = parseSafetensors(files.get('adapter.safetensors')!);
    const halved = new Map([...st.tensors].map(([k, t]) => {
      if (!k.includes('lora_B')) return [k, t] as const;
      const f = new Float32Array(t.data.slice().buffer).map((x) => x / 2);
      return [k, { ...t, data: new Uint8Array(f.buffer) }] as const;
    }));
    const mem = new MemoryStorage();
    for (const [k, v] of files) await mem.writeFile(`h/${k}`, k === 'adapter.safetensors' ? serializeSafetensors(halved, st.metadata) : v);
    await session.importAdapter(mem, 'h', 'half');
    const half = await session.predict({ kind: 'single', adapters: ['half'], sentence, maxLength: 32 });
    expect(half[0]!.logits).not.toEqual(single[0]!.logits);
    const avg = await session.predict({ kind: 'Average', adapters: ['a', 'b'], sentence, maxLength: 32 });
    expect(avg.map((p) => p.head)).toEqual(['a', 'b']);
    for (const p of avg) p.logits.forEach((x, i) => expect(x).toBeCloseTo(half[0]!.logits[i]!, 5));
    expect(() => composition({ kind: 'Stack', adapters: ['a'] })).toThrow(/at least two/);
  });
});
