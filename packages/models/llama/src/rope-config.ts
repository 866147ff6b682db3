import { AdapterConfigError } from '@adapters/core';

/** `rope_scaling` variants implemented here (transformers' `ROPE_INIT_FUNCTIONS` subset). */
export type RopeScaling =
  | { readonly type: 'default' }
  /** Position interpolation: every inverse frequency divided by `factor`. */
  | { readonly type: 'linear'; readonly factor: number }
  /** Llama 3.1: low frequencies divided by `factor`, high ones kept, a smooth ramp between. */
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFreqFactor: number;
      readonly highFreqFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    };

function field(obj: Readonly<Record<string, unknown>>, key: string): number {
  const v = obj[key];
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new AdapterConfigError(`rope_scaling.${key} must be a number, got ${JSON.stringify(v)}`, 'rope_scaling');
  return n;
}

/**
 * Reads `rope_scaling` (`null`, `{rope_type|type: "default" | "linear" | "llama3", …}`); other
 * types (dynamic, yarn, longrope, …) throw an {@link AdapterConfigError} naming `rope_scaling`.
 */
export function parseRopeScaling(raw: unknown): RopeScaling {
  if (raw === undefined || raw === null) return { type: 'default' };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AdapterConfigError(`expected an object or null, got ${JSON.stringify(raw)}`, 'rope_scaling');
  const obj = raw as Readonly<Record<string, unknown>>;
  const type = String(obj.rope_type ?? obj.type ?? 'default');
  switch (type) {
    case 'default':
      return { type: 'default' };
    case 'linear':
      return { type: 'linear', factor: field(obj, 'factor') };
    case 'llama3': {
      const r = {
        type: 'llama3' as const,
        factor: field(obj, 'factor'),
        lowFreqFactor: field(obj, 'low_freq_factor'),
        highFreqFactor: field(obj, 'high_freq_factor'),
        originalMaxPositionEmbeddings: field(obj, 'original_max_position_embeddings'),
      };
      if (r.highFreqFactor === r.lowFreqFactor) throw new AdapterConfigError('llama3 needs high_freq_factor ≠ low_freq_factor', 'rope_scaling');
      return r;
    }
    default:
      throw new AdapterConfigError(`rope type "${type}" is not implemented; supported: default, linear, llama3`, 'rope_scaling');
  }
}
