import { createRequire } from 'node:module';
import { type BackendAvailability, registeredMethods, registeredModels } from '@adapters/core';
import { defaultWasmThreads, probeNodeBackends, setupNodeBackend } from '@adapters/core/node';
import { parseCommand } from '../args';
import type { CliIO } from '../io';

/**
 * `adapters info [--json]`: versions, the tfjs backends available here (with the reason for each
 * unavailable one), the backend `auto` chooses, and the registered models and adapter methods.
 */
export async function infoCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('info', argv, { json: { type: 'boolean' } });
  const require = createRequire(import.meta.url);
  const version = (pkg: string): string | null => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  const backends: BackendAvailability[] = await probeNodeBackends();
  const chosen = await setupNodeBackend({ backend: 'auto' });
  const out = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    versions: { '@adapters/cli': version('@adapters/cli'), '@adapters/core': version('@adapters/core'), '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core') },
    backends,
    chosen: {
      name: chosen.name,
      ...(chosen.threads !== undefined ? { threads: chosen.threads } : {}),
      ...(chosen.simd !== undefined ? { simd: chosen.simd } : {}),
      skipped: chosen.skipped,
      kernelPatches: chosen.kernelPatches,
    },
    wasmDefaultThreads: defaultWasmThreads(),
    models: registeredModels().map((m) => m.name),
    methods: registeredMethods().map((m) => m.name),
  };
  if (v.json) {
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `node ${out.node} (${out.platform}); @adapters/core ${out.versions['@adapters/core'] ?? '?'}; @tensorflow/tfjs-core ${out.versions['@tensorflow/tfjs-core'] ?? '?'}`,
    'backends:',
    ...backends.map((b) => `  ${b.name.padEnd(11)}${b.available ? 'available' : `unavailable: ${b.reason ?? ''}`}`),
    `chosen (auto): ${chosen.name}${chosen.threads !== undefined ? ` (${chosen.threads} thread${chosen.threads === 1 ? '' : 's'}${chosen.simd ? ', SIMD' : ''})` : ''}`,
    ...chosen.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`),
    `models: ${out.models.join(', ')}`,
    `methods: ${out.methods.join(', ')}`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
