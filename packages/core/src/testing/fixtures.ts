import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensorsAsTensors } from '../serialization/tensors';

/**
 * The golden fixtures folder (`../shared/fixtures` beside the repository). Override with the
 * `ADAPTERS_FIXTURES` environment variable.
 */
export function fixturesDir(): string {
  const env = process.env.ADAPTERS_FIXTURES;
  if (env) return env;
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return path.resolve(dir, '../shared/fixtures');
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(process.cwd(), '../shared/fixtures');
    dir = up;
  }
}

/** Absolute path of a file in the fixtures folder. */
export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir(), ...parts);
}

/** Reads a fixtures safetensors file as tfjs tensors (int64 → int32). Caller disposes. */
export function readFixtureTensors(...parts: string[]): Map<string, tf.Tensor> {
  const p = fixturePath(...parts);
  return readSafetensorsAsTensors(new Uint8Array(readFileSync(p)), p);
}

/** The fixtures manifest (`manifest.json`). */
export function fixtureManifest(): { cases: FixtureCase[]; [k: string]: unknown } {
  return JSON.parse(readFileSync(fixturePath('manifest.json'), 'utf8')) as { cases: FixtureCase[] };
}

/** One case of the fixtures manifest (fields used by the tests). */
export interface FixtureCase {
  id: string;
  kind: string;
  model: string;
  inputs: { file: string; keys: string[] };
  expected: { file: string; tensors: Record<string, { shape: number[] }> };
  adapter_dirs?: Record<string, string>;
  active?: unknown;
  composition?: unknown;
  extra_weights_file?: string;
  [k: string]: unknown;
}

/** Max |a − b| over two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape mismatch: [${a.shape}] vs [${b.shape}]`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(tf.cast(a, 'float32'), tf.cast(b, 'float32')))).dataSync()[0]!);
}
