import { readFileSync } from 'node:fs';
import {
  type AdapterSetup,
  type ModelOutput,
  loadPretrained,
  parseSetupString,
  readSafetensorsAsTensors,
  tensorsToSafetensors,
} from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import type * as tf from '@tensorflow/tfjs-core';
import { choice, parseCommand, requireString } from '../args';
import { loadArtifact } from '../load-artifacts';
import type { CliIO } from '../io';

const BACKENDS = ['cpu', 'wasm', 'webgpu', 'tensorflow'] as const;

/** `adapters forward`: runs a model (+ adapters) on a safetensors file of inputs and writes the outputs. */
export async function forwardCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('forward', argv, {
    model: { type: 'string' },
    adapter: { type: 'string', multiple: true },
    setup: { type: 'string' },
    inputs: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    'hidden-states': { type: 'boolean' },
  });
  const modelDir = requireString('forward', v, 'model');
  const inputsFile = requireString('forward', v, 'inputs');
  const outFile = requireString('forward', v, 'out');
  const backend = choice('forward', 'backend', v.backend, BACKENDS, 'cpu');
  await setupNodeBackend({ backend });
  const model = await loadPretrained(nodeStorage, modelDir);
  const adapters: string[] = [];
  for (const dir of (v.adapter as string[] | undefined) ?? []) {
    for (const a of await loadArtifact(model, dir)) if (a.kind === 'adapter') adapters.push(a.name);
  }
  let setup: AdapterSetup | null = null;
  if (typeof v.setup === 'string') setup = parseSetupString(v.setup);
  else if (adapters.length === 1) setup = adapters[0]!;
  else if (adapters.length > 1) {
    io.stderr(`forward: ${adapters.length} adapters loaded and no --setup given; running with none active.\n`);
  }
  model.setActiveAdapters(setup);
  const inputs = Object.fromEntries(readSafetensorsAsTensors(new Uint8Array(readFileSync(inputsFile)), inputsFile));
  const out = model.forward(inputs, { outputHiddenStates: v['hidden-states'] === true });
  const tensors = outputTensors(out);
  await nodeStorage.writeFile(outFile, tensorsToSafetensors(tensors, { format: 'pt' }));
  io.stdout(`${JSON.stringify({ out: outFile, tensors: [...tensors.keys()], setup: v.setup ?? adapters[0] ?? null, backend })}\n`);
  model.dispose();
  return 0;
}

/** Flattens model outputs into named tensors (`hidden_states.<i>` for lists). */
function outputTensors(out: ModelOutput): Map<string, tf.Tensor> {
  const m = new Map<string, tf.Tensor>();
  for (const [k, t] of Object.entries(out)) {
    if (!t) continue;
    if (Array.isArray(t)) t.forEach((x, i) => m.set(`${k}.${i}`, x));
    else m.set(k, t);
  }
  return m;
}
