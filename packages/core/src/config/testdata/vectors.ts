/** Test-only loaders for the golden manifest (adapters 1.1.0) and python-vectors.json (adapters 1.2.0 source). */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesDir } from '../../testing/fixtures';
import { parsePythonJson } from '../python-json';

/** Folder of the shared golden fixtures. */
export const FIXTURES = fixturesDir(); // ../shared/fixtures beside the repository, or $ADAPTERS_FIXTURES

/** Whether the shared fixtures are present. */
export const HAVE_FIXTURES = existsSync(join(FIXTURES, 'manifest.json'));

export interface HashVector {
  config: string;
  kind: 'adapter' | 'fusion';
  class: string;
  config_dict: Record<string, unknown>;
  hash: string;
  hashed_json: string;
  hash_of_to_dict: string;
  hashed_json_of_to_dict: string;
  in_config_map?: boolean;
}

export interface Manifest {
  config_hashes: { vectors: HashVector[]; invalid_config_strings: Array<{ config: string; raises: string }> };
  cases: Array<{ id: string; kind: string; config?: Record<string, unknown>; files?: unknown }>;
}

/**
 * The fixture manifest, or undefined if the fixtures are not there. Parsed with `parsePythonJson` so Python floats
 * such as `0.0` stay floats (values are `JsonValue`s, typed loosely here).
 */
export function loadManifest(): Manifest | undefined {
  if (!HAVE_FIXTURES) return undefined;
  return parsePythonJson(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'), { file: 'manifest.json' }) as unknown as Manifest;
}

export interface PyDescribed {
  config: string;
  class?: string;
  error?: string;
  hash?: string;
  hashed_json?: string;
  to_dict_json?: string;
  to_dict_sorted_indent2?: string;
}

export interface PythonVectors {
  identifiers: PyDescribed[];
  config_strings: PyDescribed[];
  invalid_config_strings: PyDescribed[];
  unions: Array<{ name: string; ok: boolean; error?: string; hash?: string; to_dict_json?: string }>;
  from_dict: Array<{
    name: string;
    input_json: string;
    class?: string;
    error?: string;
    hash?: string;
    hashed_json?: string;
    to_dict_json?: string;
    items_json?: string | null;
  }>;
  fusion: PyDescribed[];
  float_repr: string[];
  json_roundtrip: Array<{
    text: string;
    dumps: string;
    dumps_sorted: string;
    dumps_indent2_sorted: string;
    dumps_indent2: string;
    dumps_indent0: string;
  }>;
  json_invalid: string[];
  literals: Array<{ src: string; json: string }>;
  literals_invalid: Array<{ src: string; python_accepts: boolean }>;
}

/** Vectors computed by the Python adapters 1.2.0 config code (see make_python_vectors.py). */
export function loadPythonVectors(): PythonVectors {
  const here = dirname(fileURLToPath(import.meta.url));
  return JSON.parse(readFileSync(join(here, 'python-vectors.json'), 'utf8')) as PythonVectors;
}
