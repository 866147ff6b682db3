/**
 * What the page shows, also published as `window.adaptersDemo` (and `data-phase` on `<body>`), so
 * that tests and curious users read numbers as data rather than scraping text.
 */
import type { ComposeSpec } from './engine/compose';
import type { AdapterInfo, HeadPrediction, TrainReport } from './engine/session';
import type { DemoBackend, InitResult } from './protocol';

/** One training run: the loss per step and the final report. */
export interface RunState {
  adapter: string;
  backend: string;
  losses: number[];
  report: TrainReport | null;
}

/** The page's state. */
export interface DemoState {
  phase: 'starting' | 'loading' | 'ready' | 'busy' | 'error';
  /** The selected backend, what runs (after fall-backs) and why it differs. */
  backend: {
    requested: DemoBackend;
    active: string | null;
    fallback: string | null;
    available: InitResult['available'];
    devices: InitResult['devices'];
  };
  model: string | null;
  runs: RunState[];
  adapters: AdapterInfo[];
  /** The last composition run: its inputs, the backend it ran on, one entry per head. */
  prediction: { spec: ComposeSpec; backend: string; heads: HeadPrediction[] } | null;
  /** File name of the last download. */
  lastDownload: string | null;
  /** Name of the last adapter loaded from files. */
  lastImport: string | null;
  error: string | null;
}

declare global {
  interface Window {
    adaptersDemo: DemoState;
  }
}

/** Creates the state and publishes it on `window`. */
export function createState(requested: DemoBackend): DemoState {
  const state: DemoState = {
    phase: 'starting',
    backend: { requested, active: null, fallback: null, available: [], devices: {} },
    model: null,
    runs: [],
    adapters: [],
    prediction: null,
    lastDownload: null,
    lastImport: null,
    error: null,
  };
  window.adaptersDemo = state;
  return state;
}

/** Sets the phase (mirrored to `<body data-phase>`). */
export function setPhase(state: DemoState, phase: DemoState['phase']): void {
  state.phase = phase;
  document.body.dataset.phase = phase;
}
