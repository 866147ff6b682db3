import { type AdapterConfig, AdapterConfigError, type Activation, type MethodInitContext, configValue, isJsonObject, toNumber } from '@adapters/core';
import { bottleneckActivation, pyFloorDiv } from '@adapters/bottleneck';

/** Python's invertible adapter types (`inv_adapter`). */
export type InvertibleType = 'nice' | 'glow';

/** The fields of a `BnConfig` that shape its invertible adapter, validated. */
export interface InvertibleOptions {
  /** `inv_adapter`: `nice` (`NICECouplingBlock`) or `glow` (`GLOWCouplingBlock`). */
  readonly type: InvertibleType;
  /** `inv_adapter_reduction_factor`: subnet hidden size = `int(dims_in // rf)`. */
  readonly reductionFactor: number;
  /** The adapter's `non_linearity` (Python `Activation_Function_Class`; `null` → identity). */
  readonly activation: Activation;
}

function fail(field: string, msg: string): never {
  throw new AdapterConfigError(msg, field);
}

/** Reads and validates `inv_adapter`, `inv_adapter_reduction_factor` and `non_linearity`. */
export function invertibleOptions(c: AdapterConfig): InvertibleOptions {
  const type = configValue(c, 'inv_adapter');
  if (type !== 'nice' && type !== 'glow') fail('inv_adapter', `Invalid invertible adapter type ${JSON.stringify(type)} (expected "nice" or "glow")`);
  const rfRaw = configValue(c, 'inv_adapter_reduction_factor');
  const rf = toNumber(rfRaw);
  // Python computes `int(dims_in // reduction_factor)`: None or 0 raise there.
  if (rf === undefined || typeof rfRaw === 'boolean' || isJsonObject(rfRaw)) fail('inv_adapter_reduction_factor', `expected a number, got ${JSON.stringify(rfRaw)}`);
  if (!(rf > 0)) fail('inv_adapter_reduction_factor', `must be positive, got ${rf}`);
  const nl = configValue(c, 'non_linearity');
  const activation: Activation = nl === null || nl === undefined ? (x) => x : bottleneckActivation(nl);
  return { type, reductionFactor: rf, activation };
}

/** Python `int(dims_in // reduction_factor)`: the hidden size of a coupling subnet. */
export function subnetHidden(dimsIn: number, rf: number): number {
  return Math.trunc(pyFloorDiv(dimsIn, rf));
}

/**
 * The embedding size the invertible adapter works on (Python `getattr(config, "embedding_size",
 * config.hidden_size)`): the model's embedding site, else `embedding_size`, else `hidden_size`.
 */
export function embeddingSize(ctx: MethodInitContext): number {
  const site = ctx.sites.find((s) => s.kind === 'embedding');
  if (site && site.kind === 'embedding') return site.hiddenSize;
  const e = ctx.model.config.embedding_size;
  return typeof e === 'number' ? e : ctx.model.hiddenSize;
}
