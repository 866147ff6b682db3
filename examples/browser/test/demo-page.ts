/** Drives the demo page through its controls, reading results from `window.adaptersDemo`. */
import type { Page } from 'playwright-core';
import type { ComposeKind } from '../src/engine/compose';
import type { DemoState } from '../src/state';

/** Training form values (strings as typed into the inputs). */
export interface TrainForm {
  name: string;
  method: 'lora' | 'seq_bn' | 'par_bn';
  steps: number;
  trainSize: number;
  evalSize: number;
  batchSize: number;
  maxLength: number;
  learningRate: number;
  seed?: number;
}

/** The page's state (a JSON copy). */
export function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.adaptersDemo)) as DemoState);
}

/** Waits until the page is idle (not starting, loading or busy); throws the page's error if any. */
export async function idle(page: Page, timeout = 110_000): Promise<DemoState> {
  await page.waitForFunction(() => {
    const s = window.adaptersDemo;
    return s !== undefined && (s.phase === 'ready' || s.phase === 'error');
  }, null, { timeout, polling: 100 });
  const s = await demoState(page);
  if (s.error) throw new Error(`the page reports: ${s.error}`);
  return s;
}

/** Fills the training form and trains; resolves with the state once training ended. */
export async function train(page: Page, f: TrainForm, timeout?: number): Promise<DemoState> {
  await page.fill('#name', f.name);
  await page.selectOption('#method', f.method);
  await page.fill('#steps', String(f.steps));
  await page.fill('#train-size', String(f.trainSize));
  await page.fill('#eval-size', String(f.evalSize));
  await page.fill('#batch', String(f.batchSize));
  await page.fill('#maxlen', String(f.maxLength));
  await page.fill('#lr', String(f.learningRate));
  await page.fill('#seed', String(f.seed ?? 42));
  await page.click('#train');
  return idle(page, timeout);
}

/** Selects adapters (in this order) and a composition, runs it on `sentence`; resolves with the state. */
export async function compose(page: Page, kind: ComposeKind, adapters: readonly string[], sentence: string): Promise<DemoState> {
  for (const box of await page.locator('#compose-adapters input[type=checkbox]').all()) await box.uncheck();
  for (const a of adapters) await page.check(`#compose-adapters input[value="${a}"]`);
  await page.selectOption('#compose-kind', kind);
  await page.fill('#sentence', sentence);
  await page.click('#compose');
  return idle(page);
}
