import { AdapterConfigError, AdaptersError, namedVariable } from '@adapters/core';
import type { Projection, ProjectionBuilder, ProjectionSpec } from '@adapters/bottleneck';
import * as tf from '@tensorflow/tfjs-core';
import { bmm, phmApply, phmWeight } from './kronecker';
import { checkDivisible, phmOptions } from './options';
import { type CompacterFixes, initRule, initW } from './phm-init';
import { sharedKey } from './shared';

/** A source of a `[n, rows, cols]` tensor: a variable, or a product computed at forward time. */
type Factor = () => tf.Tensor;

function sharedParam(spec: ProjectionSpec, local: string): tf.Variable {
  const v = spec.ctx.shared?.params.get(sharedKey(spec.ctx.adapterName, local));
  if (!v) throw new AdaptersError(`Compacter: shared parameter ${sharedKey(spec.ctx.adapterName, local)} is missing.`);
  return v;
}

/**
 * Python `PHMLayer` as a bottleneck projection: `y = x · H + b` with `H = Σ_i rule_i ⊗ W_i`.
 * Local parameter names (relative to `adapter_down.<i>` / `adapter_up`), in Python's order:
 * `phm_rule` (or `phm_rule_left`, `phm_rule_right`) unless the rule is shared, `W_left`,
 * `W_right` (or `W`) unless W is shared, and `b` when `phm_bias`.
 */
export function phmProjection(fixes: CompacterFixes = {}): ProjectionBuilder {
  return (spec: ProjectionSpec): Projection => {
    const o = phmOptions(spec.ctx.config);
    const n = o.phmDim;
    checkDivisible(spec.inFeatures, n, 'in_features', spec.key);
    checkDivisible(spec.outFeatures, n, 'out_features', spec.key);
    const a = spec.inFeatures / n;
    const b = spec.outFeatures / n;
    const params = new Map<string, tf.Variable>();
    const frozen = new Set<string>();
    const add = (local: string, data: Float32Array, shape: number[], trainable = true): tf.Variable => {
      const v = namedVariable(tf.tensor(data, shape), `${spec.key}.${local}`, trainable);
      params.set(local, v);
      if (!trainable) frozen.add(local);
      return v;
    };
    try {
      let rule: Factor;
      if (o.sharedRule) {
        if (o.factorizedRule) {
          const l = sharedParam(spec, 'phm_rule_left');
          const r = sharedParam(spec, 'phm_rule_right');
          rule = () => bmm(l, r);
        } else {
          const r = sharedParam(spec, 'phm_rule');
          rule = () => r;
        }
      } else if (o.factorizedRule) {
        const l = add('phm_rule_left', initRule(spec.rng.fork('phm_rule_left'), o, n * n, false), [n, n, 1], o.learnPhm);
        const r = add('phm_rule_right', initRule(spec.rng.fork('phm_rule_right'), o, n * n, false), [n, 1, n], o.learnPhm);
        rule = () => bmm(l, r);
      } else {
        const r = add('phm_rule', initRule(spec.rng.fork('phm_rule'), o, n * n * n, false), [n, n, n], o.learnPhm);
        rule = () => r;
      }

      let W: Factor;
      if (o.sharedW) {
        const pos = spec.role;
        const ws = o.factorizedW ? [sharedParam(spec, `W_${pos}_left`), sharedParam(spec, `W_${pos}_right`)] : [sharedParam(spec, `W_${pos}`)];
        const rows = ws[0]!.shape[1]!;
        const cols = ws[ws.length - 1]!.shape[2]!;
        if (rows !== a || cols !== b) {
          // Python's shared W is sized hidden // reduction_factor; a different bottleneck fails at forward time there.
          throw new AdapterConfigError(
            `shared_W_phm: the shared W_${pos} is [${n}, ${rows}, ${cols}] but the PHM layer at ${spec.key} needs ` +
              `[${n}, ${a}, ${b}] (shared W assumes the bottleneck hidden // reduction_factor at every layer)`,
            'reduction_factor',
          );
        }
        W = ws.length === 2 ? () => bmm(ws[0]!, ws[1]!) : () => ws[0]!;
      } else if (o.factorizedW) {
        const l = add('W_left', initW(spec.rng.fork('W_left'), o, a, o.phmRank, fixes), [n, a, o.phmRank]);
        const r = add('W_right', initW(spec.rng.fork('W_right'), o, o.phmRank, b, fixes), [n, o.phmRank, b]);
        W = () => bmm(l, r);
      } else {
        const w = add('W', initW(spec.rng.fork('W'), o, a, b, fixes), [n, a, b]);
        W = () => w;
      }
      const bias = o.bias ? add('b', new Float32Array(spec.outFeatures), [spec.outFeatures]) : null;
      return {
        params,
        frozen: frozen.size > 0 ? frozen : undefined,
        apply: (x) => phmApply(x, phmWeight(rule(), W()), bias),
      };
    } catch (e) {
      for (const v of params.values()) v.dispose();
      throw e;
    }
  };
}
