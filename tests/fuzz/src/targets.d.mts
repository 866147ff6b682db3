import type { FuzzTarget } from './harness.mjs';

/** Adapter folders of the fixtures that the fuzzed model can load. */
export const LOADABLE_ADAPTERS: readonly string[];

/** Seeds of every target. */
export interface FuzzSeeds {
  safetensors: { name: string; bytes: Uint8Array }[];
  torchBin: { name: string; bytes: Uint8Array }[];
  adapterConfig: { name: string; text: string }[];
  adapterFolder: { name: string; files: Record<string, Uint8Array> }[];
  tokenizer: { name: string; text: string }[];
}

export function loadSeeds(dirs: { fixturesDir: string; tokenizerFixturesDir: string }): FuzzSeeds;

/** The loaders under test. */
export interface FuzzLibs {
  core: unknown;
  Tokenizer: unknown;
  model: unknown;
}

export function makeTargets(libs: FuzzLibs, seeds: FuzzSeeds): FuzzTarget<any, any>[];
