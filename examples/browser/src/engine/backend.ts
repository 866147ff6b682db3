/**
 * Backend selection inside the worker: registers the browser backends, points the wasm backend at
 * its binaries (bundled by Vite), then asks core's `setupBackend` for the chosen one and falls back
 * (webgpu → webgl → wasm → cpu) with the reasons kept for display.
 */
import { type BackendInfo, type BackendName, probeBackends, setupBackend } from '@adapters/core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { DemoBackend } from '../protocol';

const ORDER: readonly DemoBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

let registered = false;

/**
 * Imports the optional GPU backends (each registers itself when the browser supports it) and sets
 * the wasm binaries' URLs. Idempotent.
 */
export async function registerBrowserBackends(): Promise<void> {
  if (registered) return;
  registered = true;
  // The same module instance that core's setupBackend imports; paths must be set before it initialises.
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  await Promise.allSettled([import('@tensorflow/tfjs-backend-webgl'), import('@tensorflow/tfjs-backend-webgpu')]);
}

/** Which backends this browser can run, with reasons for the others. */
export async function availableBackends(): Promise<{ name: string; available: boolean; reason?: string }[]> {
  await registerBrowserBackends();
  return (await probeBackends()).filter((b) => b.name !== 'tensorflow');
}

/** Sets up `requested`, else the next backend in {@link ORDER}; the reasons of failures are returned. */
export async function selectBackend(requested: DemoBackend): Promise<{ info: BackendInfo; failures: string[] }> {
  await registerBrowserBackends();
  const failures: string[] = [];
  for (const name of ORDER.slice(ORDER.indexOf(requested))) {
    try {
      return { info: await setupBackend({ backend: name as BackendName }), failures };
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no backend could be set up (${failures.join('; ')})`);
}

/** The device behind a GPU backend, and whether it is a software renderer (SwiftShader, llvmpipe). */
export interface GpuDevice {
  description: string;
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Describes the WebGPU adapter and the WebGL renderer (undefined where unavailable). */
export async function gpuDevices(): Promise<{ webgpu?: GpuDevice; webgl?: GpuDevice }> {
  const out: { webgpu?: GpuDevice; webgl?: GpuDevice } = {};
  try {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    if (adapter) {
      const i = adapter.info ?? {};
      const description = [i.vendor, i.architecture, i.device, i.description].filter((x) => x).join(' ') || 'unknown adapter';
      out.webgpu = { description, software: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE.test(description) };
    }
  } catch {
    // no WebGPU
  }
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const description = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      out.webgl = { description, software: SOFTWARE.test(description) };
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // no WebGL 2
  }
  return out;
}
