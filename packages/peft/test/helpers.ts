import { bert } from '@adapters/bert';
import { type AdapterModel, MemoryStorage, type ModelDefinition, joinPath, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, readFixtureTensors } from '@adapters/core/testing';
import { ia3 } from '@adapters/ia3';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, readdirSync } from 'node:fs';

/** BERT as a model definition. */
export const BERT = bert as ModelDefinition<unknown>;

/** The tiny BERT `config.json`. */
export function tinyConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath('models', 'tiny-bert', 'config.json'), 'utf8')) as Record<string, unknown>;
}

/** The fixtures' tiny BERT with LoRA and (IA)³. */
export function tinyBert(): Promise<AdapterModel> {
  return loadPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: BERT, methods: [lora, ia3] });
}

/** Copies a fixtures folder into a memory storage under `dir`. */
export function memoryCopy(dir: string, ...fixture: string[]): MemoryStorage {
  const mem = new MemoryStorage();
  const src = fixturePath(...fixture);
  for (const f of readdirSync(src)) mem.files.set(joinPath(dir, f), new Uint8Array(readFileSync(joinPath(src, f))));
  return mem;
}

/** The fixture inputs. */
export function fixtureInputs(): Record<string, tf.Tensor> {
  return Object.fromEntries(readFixtureTensors('io', 'inputs.safetensors'));
}

/** `last_hidden_state` of a forward pass (other outputs disposed). */
export function hidden(model: AdapterModel, inputs: Record<string, tf.Tensor>): tf.Tensor {
  const o = model.forward(inputs);
  for (const [k, v] of Object.entries(o)) if (k !== 'last_hidden_state' && v) tf.dispose(v);
  return o.last_hidden_state;
}
