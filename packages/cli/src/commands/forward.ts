import { readFileSync } from 'node:fs';
import {
  type AdapterSetup,
  type ModelOutput,
  parseSetupString,
  readSafetensorsAsTensors,
  tensorsToSafetensors,
} from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel, type FlexHeadOutput } from '@adapters/heads';
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
    head: { type: 'string' },
  });
  const modelDir = requireString('forward', v, 'model');
  const inputsFile = requireString('forward', v, 'inputs');
  const outFile = requireString('forward', v, 'out');
  const backend = choice('forward', 'backend', v.backend, BACKENDS, 'cpu');
  await setupNodeBackend({ backend });
  // A flex-head model (Python AutoAdapterModel): heads come from --adapter folders and the checkpoint.
  const model = await AutoAdapterModel.fromPretrained(nodeStorage, modelDir);
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
  // Activating the setup activates the head(s) it implies (an adapter's own head, BatchSplit, Parallel).
  model.setActiveAdapters(setup);
  const inputs = Object.fromEntries(readSafetensorsAsTensors(new Uint8Array(readFileSync(inputsFile)), inputsFile));
  const head = typeof v.head === 'string' ? v.head : undefined;
  const out = model.forwardHeads(inputs, { outputHiddenStates: v['hidden-states'] === true, ...(head ? { head } : {}) });
  const tensors = outputTensors(out);
  await nodeStorage.writeFile(outFile, tensorsToSafetensors(tensors, { format: 'pt' }));
  const heads = out.heads.map((h) => h.name);
  io.stdout(`${JSON.stringify({ out: outFile, tensors: [...tensors.keys()], setup: v.setup ?? adapters[0] ?? null, heads, backend })}\n`);
  model.dispose();
  return 0;
}

/** Flattens model outputs into named tensors (`hidden_states.<i>` for lists). */
function baseTensors(out: ModelOutput, m: Map<string, tf.Tensor>): void {
  for (const [k, t] of Object.entries(out)) {
    if (!t) continue;
    if (Array.isArray(t)) t.forEach((x, i) => m.set(`${k}.${i}`, x));
    else m.set(k, t);
  }
}

const HEAD_KEYS = ['logits', 'start_logits', 'end_logits'] as const;

/**
 * Base outputs plus head outputs: one head → `logits` (QA: `start_logits` / `end_logits`); several
 * heads (BatchSplit / Parallel / a list) → `head_outputs.<i>.<key>` per head (Python
 * `MultiHeadOutput[i]`); `loss` when computed.
 */
function outputTensors(out: FlexHeadOutput): Map<string, tf.Tensor> {
  const m = new Map<string, tf.Tensor>();
  baseTensors(out.base, m);
  out.heads.forEach((h, i) => {
    for (const k of HEAD_KEYS) {
      const t = h[k];
      if (t) m.set(out.heads.length === 1 ? k : `head_outputs.${i}.${k}`, t);
    }
  });
  if (out.loss) m.set('loss', out.loss);
  return m;
}
