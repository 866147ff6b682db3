import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TINY_MODELS } from './models';
import { rejectPair, runPair } from './run-pair';
import { METHOD_COLUMNS, MODEL_ROWS, matrixCell } from './table';

describe.each(MODEL_ROWS.map((r) => [r.id] as const))('matrix: %s', (modelId) => {
  const m = TINY_MODELS[modelId];
  it('has a tiny model', () => expect(m).toBeDefined());
  if (!m) return;
  for (const col of METHOD_COLUMNS) {
    const cell = matrixCell(modelId, col.id);
    if (cell.status === 'reject') {
      it(`${col.id}: rejected with ${cell.error} (${cell.reason})`, () => {
        const before = tf.memory().numTensors;
        const e = rejectPair(m, col);
        expect(e, 'expected a typed error, got none').toBeInstanceOf(Error);
        expect((e as Error).name).toBe(cell.error);
        expect((e as Error).message).toMatch(new RegExp(cell.message!, 'is'));
        // A clean rejection leaks no tensors.
        expect(tf.memory().numTensors).toBe(before);
      });
      continue;
    }
    it(`${col.id}: forward + one SGD step${cell.status === 'extension' ? ` (extension: ${cell.reason})` : ''}`, () => {
      const before = tf.memory().numTensors;
      const r = runPair(m, col);
      expect(r.forwardFinite).toBe(true);
      expect(r.forwardShape.length).toBe(3);
      expect(Number.isFinite(r.loss)).toBe(true);
      // The step moved something, and only trainable adapter parameters: base weights, frozen
      // shared matrices and buffers are bit-identical.
      expect(r.changed.length).toBeGreaterThan(0);
      for (const k of r.changed) {
        expect(r.trainable.has(k), `${k} changed but is not a trainable adapter parameter`).toBe(true);
        expect(r.frozen.has(k), `${k} is frozen but changed`).toBe(false);
      }
      for (const k of r.trainable) expect(r.baseKeys.has(k), `base weight ${k} is trainable`).toBe(false);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
