import {
  AdapterConfigError,
  type ForwardContext,
  type LinearModule,
  type LinearSite,
  type MethodInitContext,
  type SharedParams,
  configValue,
  namedVariable,
  toNumber,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform, normal } from './init';
import { createGate, gateValue } from './lora-module';
import { loraTargets, num } from './targets';

/** State-dict keys of VeRA's frozen shared matrices (`shared_parameters.<name>.lora_A|lora_B`). */
export function veraSharedKeys(adapterName: string): { a: string; b: string } {
  return { a: `shared_parameters.${adapterName}.lora_A`, b: `shared_parameters.${adapterName}.lora_B` };
}

/**
 * Python `init_shared_vera_parameters`: the frozen random `lora_A` (`r×in`) and `lora_B` (`out×r`) shared by
 * all VeRA modules of an adapter, shaped after the first adapted projection (Python `_vera_init_shapes`).
 * Init per `init_weights` (`vera`: both kaiming-uniform with `a = 0`, as `nn.init.kaiming_uniform_` defaults).
 */
export function createVeraShared(ctx: MethodInitContext): SharedParams | undefined {
  const first = ctx.sites.find((s): s is LinearSite => s.kind === 'linear' && !s.fusedSizes && loraTargets(s, ctx.config));
  if (!first) return undefined;
  const r = num(ctx.config, 'r');
  if (!(r > 0) || !Number.isInteger(r)) throw new AdapterConfigError(`r must be a positive integer, got ${r}`, 'r');
  const nA = r * first.inFeatures;
  const nB = first.outFeatures * r;
  const rng = ctx.rng.fork(`shared_parameters.${ctx.adapterName}`);
  const init = String(configValue(ctx.config, 'init_weights'));
  let a: Float32Array;
  let b: Float32Array;
  switch (init) {
    case 'lora':
      a = kaimingUniform(rng, nA, first.inFeatures);
      b = new Float32Array(nB);
      break;
    case 'bert':
      a = normal(rng, nA, 0.02);
      b = normal(rng, nB, 0.02);
      break;
    case 'ia3':
      a = new Float32Array(nA).fill(1);
      b = new Float32Array(nB).fill(1);
      break;
    case 'vera':
      a = kaimingUniform(rng, nA, first.inFeatures, 0);
      b = kaimingUniform(rng, nB, r, 0);
      break;
    default:
      throw new AdapterConfigError(`Unknown init_weights type: ${init}`, 'init_weights');
  }
  const keys = veraSharedKeys(ctx.adapterName);
  const params = new Map<string, tf.Variable>([
    [keys.a, namedVariable(tf.tensor2d(a, [r, first.inFeatures]), keys.a, false)],
    [keys.b, namedVariable(tf.tensor2d(b, [first.outFeatures, r]), keys.b, false)],
  ]);
  return { params, frozen: new Set([keys.a, keys.b]) };
}

/** A VeRA module and its unscaled `ΔW = vera_B·B·vera_D·A` (`[out, in]`, Python `delta_w`) for DoRA. */
export interface VeraModule extends LinearModule {
  deltaW(): tf.Tensor;
}

/**
 * A VeRA module (Python `Vera`): trainable `vera_D = diag(vera_d·1_r)` (`r×r`) and `vera_B = diag(vera_b·1_out)`
 * (`out×out`) — stored dense, as Python does, so every entry trains — around the adapter's frozen shared A/B:
 * `h ← dropout(h ?? x)·(vera_B·B·vera_D·A)ᵀ·(alpha/r)` (or · gate); combined by addition.
 */
export function createVeraModule(site: LinearSite, ctx: MethodInitContext): VeraModule {
  const c = ctx.config;
  if (configValue(c, 'composition_mode') !== 'add') throw new AdapterConfigError("Vera module only supports composition_mode='add'.", 'composition_mode');
  const r = num(c, 'r');
  const alpha = num(c, 'alpha');
  const dropout = num(c, 'dropout');
  const keys = veraSharedKeys(ctx.adapterName);
  const sharedA = ctx.shared?.params.get(keys.a);
  const sharedB = ctx.shared?.params.get(keys.b);
  if (!sharedA || !sharedB) throw new AdapterConfigError(`VeRA adapter "${ctx.adapterName}" has no shared matrices`);
  if (sharedA.shape[1] !== site.inFeatures || sharedB.shape[0] !== site.outFeatures) {
    // Python takes the shared shapes from the first adapted layer and fails at forward time otherwise.
    throw new AdapterConfigError(
      `VeRA shares one A/B per adapter: ${site.path} is ${site.inFeatures}→${site.outFeatures} but the shared matrices are ${sharedA.shape[1]}→${sharedB.shape[0]}`,
      'attn_matrices',
    );
  }
  // Python: torch.ones(n) * None fails for a missing value; a config that reaches here has at least one float.
  const d = toNumber(configValue(c, 'vera_d'));
  const bv = toNumber(configValue(c, 'vera_b'));
  if (d === undefined || bv === undefined) throw new AdapterConfigError('VeRA needs both vera_d and vera_b to be numbers', d === undefined ? 'vera_d' : 'vera_b');
  const key = `${site.path}.loras.${ctx.adapterName}`;
  const diag = (n: number, v: number): Float32Array => {
    const out = new Float32Array(n * n);
    for (let i = 0; i < n; i++) out[i * n + i] = v;
    return out;
  };
  const veraD = namedVariable(tf.tensor2d(diag(r, d), [r, r]), `${key}.vera_D`);
  const veraB = namedVariable(tf.tensor2d(diag(site.outFeatures, bv), [site.outFeatures, site.outFeatures]), `${key}.vera_B`);
  const params = new Map<string, tf.Variable>([
    ['vera_D', veraD],
    ['vera_B', veraB],
  ]);
  let gate: [tf.Variable, tf.Variable] | null = null;
  if (configValue(c, 'use_gating')) {
    gate = createGate(ctx, site.inFeatures, 1, key);
    params.set('gate.weight', gate[0]);
    params.set('gate.bias', gate[1]);
  }
  const scaling = alpha / r;
  const deltaW = (): tf.Tensor => tf.matMul(tf.matMul(tf.matMul(veraB, sharedB), veraD), sharedA); // [out, in]
  const deltaInOut = (): tf.Tensor => tf.mul(tf.transpose(deltaW()), scaling);
  return {
    params,
    deltaW,
    forward(hidden: tf.Tensor | null, input: tf.Tensor, fctx: ForwardContext) {
      const h = fctx.dropout(hidden ?? input, dropout);
      const shape = h.shape;
      const h2 = tf.reshape(h, [-1, shape[shape.length - 1]!]);
      const y = tf.reshape(tf.matMul(h2, deltaW(), false, true), [...shape.slice(0, -1), site.outFeatures]);
      if (gate) {
        const g = gateValue(input, gate[0], gate[1]);
        fctx.storeGatingScore(ctx.adapterName, site.layer, 'selfattn_lora', g);
        return tf.mul(y, g);
      }
      return tf.mul(y, scaling);
    },
    combine: (output, hidden) => tf.add(output, hidden),
    merge(weight: tf.Tensor, s: LinearSite) {
      if (gate) throw new AdapterConfigError('Cannot merge LoRA layer with gating.', 'use_gating');
      const dd = deltaInOut();
      return tf.add(weight, s.weightLayout === 'in_out' ? dd : tf.transpose(dd));
    },
    unmerge(weight: tf.Tensor, s: LinearSite) {
      const dd = deltaInOut();
      return tf.sub(weight, s.weightLayout === 'in_out' ? dd : tf.transpose(dd));
    },
  };
}
