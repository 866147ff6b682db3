/**
 * The demo page: backend picker, model loading, training in a Web Worker with a live loss plot,
 * the adapter list (download / load from files) and the composition panel.
 */
import { WorkerClient } from './client';
import type { ComposeKind } from './engine/compose';
import { METHOD_LABELS, type MethodId, type TrainSpec, DEFAULT_SPEC } from './engine/methods';
import type { AdapterInfo } from './engine/session';
import { download, pickedAdapterFiles, zipFolder } from './files';
import type { DemoBackend, ModelChoice } from './protocol';
import { type DemoState, createState, setPhase } from './state';
import { byId, el, fmt, numberValue } from './ui/dom';
import { LossPlot } from './ui/loss-plot';
import './style.css';

const BACKENDS: readonly DemoBackend[] = ['wasm', 'webgl', 'webgpu', 'cpu'];
const params = new URLSearchParams(location.search);
const initial = (BACKENDS as readonly string[]).includes(params.get('backend') ?? '') ? (params.get('backend') as DemoBackend) : 'wasm';

const state: DemoState = createState(initial);
const plot = new LossPlot(byId<HTMLCanvasElement>('loss-plot'));
let client: WorkerClient | null = null;
let model: ModelChoice = { kind: 'embedded' };
/** Adapters selected in the compose panel, in the order they were ticked. */
let selected: string[] = [];

// ------------------------------------------------------------------ status and errors

function setStatus(text: string): void {
  byId('status').textContent = text;
}

function showError(e: unknown): void {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.error = msg;
  const box = byId('error');
  box.textContent = msg;
  box.hidden = false;
}

function clearError(): void {
  state.error = null;
  byId('error').hidden = true;
}

/** Runs `task` with the controls disabled; errors are shown, the phase returns to ready. */
async function busy(label: string, task: () => Promise<void>): Promise<void> {
  clearError();
  setPhase(state, 'busy');
  setControls();
  setStatus(label);
  try {
    await task();
    setPhase(state, 'ready');
  } catch (e) {
    showError(e);
    setPhase(state, state.model ? 'ready' : 'error');
    setStatus('Failed — see the message below.');
  } finally {
    setControls();
  }
}

/** Enables what makes sense in the current phase. */
function setControls(): void {
  const idle = state.phase !== 'busy' && state.phase !== 'loading';
  const ready = idle && state.model !== null;
  for (const id of ['train', 'compose', 'upload']) byId<HTMLButtonElement | HTMLInputElement>(id).disabled = !ready;
  for (const id of ['load-model', 'backend']) byId<HTMLButtonElement | HTMLSelectElement>(id).disabled = !idle;
}

// ------------------------------------------------------------------ worker lifecycle

function newClient(): WorkerClient {
  return new WorkerClient({
    onStatus: setStatus,
    onAdapters: renderAdapters,
    onStep: (e) => {
      state.runs[state.runs.length - 1]?.losses.push(e.loss);
      plot.push(e.loss);
      setStatus(`Training ${e.adapter}: step ${e.step}/${e.totalSteps}, loss ${fmt(e.loss)}, lr ${e.lr.toExponential(2)}`);
    },
  });
}

/**
 * (Re)starts the worker on `backend` with the current model. Adapters of the previous worker are
 * exported first and loaded into the new one when the base model stays the same.
 */
async function start(backend: DemoBackend, keepAdapters: boolean): Promise<void> {
  const carried: { name: string; origin: AdapterInfo['origin']; files: { path: string; blob: Blob }[] }[] = [];
  if (client && keepAdapters) {
    for (const a of state.adapters) {
      const r = await client.request({ type: 'export', name: a.name });
      carried.push({ name: a.name, origin: a.origin, files: r.files.map((f) => ({ path: f.path, blob: new Blob([f.bytes.slice()]) })) });
    }
  }
  client?.terminate();
  client = newClient();
  state.model = null;
  setPhase(state, 'loading');
  state.backend.requested = backend;
  const init = await client.request({ type: 'init', backend, model, baseUrl: new URL(import.meta.env.BASE_URL, location.href).href });
  state.backend = { requested: backend, active: init.active, fallback: init.fallback ?? null, available: init.available, devices: init.devices };
  state.model = init.model;
  const device = init.devices[init.active as 'webgl' | 'webgpu'];
  byId('backend-active').textContent = `active: ${init.active}${device ? ` (${device.description}${device.software ? ', software' : ''})` : ''}`;
  byId('backend-note').textContent = init.fallback ? `${backend} unavailable, fell back to ${init.active} (${init.fallback})` : '';
  byId('model-info').textContent = `${init.model}; dataset: ${init.trainExamples} train / ${init.devExamples} dev reviews`;
  const select = byId<HTMLSelectElement>('backend');
  for (const o of Array.from(select.options)) {
    const a = init.available.find((b) => b.name === o.value);
    o.textContent = a && !a.available ? `${o.value} (unavailable)` : o.value;
    o.title = a?.reason ?? '';
  }
  select.value = backend;
  for (const c of carried) await client.request({ type: 'import', files: c.files, loadAs: c.name, origin: c.origin });
  if (!keepAdapters) renderAdapters([]);
  setStatus(`Ready on ${init.active}.`);
}

// ------------------------------------------------------------------ panels

function trainSpec(): TrainSpec {
  const d = DEFAULT_SPEC;
  return {
    name: byId<HTMLInputElement>('name').value.trim() || d.name,
    method: byId<HTMLSelectElement>('method').value as MethodId,
    rank: numberValue('rank', d.rank),
    alpha: numberValue('alpha', d.alpha),
    reductionFactor: numberValue('reduction', d.reductionFactor),
    learningRate: numberValue('lr', d.learningRate),
    steps: numberValue('steps', d.steps),
    batchSize: numberValue('batch', d.batchSize),
    maxLength: numberValue('maxlen', d.maxLength),
    trainSize: numberValue('train-size', d.trainSize),
    evalSize: numberValue('eval-size', d.evalSize),
    seed: numberValue('seed', d.seed),
  };
}

async function train(): Promise<void> {
  const spec = trainSpec();
  const backend = state.backend.active ?? '?';
  state.runs.push({ adapter: spec.name, backend, losses: [], report: null });
  plot.start(`${spec.name} (${backend})`);
  const report = await client!.request({ type: 'train', spec });
  state.runs[state.runs.length - 1]!.report = report;
  byId('train-results').querySelector('tbody')!.append(
    el('tr', { 'data-adapter': report.name },
      el('td', {}, report.name),
      el('td', {}, backend),
      el('td', {}, String(report.steps)),
      el('td', {}, `${fmt(report.fit.before)} → ${fmt(report.fit.after)}`),
      el('td', {}, `${fmt(report.before.loss)} → ${fmt(report.after.loss)}`),
      el('td', { class: 'accuracy' }, `${(100 * report.before.accuracy).toFixed(1)}% → ${(100 * report.after.accuracy).toFixed(1)}%`),
      el('td', {}, report.trainableParameters.toLocaleString('en-US')),
      el('td', {}, `${report.seconds.toFixed(1)} s`),
    ),
  );
  setStatus(`Trained ${report.name} on ${backend}: dev accuracy ${(100 * report.after.accuracy).toFixed(1)}%.`);
}

function renderAdapters(adapters: AdapterInfo[]): void {
  state.adapters = adapters;
  selected = selected.filter((s) => adapters.some((a) => a.name === s));
  const list = byId('adapter-list');
  list.replaceChildren(
    ...adapters.map((a) => {
      const btn = el('button', { 'data-download': a.name }, 'Download (.zip)');
      btn.onclick = () => void busy(`Exporting ${a.name}…`, () => downloadAdapter(a.name));
      return el('li', {}, el('strong', {}, a.name), ` — ${a.config}, ${a.origin}${a.hasHead ? ', with head' : ''}`, btn);
    }),
  );
  if (adapters.length === 0) list.append(el('li', { class: 'note' }, 'none yet: train one or load one from files'));
  const checks = byId('compose-adapters');
  checks.replaceChildren(
    ...adapters.map((a) => {
      const box = el('input', { type: 'checkbox', value: a.name });
      box.checked = selected.includes(a.name);
      box.onchange = () => {
        selected = box.checked ? [...selected, a.name] : selected.filter((s) => s !== a.name);
      };
      return el('label', {}, box, ` ${a.name}`);
    }),
  );
}

async function downloadAdapter(name: string): Promise<void> {
  const r = await client!.request({ type: 'export', name });
  const filename = `${name}.zip`;
  download(filename, zipFolder(name, r.files));
  state.lastDownload = filename;
  setStatus(`Downloaded ${filename} (${r.files.map((f) => f.path).join(', ')}).`);
}

async function uploadAdapter(picked: File[]): Promise<void> {
  const files = await pickedAdapterFiles(picked);
  const loadAs = byId<HTMLInputElement>('upload-name').value.trim();
  const r = await client!.request({ type: 'import', files, ...(loadAs ? { loadAs } : {}) });
  state.lastImport = r.name;
  setStatus(`Loaded adapter ${r.name} from ${files.map((f) => f.path).join(', ')}.`);
}

async function compose(): Promise<void> {
  const kind = byId<HTMLSelectElement>('compose-kind').value as ComposeKind;
  const spec = { kind, adapters: [...selected], sentence: byId<HTMLInputElement>('sentence').value, maxLength: numberValue('maxlen', DEFAULT_SPEC.maxLength) };
  const heads = await client!.request({ type: 'predict', spec });
  state.prediction = { spec, backend: state.backend.active ?? '?', heads };
  const table = byId('compose-output');
  table.dataset.logits = JSON.stringify(heads.map((h) => h.logits));
  table.querySelector('tbody')!.replaceChildren(
    ...heads.map((h) =>
      el('tr', {}, el('td', {}, h.head), el('td', {}, h.logits.map((x) => fmt(x)).join(', ')), el('td', {}, h.probabilities.map((p) => p.toFixed(3)).join(', ')), el('td', {}, h.label)),
    ),
  );
  setStatus(`${kind === 'single' ? spec.adapters[0] : `${kind}(${spec.adapters.join(', ')})`} on “${spec.sentence}”: ${heads.map((h) => `${h.head} → ${h.label}`).join('; ')}`);
}

// ------------------------------------------------------------------ wiring

const methodSelect = byId<HTMLSelectElement>('method');
for (const [id, label] of Object.entries(METHOD_LABELS)) methodSelect.append(el('option', { value: id }, label));
methodSelect.onchange = () => {
  const n = byId<HTMLInputElement>('name');
  if (/^sentiment_/.test(n.value)) n.value = `sentiment_${methodSelect.value}`;
};
byId<HTMLSelectElement>('backend').onchange = (e) => {
  const b = (e.target as HTMLSelectElement).value as DemoBackend;
  void busy(`Switching to ${b}…`, () => start(b, true));
};
byId('load-model').onclick = () => {
  const hub = (document.querySelector('input[name="model"]:checked') as HTMLInputElement | null)?.value === 'hub';
  model = hub ? { kind: 'hub', id: byId<HTMLInputElement>('hub-id').value } : { kind: 'embedded' };
  void busy('Loading the model…', () => start(state.backend.requested, false));
};
byId('train').onclick = () => void busy('Training…', train);
byId('compose').onclick = () => void busy('Running…', compose);
byId<HTMLInputElement>('upload').onchange = (e) => {
  const input = e.target as HTMLInputElement;
  const picked = Array.from(input.files ?? []);
  input.value = '';
  if (picked.length > 0) void busy('Loading adapter files…', () => uploadAdapter(picked));
};

renderAdapters([]);
void busy('Starting…', () => start(initial, false));
