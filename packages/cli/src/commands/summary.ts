import { type AdapterSetup, adapterSummary, adapterSummaryRows, parseSetupString } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { AutoAdapterModel } from '@adapters/heads';
import { CliUsageError, parseCommand, requireString } from '../args';
import type { CliIO } from '../io';
import { loadArtifact } from '../load-artifacts';

/**
 * `adapters summary --model DIR [--adapter DIR …] [--add NAME=CONFIG …] [--setup S] [--train S] [--json]`:
 * prints Python's `adapter_summary()` table (name, architecture, #params, %params, active, train) for
 * the adapters loaded from folders and/or added from config strings (`--add lora=lora[r=8]`).
 */
export async function summaryCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('summary', argv, {
    model: { type: 'string' },
    adapter: { type: 'string', multiple: true },
    add: { type: 'string', multiple: true },
    setup: { type: 'string' },
    train: { type: 'string' },
    json: { type: 'boolean' },
  });
  const C = 'summary';
  const modelDir = requireString(C, v, 'model');
  const parse = (flag: string, s: string): AdapterSetup => {
    try {
      return parseSetupString(s);
    } catch (e) {
      throw new CliUsageError(`${C}: --${flag} "${s}": ${(e as Error).message}`);
    }
  };
  const adds = ((v.add as string[] | undefined) ?? []).map((a) => {
    const i = a.indexOf('=');
    if (i <= 0 || i === a.length - 1) throw new CliUsageError(`${C}: --add must be NAME=CONFIG, e.g. --add lora=lora[r=8] (got "${a}")`);
    return { name: a.slice(0, i), config: a.slice(i + 1) };
  });
  const setup = typeof v.setup === 'string' ? parse('setup', v.setup) : null;
  const train = typeof v.train === 'string' ? parse('train', v.train) : null;
  await setupNodeBackend({ backend: 'cpu' }); // counting parameters needs no fast backend
  const model = await AutoAdapterModel.fromPretrained(nodeStorage, modelDir, { loadHeads: false });
  try {
    for (const dir of (v.adapter as string[] | undefined) ?? []) await loadArtifact(model, dir);
    for (const a of adds) {
      try {
        model.addAdapter(a.name, a.config);
      } catch (e) {
        throw new CliUsageError(`${C}: --add ${a.name}=${a.config}: ${(e as Error).message}`);
      }
    }
    if (train) model.trainAdapter(train);
    else if (setup) model.setActiveAdapters(setup);
    io.stdout(v.json ? `${JSON.stringify(adapterSummaryRows(model))}\n` : `${adapterSummary(model)}\n`);
    return 0;
  } finally {
    model.dispose();
  }
}
