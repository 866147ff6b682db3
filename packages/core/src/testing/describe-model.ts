import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdapterModel } from '../adapter-model';
import type { Hooks, ModelDefinition, ModelOutput } from '../define-model';
import { ForwardContext } from '../forward-context';
import { HOOK_POINT_KIND, siteId, siteKey } from '../hook-points';
import { baseLinear } from '../layers/linear';
import { finishWithoutAdapter } from '../layers/residual';
import { float32ToRaw } from '../io/convert';
import { loadBaseWeights, randomBaseWeights } from '../weights';
import { maxAbsDiff } from './fixtures';

/** Options of {@link describeModel}. */
export interface DescribeModelOptions {
  /** A small `config.json` object for the model. */
  config: Readonly<Record<string, unknown>>;
  /** Inputs for that config. */
  inputs: () => Record<string, tf.Tensor>;
}

/** Hooks that record every call and otherwise behave like "no adapter active". */
function spyHooks(calls: Map<string, number>): Hooks {
  const ctx = new ForwardContext({ training: false, setup: null });
  const hit = (point: string, layer: number): void => {
    const id = siteId(point as never, layer);
    calls.set(id, (calls.get(id) ?? 0) + 1);
  };
  return {
    ctx,
    linear(point, layer, x, w, b) {
      hit(point, layer);
      return baseLinear(x, w, b);
    },
    residual(point, layer, h, input, ln) {
      hit(point, layer);
      return finishWithoutAdapter(h, input, ln);
    },
    attention(point, layer, s) {
      hit(point, layer);
      return s;
    },
    embedding(point, s) {
      hit(point, -1);
      return s;
    },
    layerOutput(layer, h) {
      hit('layer.out', layer);
      return h;
    },
    matchBatch: (ref, t) => ctx.matchBatch(ref, t),
    matchBatches: (ts) => ctx.matchBatches(ts),
    dropout: (x) => x,
  };
}

/**
 * The conformance suite every model package runs: the forward calls every declared site exactly
 * once and nothing else, site kinds match the vocabulary, checkpoint loading round-trips, the
 * forward is deterministic in eval mode, and nothing leaks.
 */
export function describeModel<Cfg>(def: ModelDefinition<Cfg>, opts: DescribeModelOptions): void {
  describe(`model conformance: ${def.name}`, () => {
    const config = def.parseConfig(opts.config);

    it('declares sites with the right kinds and unique ids', () => {
      const sites = def.sites(config);
      const ids = sites.map((s) => siteKey(s));
      expect(new Set(ids).size).toBe(ids.length);
      for (const s of sites) expect(HOOK_POINT_KIND[s.point], s.point).toBe(s.kind);
    });

    it('calls every declared hook site exactly once per forward, and no other', () => {
      const weights = randomBaseWeights(def, config, 1);
      const calls = new Map<string, number>();
      const inputs = opts.inputs();
      const out = tf.tidy(() => def.forward({ inputs, weights, config, hooks: spyHooks(calls) }).last_hidden_state);
      const declared = def.sites(config).map((s) => siteKey(s));
      expect([...calls.keys()].sort()).toEqual([...declared].sort());
      for (const [id, n] of calls) expect(n, id).toBe(1);
      out.dispose();
      tf.dispose(Object.values(inputs));
      for (const v of weights.values()) v.dispose();
    });

    it('is deterministic in eval mode, finite, and leaks no tensors', () => {
      const model = new AdapterModel({ definition: def, config, weights: randomBaseWeights(def, config, 2) });
      const inputs = opts.inputs();
      // Keep last_hidden_state, free any other output (pooler_output, …) so it is not counted as a leak.
      const lastOnly = (o: ModelOutput): tf.Tensor => {
        for (const [k, v] of Object.entries(o)) if (k !== 'last_hidden_state' && v) tf.dispose(v);
        return o.last_hidden_state;
      };
      const a = lastOnly(model.forward(inputs));
      const before = tf.memory().numTensors;
      const b = lastOnly(model.forward(inputs));
      for (const v of Object.values(model.forward(inputs))) if (v && !Array.isArray(v)) (v as tf.Tensor).dispose();
      expect(maxAbsDiff(a, b)).toBe(0);
      expect(tf.tidy(() => tf.all(tf.isFinite(a)).dataSync()[0])).toBe(1);
      tf.dispose(b);
      const after = tf.memory().numTensors;
      expect(after).toBeLessThanOrEqual(before);
      tf.dispose([a, ...Object.values(inputs)]);
      model.dispose();
    });

    it('loads its own weights from a checkpoint map bit-exactly (PyTorch layouts transposed back)', () => {
      const weights = randomBaseWeights(def, config, 3);
      const raw = new Map(
        def.weightSpecs(config).map((s) => {
          const v = weights.get(s.name)!;
          const t = s.transposed ? tf.transpose(v) : v;
          const r = float32ToRaw(t.dataSync() as Float32Array, t.shape);
          if (t !== v) t.dispose();
          return [s.name, r] as const;
        }),
      );
      const loaded = loadBaseWeights(def, config, (n) => raw.get(n));
      for (const [k, v] of weights) expect(loaded.get(k)!.dataSync(), k).toEqual(v.dataSync());
      for (const v of [...weights.values(), ...loaded.values()]) v.dispose();
    });
  });
}
