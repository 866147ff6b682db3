import { type AdapterMethod, type AdapterModel, configMembers, loadAdapter, loadPretrained, resolveAdapterConfig, parseWeightsFile } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { type FixtureCase, fixtureManifest, fixturePath, readFixtureTensors } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { readFileSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs-core';

/** `method` cases of the manifest (one adapter folder, activated alone). */
export function methodCases(): FixtureCase[] {
  return fixtureManifest().cases.filter((c) => c.kind === 'method' && c.model === 'models/tiny-bert');
}

/** True when every part of the case's config is accepted by one of `methods`. */
export function covered(c: FixtureCase, methods: readonly AdapterMethod[]): boolean {
  const config = resolveAdapterConfig(c.config as Record<string, unknown>);
  return configMembers(config).every((m) => {
    const ms = methods.filter((x) => x.accepts(m));
    return ms.length > 0 && ms.every((x) => (x.requires?.(m) ?? []).every((r) => ms.some((y) => y.name === r.method)));
  });
}

/** Loads the case's model and adapter and returns the model, inputs and expected tensors. */
export async function prepareMethodCase(
  c: FixtureCase,
  methods: AdapterMethod[],
): Promise<{ model: AdapterModel; inputs: Record<string, tf.Tensor>; expected: Map<string, tf.Tensor> }> {
  const model = await loadPretrained(nodeStorage, fixturePath(c.model), { model: bert as never, methods });
  const [name, dir] = Object.entries(c.adapter_dirs ?? {})[0]!;
  const extra = c.extra_weights_file ? parseWeightsFile(new Uint8Array(readFileSync(fixturePath(c.extra_weights_file))), c.extra_weights_file) : undefined;
  await loadAdapter(model, nodeStorage, fixturePath(dir), { loadAs: name, setActive: true, ...(extra ? { extraWeights: extra } : {}) });
  const inputs = Object.fromEntries(readFixtureTensors(c.inputs.file));
  const expected = readFixtureTensors(c.expected.file);
  return { model, inputs, expected };
}
