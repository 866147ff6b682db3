/**
 * WebGPU in Node through the npm package `webgpu` (Dawn, prebuilt `dawn.node`; an optional peer
 * dependency). On Linux without a GPU, Dawn needs a Vulkan driver: Mesa's lavapipe ≥ 25 works
 * (Debian bookworm: `mesa-vulkan-drivers` from bookworm-backports; Mesa 22 yields no adapter).
 */
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { MissingPluginError } from '../errors';

interface DawnModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

interface GpuLike {
  requestAdapter(options?: object): Promise<unknown>;
}

let installed: Promise<void> | undefined;

function currentGpu(): GpuLike | undefined {
  return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
}

/** Sets `XDG_RUNTIME_DIR` (Mesa/Dawn warn or fail without it) to a private temp directory if unset. */
function ensureXdgRuntimeDir(): void {
  if (process.env['XDG_RUNTIME_DIR']) return;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = join(os.tmpdir(), `adapters-xdg-runtime-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env['XDG_RUNTIME_DIR'] = dir;
}

/**
 * Makes `navigator.gpu` and the WebGPU globals (`GPUBufferUsage`, …) available in Node from the
 * `webgpu` package. No-op when `navigator.gpu` already exists. Must run before
 * `@tensorflow/tfjs-backend-webgpu` is imported for its own registration to see WebGPU
 * (`setupBackend` also registers the factory if the plugin was imported earlier).
 *
 * @throws MissingPluginError when the `webgpu` package is not installed.
 */
export function installNodeWebGpu(): Promise<void> {
  if (currentGpu() !== undefined) return Promise.resolve();
  installed ??= (async () => {
    ensureXdgRuntimeDir();
    let dawn: DawnModule;
    try {
      const specifier = 'webgpu';
      dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
    } catch (e) {
      throw new MissingPluginError(
        `WebGPU in Node needs the optional package "webgpu" (Dawn), which could not be loaded: ` +
          `${e instanceof Error ? e.message : String(e)}`,
      );
    }
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    const g = globalThis as { navigator?: object };
    if (g.navigator !== undefined && g.navigator !== null) {
      // Node ≥ 21 has a navigator object: add gpu to it.
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', {
        value: { gpu },
        configurable: true,
        enumerable: true,
        writable: true,
      });
    }
  })().catch((e: unknown) => {
    installed = undefined;
    throw e;
  });
  return installed;
}

/** Result of {@link probeNodeWebGpu}. */
export interface WebGpuProbe {
  /** Whether a WebGPU adapter was found. */
  ok: boolean;
  /** Why not, when `ok` is false. */
  reason?: string;
}

/** Installs the Node WebGPU globals if possible and asks for an adapter. Never throws. */
export async function probeNodeWebGpu(): Promise<WebGpuProbe> {
  try {
    await installNodeWebGpu();
    const gpu = currentGpu();
    if (gpu === undefined) return { ok: false, reason: 'navigator.gpu is missing' };
    const adapter = await gpu.requestAdapter();
    return adapter == null
      ? {
          ok: false,
          reason:
            'no WebGPU adapter (on Linux without a GPU install Mesa >= 25 lavapipe: mesa-vulkan-drivers from bookworm-backports)',
        }
      : { ok: true };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
