import { adapterSummary, adapterSummaryRows } from '@adapters/core';
import { ia3 } from '@adapters/ia3';
import { dora, lora, vera } from '@adapters/lora';
import { describe, expect, it } from 'vitest';
import { reft } from '../src';
import { bertBaseZeros } from './helpers';

/**
 * `adapterSummary()` counts for default configs on BERT-base (reference §10.2, derived from the Python code),
 * for every method whose package exists among lora / ia3 / reft. ReFT's orthogonal `base` matrices are buffers
 * (saved, but not parameters), so LoReFT counts like NoReFT: 12 layers × 2 units × (768 + 1 + 768).
 */
describe('adapterSummary parameter counts on BERT-base (reference §10.2)', () => {
  const cases: [string, number, string][] = [
    ['lora', 294_912, '0.2694'],
    ['ia3', 55_296, '0.0505'],
    ['vera', 14_169_600, '12.9424'],
    ['dora', 313_344, '0.2862'],
    ['loreft', 36_888, '0.0337'],
    ['noreft', 36_888, '0.0337'],
    ['direft', 36_888, '0.0337'],
  ];
  it(cases.map((c) => c[0]).join(', '), () => {
    const model = bertBaseZeros([lora, ia3, vera, dora, reft]);
    for (const [c] of cases) model.addAdapter(c, c);
    const rows = adapterSummaryRows(model);
    expect(rows.find((r) => r.name === 'Full model')!['#param']).toBe(109_482_240);
    for (const [c, n, pct] of cases) {
      const row = rows.find((r) => r.name === c)!;
      expect(row['#param'], c).toBe(n);
      expect(row['%param'].toFixed(4), c).toBe(pct);
    }
    expect(rows.find((r) => r.name === 'loreft')!.architecture).toBe('reft');
    expect(model.adapterBuffers('loreft').size).toBe(24);
    expect(adapterSummary(model).split('\n').find((l) => l.startsWith('loreft'))).toBe(
      'loreft                   reft                 36,888       0.034   False    True',
    );
    model.dispose();
  });
});
