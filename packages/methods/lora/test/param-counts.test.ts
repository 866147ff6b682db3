import { adapterSummaryRows } from '@adapters/core';
import { describe, expect, it } from 'vitest';
import { dora, dvora, lora, vera } from '../src';
import { bertBaseZeros } from './helpers';

/**
 * `adapterSummary()` counts for default configs on BERT-base, as in the reference (§10.2, derived from the Python
 * code): parameters of every module including frozen/shared ones; percentages relative to 109,482,240.
 */
describe('adapterSummary parameter counts on BERT-base (reference §10.2)', () => {
  const cases: [string, number, string | null][] = [
    ['lora', 294_912, '0.2694'],
    ['vera', 14_169_600, '12.9424'], // dense vera_B quirk; 12,288 of it frozen (shared A/B)
    ['dora', 313_344, '0.2862'],
    ['dvora', 14_188_032, null], // not in the table: VeRA + 24 magnitude vectors of 768
  ];
  it('lora, vera, dora, dvora', () => {
    const model = bertBaseZeros([lora, vera, dora, dvora]);
    for (const [c] of cases) model.addAdapter(c, c);
    const rows = adapterSummaryRows(model);
    const full = rows.find((r) => r.name === 'Full model')!;
    expect(full['#param']).toBe(109_482_240);
    for (const [c, n, pct] of cases) {
      const row = rows.find((r) => r.name === c)!;
      expect(row['#param'], c).toBe(n);
      expect(row.architecture).toBe('lora');
      if (pct) expect(row['%param'].toFixed(4), c).toBe(pct);
    }
    // Python: train = all parameters require grad; VeRA's shared A/B never do.
    expect(rows.find((r) => r.name === 'vera')!.train).toBe(false);
    expect(rows.find((r) => r.name === 'dora')!.train).toBe(true);
    model.dispose();
  });
});
