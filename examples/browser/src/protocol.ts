/** Messages between the page (`main.ts`) and the training worker (`worker.ts`). */
import type { AdapterInfo, HeadPrediction, TrainReport } from './engine/session';
import type { ComposeSpec } from './engine/compose';
import type { TrainSpec } from './engine/methods';

/** A tfjs backend the demo can run on. */
export type DemoBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Where the base model comes from. */
export type ModelChoice = { kind: 'embedded' } | { kind: 'hub'; id: string; revision?: string };

/** Requests (page → worker); each gets one {@link WorkerResponse} with the same `id`. */
export type WorkerRequest =
  | { id: number; type: 'init'; backend: DemoBackend; model: ModelChoice; baseUrl: string }
  | { id: number; type: 'train'; spec: TrainSpec }
  | { id: number; type: 'predict'; spec: ComposeSpec }
  | { id: number; type: 'export'; name: string }
  | { id: number; type: 'import'; files: { path: string; blob: Blob }[]; loadAs?: string; origin?: 'trained' | 'loaded' };

/** What `init` reports: the backend that runs (after any fall-back) and why others were skipped. */
export interface InitResult {
  requested: DemoBackend;
  active: string;
  /** Set when `active` differs from `requested`: the reasons the requested backend failed. */
  fallback?: string;
  /** Backends this browser can run (probed in the worker). */
  available: { name: string; available: boolean; reason?: string }[];
  /** The devices behind the GPU backends (`software`: a CPU rasterizer such as SwiftShader). */
  devices: { webgpu?: { description: string; software: boolean }; webgl?: { description: string; software: boolean } };
  model: string;
  trainExamples: number;
  devExamples: number;
}

/** Result payloads by request type. */
export interface ResultOf {
  init: InitResult;
  train: TrainReport;
  predict: HeadPrediction[];
  export: { name: string; files: { path: string; bytes: Uint8Array }[] };
  import: { name: string; adapters: AdapterInfo[] };
}

/** Responses (worker → page) and progress events. */
export type WorkerMessage =
  | { id: number; type: 'result'; result: ResultOf[keyof ResultOf]; adapters: AdapterInfo[] }
  | { id: number; type: 'error'; error: string; errorName: string }
  | { type: 'step'; adapter: string; step: number; totalSteps: number; loss: number; lr: number }
  | { type: 'status'; message: string };
