import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TINY_MODELS } from './models';
import { runPair } from './run-pair';
import { EXCEPTIONS, METHOD_COLUMNS, MODEL_ROWS, matrixJson } from './table';

describe('matrix table', () => {
  it('matrix.json is the export of the table (run `pnpm --filter @adapters/tests-matrix export` after editing it)', () => {
    const file = JSON.parse(readFileSync(new URL('../matrix.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(matrixJson())));
  });

  it('every exception names a known row and column; every reject names its error and message', () => {
    const rows = new Set(MODEL_ROWS.map((r) => r.id));
    const cols = new Set(METHOD_COLUMNS.map((c) => c.id));
    for (const [model, byMethod] of Object.entries(EXCEPTIONS)) {
      expect(rows.has(model), model).toBe(true);
      for (const [method, ex] of Object.entries(byMethod)) {
        expect(cols.has(method), `${model}/${method}`).toBe(true);
        expect(ex.reason.length).toBeGreaterThan(10);
        if (ex.status === 'reject') {
          expect(ex.error, `${model}/${method}`).toBeDefined();
          expect(ex.message, `${model}/${method}`).toBeDefined();
        }
      }
    }
    for (const r of MODEL_ROWS) expect(TINY_MODELS[r.id], r.id).toBeDefined();
  });

  // The VeRA rejection on the Llama family is about grouped-query attention only: with as many
  // key/value heads as query heads all q/v projections share one shape and VeRA trains.
  it.each(['llama', 'qwen2'])('VeRA works on %s without grouped-query attention', (id) => {
    const m = TINY_MODELS[id]!;
    const r = runPair({ ...m, config: { ...m.config, num_key_value_heads: 4 } }, METHOD_COLUMNS.find((c) => c.id === 'vera')!);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.changed.length).toBeGreaterThan(0);
    for (const k of r.changed) expect(r.trainable.has(k) && !r.frozen.has(k), k).toBe(true);
  });
});
