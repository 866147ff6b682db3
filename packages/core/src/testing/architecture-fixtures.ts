import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { AdapterMethod } from '../define-method';
import type { ModelDefinition } from '../define-model';
import { nodeStorage } from '../node/fs-storage';
import { loadPretrained } from '../pretrained';
import { loadAdapter } from '../serialization/adapter-files';
import { fixturePath, maxAbsDiff, readFixtureTensors } from './fixtures';

/** One architecture entry of `architectures/manifest.json` (fields used here). */
interface ArchEntry {
  outputs: Record<string, { shape: number[] }>;
  adapters: Record<string, { saved_keys: Record<string, number[]>; files: { adapter: string; expected: string } }>;
}

/** The `architectures/manifest.json` entry of `arch`. */
export function archManifest(arch: string): ArchEntry {
  const m = JSON.parse(readFileSync(fixturePath('architectures', 'manifest.json'), 'utf8')) as { architectures: Record<string, ArchEntry> };
  const e = m.architectures[arch];
  if (!e) throw new Error(`no architecture fixture "${arch}"`);
  return e;
}

/** Options of {@link checkArchFixture}. */
export interface ArchFixtureOptions {
  /** Largest allowed absolute difference per output (default 1e-5). */
  tol?: number;
  /** Expected-outputs file instead of `expected[-<adapter>].safetensors`. */
  expectedFile?: string;
  /** Fixture inputs to leave out (X-MOD: `lang_ids` is only for the transformers output). */
  dropInputs?: readonly string[];
}

/**
 * Loads `architectures/<arch>/model`, optionally loads and activates one saved adapter, runs the
 * fixture inputs and checks every output of the expected file (≤ `tol`) and, for adapters, that
 * the adapter's parameter keys and shapes are exactly the Python `saved_keys`.
 */
export async function checkArchFixture(
  def: ModelDefinition<never>,
  arch: string,
  adapter: string | null,
  methods: AdapterMethod[] = [],
  opts: ArchFixtureOptions = {},
): Promise<Record<string, number>> {
  const tol = opts.tol ?? 1e-5;
  const entry = archManifest(arch);
  const model = await loadPretrained(nodeStorage, fixturePath('architectures', arch, 'model'), { model: def, methods });
  if (adapter) {
    const a = entry.adapters[adapter]!;
    const name = await loadAdapter(model, nodeStorage, fixturePath('architectures', arch, a.files.adapter), { setActive: true });
    expect(name).toBe(adapter);
    const params = model.adapterParameters(name);
    expect([...params.keys()].sort()).toEqual(Object.keys(a.saved_keys).sort());
    for (const [k, shape] of Object.entries(a.saved_keys)) expect(params.get(k)!.shape, k).toEqual(shape);
  }
  const all = readFixtureTensors('architectures', arch, 'inputs.safetensors');
  for (const k of opts.dropInputs ?? []) {
    all.get(k)?.dispose();
    all.delete(k);
  }
  const inputs = Object.fromEntries(all);
  const expected = readFixtureTensors('architectures', arch, opts.expectedFile ?? (adapter ? `expected-${adapter}.safetensors` : 'expected.safetensors'));
  expect([...expected.keys()].sort()).toEqual(Object.keys(entry.outputs).sort());
  const out = model.forward(inputs);
  const diffs: Record<string, number> = {};
  for (const [k, e] of expected) {
    const got = out[k];
    expect(got, k).toBeDefined();
    diffs[k] = maxAbsDiff(got as tf.Tensor, e);
    expect(diffs[k], k).toBeLessThanOrEqual(tol);
  }
  tf.dispose([...Object.values(inputs), ...expected.values()]);
  for (const v of Object.values(out)) if (v) tf.dispose(v);
  model.dispose();
  return diffs;
}
