import type { AdapterModel } from './adapter-model';
import { flattenSetup } from './composition/blocks';
import { configValue } from './config';

/** One row of {@link adapterSummary} (Python `adapter_summary(as_dict=True)`). */
export interface AdapterSummaryRow {
  name: string;
  architecture?: string;
  '#param': number;
  '%param': number;
  active?: boolean;
  train: boolean;
}

/** Rows like Python's `adapter_summary(as_dict=True)`: one per adapter plus "Full model". */
export function adapterSummaryRows(model: AdapterModel): AdapterSummaryRow[] {
  const active = new Set(model.activeAdapters ? flattenSetup(model.activeAdapters) : []);
  const rows: AdapterSummaryRow[] = [];
  for (const name of model.adapterNames) {
    // Buffers (e.g. ReFT's orthogonal bases) are saved with the adapter but are not parameters (Python counts parameters()).
    const buffers = model.adapterBuffers(name);
    const params = [...model.adapterParameters(name)].filter(([k]) => !buffers.has(k)).map(([, v]) => v);
    const arch = configValue(model.adapterConfig(name), 'architecture');
    rows.push({
      name,
      architecture: typeof arch === 'string' && arch ? arch : 'bottleneck',
      '#param': params.reduce((a, v) => a + v.size, 0),
      '%param': 0,
      active: active.has(name),
      train: params.every((v) => v.trainable),
    });
  }
  let base = 0;
  let baseTrain = false;
  for (const v of model.weights.values()) {
    base += v.size;
    baseTrain ||= v.trainable;
  }
  for (const r of rows) r['%param'] = (r['#param'] / base) * 100;
  rows.push({ name: 'Full model', '#param': base, '%param': 100, train: baseTrain });
  return rows;
}

const pad = (s: string, n: number, right: boolean): string => (right ? s.padStart(n) : s.padEnd(n));
const pyBool = (b: boolean | undefined): string => (b === undefined ? '' : b ? 'True' : 'False');

/** The summary table exactly as Python prints it (80 columns). */
export function adapterSummary(model: AdapterModel): string {
  const rows = adapterSummaryRows(model);
  const line = (cols: string[]): string =>
    pad(cols[0]!, 25, false) + pad(cols[1]!, 15, false) + pad(cols[2]!, 12, true) + pad(cols[3]!, 12, true) + pad(cols[4]!, 8, true) + pad(cols[5]!, 8, true);
  const s = ['='.repeat(80), line(['Name', 'Architecture', '#Param', '%Param', 'Active', 'Train']), '-'.repeat(80)];
  for (const r of rows) {
    s.push(
      line([r.name, r.architecture ?? '', r['#param'].toLocaleString('en-US'), r['%param'].toFixed(3), pyBool(r.active), pyBool(r.train)]),
    );
  }
  s.splice(s.length - 1, 0, '-'.repeat(80));
  s.push('='.repeat(80));
  return s.join('\n');
}
