/**
 * The backend-parity page (`parity.html?backend=cpu|wasm|webgl|webgpu[&cases=lora,seq_bn|none]`):
 * sets up exactly the requested backend (no fall-back), runs the parity cases of `./case` on it and
 * publishes the outputs as `window.adaptersParity` for `test/parity.test.ts`. A backend that cannot
 * be set up is reported as `unavailable` with the exact reason.
 *
 * Numerics settings (kept in `flags`): GPU backends run every op on the GPU (`WEBGL_CPU_FORWARD`
 * and `WEBGPU_CPU_FORWARD` off; by default small ops on CPU-resident inputs would run on the CPU);
 * WebGL needs float32 render targets (`WEBGL_RENDER_FLOAT32_ENABLED`; `WEBGL_FORCE_F16_TEXTURES`
 * stays off) and keeps its default packed kernels (`WEBGL_PACK` on), as applications get them.
 */
import { type BackendName, setupBackend } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { gpuDevices, registerBrowserBackends } from '../engine/backend';
import { PARITY_METHODS, type ParityMethod, runParityCase } from './case';
import { PARITY_BACKENDS, type ParityBackend, type ParityState } from './state';

const WEBGL_FLAGS = ['WEBGL_VERSION', 'WEBGL_RENDER_FLOAT32_CAPABLE', 'WEBGL_RENDER_FLOAT32_ENABLED', 'WEBGL_FORCE_F16_TEXTURES', 'WEBGL_PACK', 'WEBGL_CPU_FORWARD', 'WEBGL_USE_SHAPES_UNIFORMS', 'SOFTWARE_WEBGL_ENABLED'];
const WEBGPU_FLAGS = ['WEBGPU_CPU_FORWARD', 'WEBGPU_MATMUL_PROGRAM_TYPE'];

const params = new URLSearchParams(location.search);
const requested = params.get('backend') ?? 'cpu';
const casesParam = params.get('cases');
const methods = casesParam === 'none' ? [] : casesParam ? casesParam.split(',') : [...PARITY_METHODS];

const state: ParityState = { status: 'running', requested: requested as ParityBackend, active: null, flags: {}, cases: [], timings: {} };
window.adaptersParity = state;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function show(): void {
  document.body.dataset.status = state.status;
  const lines = [`backend ${state.requested}: ${state.status}`];
  if (state.reason) lines.push(`unavailable: ${state.reason}`);
  if (state.error) lines.push(`error: ${state.error}`);
  if (state.device) lines.push(`device: ${state.device.description}${state.device.software ? ' (software)' : ''}`);
  for (const c of state.cases) lines.push(`${c.method}: loss ${c.loss}`);
  document.getElementById('parity-status')!.textContent = lines.join('\n');
}

/** Sets up `name` alone; returns the reason when it cannot run here. */
async function setup(name: ParityBackend): Promise<string | undefined> {
  await registerBrowserBackends();
  // Flags must be set before the backend is created; they are registered by the imports above.
  if (name === 'webgl') tf.env().set('WEBGL_CPU_FORWARD', false);
  if (name === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
  try {
    await setupBackend({ backend: name as BackendName });
  } catch (e) {
    return message(e);
  }
  if (tf.getBackend() !== name) return `setupBackend left '${tf.getBackend()}' active`;
  for (const flag of name === 'webgl' ? WEBGL_FLAGS : name === 'webgpu' ? WEBGPU_FLAGS : []) {
    state.flags[flag] = tf.env().get(flag) as boolean | number | string;
  }
  if (name === 'webgl' || name === 'webgpu') {
    const device = (await gpuDevices())[name];
    if (device) state.device = device;
  }
  if (name === 'webgl' && state.flags.WEBGL_RENDER_FLOAT32_ENABLED !== true) {
    return 'WebGL cannot render to float32 textures here (WEBGL_RENDER_FLOAT32_ENABLED is false): it would compute in float16';
  }
  return undefined;
}

async function main(): Promise<void> {
  if (!(PARITY_BACKENDS as readonly string[]).includes(requested)) throw new Error(`unknown backend '${requested}' (one of ${PARITY_BACKENDS.join(', ')})`);
  const unknown = methods.filter((m) => !(PARITY_METHODS as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(', ')} (one of ${PARITY_METHODS.join(', ')})`);
  let t0 = performance.now();
  const reason = await setup(requested as ParityBackend);
  state.timings.setup = performance.now() - t0;
  if (reason !== undefined) {
    state.reason = reason;
    state.status = 'unavailable';
    return;
  }
  state.active = tf.getBackend();
  for (const m of methods as ParityMethod[]) {
    t0 = performance.now();
    // WebGPU cannot read synchronously in every context: its training step awaits its one read.
    state.cases.push(await runParityCase(m, { async: requested === 'webgpu' }));
    state.timings[m] = performance.now() - t0;
    show();
  }
  state.status = 'done';
}

main()
  .catch((e: unknown) => {
    state.error = message(e);
    state.status = 'error';
  })
  .finally(show);
