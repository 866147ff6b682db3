import type { Options } from 'tsup';

/**
 * Shared tsup settings for every publishable package: ESM + .d.ts, tree-shakeable,
 * dependencies and peers external. Keep all build knobs here so a move to another
 * bundler touches one file.
 */
export function packageConfig(entry: string[], extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: true,
    ...extra,
  };
}
