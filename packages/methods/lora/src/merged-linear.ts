import {
  type AdapterConfig,
  AdapterConfigError,
  CompositionError,
  type ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  type SetupNode,
  type Site,
  configValue,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform, normal } from './init';
import { createGate } from './lora-module';
import { num } from './targets';

/**
 * Python `LoRAMergedLinear` (`adapters/methods/lora.py`): LoRA or (IA)³ on a fused q|k|v
 * projection (GPT-2 `c_attn`, DeBERTa v1 `in_proj`), i.e. a linear site with `fusedSizes`.
 *
 * - LoRA (`composition_mode="add"`): one `lora_A ∈ R^{(r·n)×in}` and one `lora_B ∈ R^{(out/3·n)×r}`
 *   where `n` = number of q/k/v letters in `attn_matrices`. Python applies B through a grouped
 *   1-D convolution (`groups = n`): group `g` maps rows `g·r … (g+1)·r` of `x·Aᵀ` through rows
 *   `g·out/3 … (g+1)·out/3` of B. The result is scattered into the selected thirds of the output
 *   (zeros elsewhere), scaled by `alpha/r` (or the gate) and added.
 * - (IA)³ (`composition_mode="scale"`): one vector `lora_B ∈ R^{(out/3·n)×1}`, scattered into the
 *   selected thirds with fill value 1; the layer output (bias included) is multiplied by
 *   `pad(l) · alpha`. Quirk reproduced from Python: `alpha` multiplies the padded vector, so the
 *   *unselected* thirds are scaled by `alpha` too (no effect with the default `alpha = 1`).
 * - Gating: `gate = mean_seq(sigmoid(Linear_{in→n}(x)))` per selected third, repeated over its
 *   columns and padded with 1, replaces the scaling.
 *
 * As in Python the fused layer supports only a single active adapter: any composition block with
 * more than one child (or a nested block) throws {@link CompositionError} at forward time.
 */

/** Python `enable_lora`: which of the q|k|v blocks of the fused projection an adapter adapts. */
export function fusedEnabled(config: AdapterConfig): [boolean, boolean, boolean] {
  const m = (configValue(config, 'attn_matrices') as string[] | null) ?? [];
  return [m.includes('q'), m.includes('k'), m.includes('v')];
}

/**
 * Whether a LoRA-family config places a merged module at a fused site (Python: location
 * `selfattn_lora`, layer not in `leave_out`). Deviation: Python also creates a degenerate module
 * with zero-size matrices (which fails at forward time) when `attn_matrices` selects none of q/k/v;
 * here no module is created then.
 */
export function mergedLinearTargets(site: Site, config: AdapterConfig): site is LinearSite {
  if (site.kind !== 'linear' || !site.fusedSizes) return false;
  const leaveOut = (configValue(config, 'leave_out') as number[] | null) ?? [];
  if (leaveOut.map(Number).includes(site.layer)) return false;
  if (!configValue(config, 'selfattn_lora')) return false;
  return fusedEnabled(config).some(Boolean);
}

function describeSetup(s: SetupNode): string {
  return typeof s === 'string' ? s : `${s.type}[${s.children.map(describeSetup).join(', ')}]`;
}

/** Python: `if len(adapter_setup) == 1 … else: raise ValueError("Invalid adapter setup …")`. */
function assertSingleAdapter(ctx: ForwardContext, hidden: tf.Tensor | null): void {
  const s = ctx.setup;
  const single = s === null || typeof s === 'string' || (s.children.length === 1 && typeof s.children[0] === 'string');
  if (!single || hidden !== null) {
    throw new CompositionError(`Invalid adapter setup. Cannot use ${s ? describeSetup(s) : 'this setup'} with LoRA on a fused (merged q/k/v) projection.`);
  }
}

/** Block size of a fused site (Python `out_features // 3`); the blocks must be equal. */
function blockSize(site: LinearSite): number {
  const sizes = site.fusedSizes ?? [];
  const blk = sizes[0] ?? 0;
  if (sizes.length !== 3 || sizes.some((s) => s !== blk) || blk * 3 !== site.outFeatures) {
    throw new AdapterConfigError(`${site.path}: merged LoRA needs three equal q|k|v blocks, got fusedSizes ${JSON.stringify(sizes)}`);
  }
  return blk;
}

/**
 * Python `LoRAMergedLinear.pad`: scatters `x [..., n·blk]` into the enabled thirds of
 * `[..., 3·blk]`, filling the others with `fill`.
 */
export function padFused(x: tf.Tensor, enabled: readonly boolean[], blk: number, fill: number): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const pieces: tf.Tensor[] = [];
  let g = 0;
  for (const on of enabled) {
    if (on) {
      pieces.push(tf.slice(x, [...lead.map(() => 0), g * blk], [...lead, blk]));
      g++;
    } else pieces.push(tf.fill([...lead, blk], fill));
  }
  return tf.concat(pieces, x.rank - 1);
}

/**
 * The grouped product `conv1d(x·Aᵀ, B, groups = n)`: `[N, r·n]` → `[N, n·blk]`, group `g` using
 * rows `g·r…` of `afterA`'s columns and rows `g·blk…` of B.
 */
function groupedB(afterA: tf.Tensor, loraB: tf.Tensor, n: number, r: number, blk: number): tf.Tensor {
  const rows = afterA.shape[0]!;
  const a3 = tf.transpose(tf.reshape(afterA, [rows, n, r]), [1, 0, 2]); // [n, N, r]
  const b3 = tf.reshape(loraB, [n, blk, r]);
  const out = tf.matMul(a3, b3, false, true); // [n, N, blk]
  return tf.reshape(tf.transpose(out, [1, 0, 2]), [rows, n * blk]);
}

/** Creates the merged (fused q|k|v) LoRA or (IA)³ module of an adapter at a fused linear site. */
export function createMergedLinearModule(site: LinearSite, ctx: MethodInitContext): LinearModule {
  const c = ctx.config;
  const mode = configValue(c, 'composition_mode');
  if (mode !== 'add' && mode !== 'scale') throw new AdapterConfigError(`Unknown composition_mode: ${String(mode)}`, 'composition_mode');
  const r = num(c, 'r');
  const alpha = num(c, 'alpha');
  const dropout = num(c, 'dropout');
  const init = String(configValue(c, 'init_weights'));
  const enabled = fusedEnabled(c);
  const n = enabled.filter(Boolean).length;
  const blk = blockSize(site);
  const inF = site.inFeatures;
  if (mode === 'add' && (!(r > 0) || !Number.isInteger(r))) throw new AdapterConfigError(`r must be a positive integer, got ${r}`, 'r');
  if (mode === 'scale') {
    if (r !== 1) throw new AdapterConfigError("Can only use composition_mode='scale' when r == 1.", 'r');
    if (dropout > 0) throw new AdapterConfigError('IA3 module does not support dropout.', 'dropout');
    if (configValue(c, 'use_dora')) throw new AdapterConfigError('IA3 module does not support DoRA.', 'use_dora');
  }
  const key = `${site.path}.loras.${ctx.adapterName}`;
  const rng = ctx.rng.fork(key);
  const params = new Map<string, tf.Variable>();
  const nA = r * n * inF;
  const nB = blk * n * r;
  let loraA: tf.Variable | null = null;
  let bValues: Float32Array;
  if (mode === 'add') {
    let a: Float32Array;
    switch (init) {
      case 'lora':
        a = kaimingUniform(rng, nA, inF);
        bValues = new Float32Array(nB);
        break;
      case 'bert':
        a = normal(rng, nA, 0.02);
        bValues = normal(rng, nB, 0.02);
        break;
      case 'ia3':
        a = new Float32Array(nA).fill(1);
        bValues = new Float32Array(nB).fill(1);
        break;
      case 'vera':
        a = kaimingUniform(rng, nA, inF, 0);
        bValues = kaimingUniform(rng, nB, r, 0);
        break;
      default:
        throw new AdapterConfigError(`Unknown init_weights type: ${init}`, 'init_weights');
    }
    loraA = namedVariable(tf.tensor(a, [r * n, inF]), `${key}.lora_A`);
    params.set('lora_A', loraA);
  } else if (init === 'ia3') bValues = new Float32Array(nB).fill(1);
  else if (init === 'lora') bValues = new Float32Array(nB);
  else if (init === 'bert') bValues = normal(rng, nB, 0.02);
  else throw new AdapterConfigError(`Unknown init_weights type: ${init}`, 'init_weights');
  const loraB = namedVariable(tf.tensor(bValues, [blk * n, r]), `${key}.lora_B`);
  params.set('lora_B', loraB);
  let gate: [tf.Variable, tf.Variable] | null = null;
  if (configValue(c, 'use_gating')) {
    gate = createGate(ctx, inF, n, key);
    params.set('gate.weight', gate[0]);
    params.set('gate.bias', gate[1]);
  }
  const scaling = mode === 'add' ? alpha / r : alpha;

  /** `[B, 1, out]` gate: per-third sigmoid gate averaged over the sequence, padded with 1 (Python). */
  const gateOut = (input: tf.Tensor, fctx: ForwardContext, g: [tf.Variable, tf.Variable]): tf.Tensor => {
    if (input.rank !== 3) throw new Error(`${site.path}: gated merged LoRA needs [B, T, in] inputs`);
    const [b, t] = input.shape as [number, number, number];
    const logits = tf.add(tf.matMul(tf.reshape(input, [b * t, inF]), g[0], false, true), g[1]);
    const mean = tf.mean(tf.reshape(tf.sigmoid(logits), [b, t, n]), 1); // [B, n]
    fctx.storeGatingScore(ctx.adapterName, site.layer, 'selfattn_lora', mean);
    const repeated = tf.reshape(tf.tile(tf.reshape(mean, [b, n, 1]), [1, 1, blk]), [b, n * blk]);
    return tf.reshape(padFused(repeated, enabled, blk, 1), [b, 1, site.outFeatures]);
  };

  /** The update in `[in, out]` layout: LoRA `pad((B·A)ᵀ)·s` per group; used by merge. */
  const deltaInOut = (): tf.Tensor => {
    const a3 = tf.reshape(loraA!, [n, r, inF]);
    const b3 = tf.reshape(loraB, [n, blk, r]);
    const d = tf.matMul(a3, b3, true, true); // [n, in, blk] = (B_g·A_g)ᵀ
    const cols = tf.reshape(tf.transpose(d, [1, 0, 2]), [inF, n * blk]);
    return tf.mul(padFused(cols, enabled, blk, 0), scaling);
  };
  /** (IA)³ column scale `pad(l, 1)·alpha` `[out]`. */
  const scaleVector = (): tf.Tensor => tf.reshape(tf.mul(padFused(tf.reshape(loraB, [1, blk * n]), enabled, blk, 1), alpha), [site.outFeatures]);

  return {
    params,
    forward(hidden: tf.Tensor | null, input: tf.Tensor, fctx: ForwardContext) {
      assertSingleAdapter(fctx, hidden);
      const rank = input.rank;
      const lead = input.shape.slice(0, -1);
      if (mode === 'scale') {
        const v = tf.reshape(padFused(tf.reshape(loraB, [1, blk * n]), enabled, blk, 1), [...new Array<number>(rank - 1).fill(1), site.outFeatures]);
        return tf.mul(v, gate ? gateOut(input, fctx, gate) : scaling);
      }
      const x = fctx.dropout(input, dropout);
      const x2 = tf.reshape(x, [-1, inF]);
      const afterB = groupedB(tf.matMul(x2, loraA!, false, true), loraB, n, r, blk);
      const delta = tf.reshape(padFused(afterB, enabled, blk, 0), [...lead, site.outFeatures]);
      return tf.mul(delta, gate ? gateOut(input, fctx, gate) : scaling);
    },
    combine: (output, h) => (mode === 'add' ? tf.add(output, h) : tf.mul(output, h)),
    merge(weight: tf.Tensor, s: LinearSite) {
      if (gate) throw new AdapterConfigError('Cannot merge LoRA layer with gating.', 'use_gating');
      if (mode === 'scale') {
        const v = scaleVector();
        return s.weightLayout === 'in_out' ? tf.mul(weight, v) : tf.mul(weight, tf.reshape(v, [-1, 1]));
      }
      const d = deltaInOut();
      return tf.add(weight, s.weightLayout === 'in_out' ? d : tf.transpose(d));
    },
    unmerge(weight: tf.Tensor, s: LinearSite) {
      if (mode === 'scale') {
        const v = scaleVector();
        return s.weightLayout === 'in_out' ? tf.div(weight, v) : tf.div(weight, tf.reshape(v, [-1, 1]));
      }
      const d = deltaInOut();
      return tf.sub(weight, s.weightLayout === 'in_out' ? d : tf.transpose(d));
    },
  };
}
