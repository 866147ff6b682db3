/**
 * The training worker: owns the tfjs backend and the {@link DemoSession}, so training never blocks
 * the page. Requests and replies are typed in `protocol.ts`; file bytes are transferred, not copied.
 */
import { BlobStorage, FetchStorage } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, gpuDevices, selectBackend } from './engine/backend';
import { type Dataset, loadDataset } from './engine/data';
import { DemoSession } from './engine/session';
import type { InitResult, ModelChoice, ResultOf, WorkerMessage, WorkerRequest } from './protocol';

/** The dedicated worker scope, typed without the WebWorker lib (this project compiles with DOM). */
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
};

let session: DemoSession | null = null;
let data: Dataset | null = null;

function post(msg: WorkerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

function status(message: string): void {
  post({ type: 'status', message });
}

/** The storage and folder of the base model. */
function modelLocation(choice: ModelChoice, baseUrl: string): { storage: FetchStorage; dir: string; label: string; modelName: string } {
  if (choice.kind === 'embedded') return { storage: new FetchStorage(`${baseUrl}models`), dir: 'tiny-review-bert', label: 'tiny-review-bert (embedded)', modelName: 'tiny-review-bert' };
  const id = choice.id.trim();
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(id)) throw new Error(`'${choice.id}' is not a Hub model id (owner/name)`);
  const rev = encodeURIComponent(choice.revision ?? 'main');
  return { storage: new FetchStorage(`https://huggingface.co/${id}/resolve/${rev}`), dir: '', label: `${id} (Hugging Face Hub)`, modelName: id };
}

function needSession(): DemoSession {
  if (!session) throw new Error('no model loaded yet');
  return session;
}

async function handle(req: WorkerRequest): Promise<{ result: ResultOf[keyof ResultOf]; transfer?: Transferable[] }> {
  switch (req.type) {
    case 'init': {
      status(`setting up the ${req.backend} backend…`);
      const { info, failures } = await selectBackend(req.backend);
      const available = await availableBackends();
      const devices = await gpuDevices();
      const where = modelLocation(req.model, req.baseUrl);
      status(`loading ${where.label}…`);
      session?.dispose();
      session = await DemoSession.open(where.storage, where.dir, where.label, where.modelName);
      data = await loadDataset(new FetchStorage(req.baseUrl), 'data/reviews');
      const result: InitResult = {
        requested: req.backend,
        active: info.name,
        ...(failures.length > 0 ? { fallback: failures.join('; ') } : {}),
        available,
        devices,
        model: where.label,
        trainExamples: data.train.length,
        devExamples: data.dev.length,
      };
      return { result };
    }
    case 'train': {
      const s = needSession();
      if (!data) throw new Error('no dataset loaded');
      return {
        result: await s.train({ fixedShapes: tf.getBackend() === 'webgl' || tf.getBackend() === 'webgpu', ...req.spec }, data, (e) => post({ type: 'step', adapter: req.spec.name, step: e.step, totalSteps: e.totalSteps, loss: e.loss, lr: e.lr })),
      };
    }
    case 'predict':
      return { result: await needSession().predict(req.spec) };
    case 'export': {
      const files = [...(await needSession().exportAdapter(req.name))].map(([path, bytes]) => ({ path, bytes }));
      return { result: { name: req.name, files }, transfer: files.map((f) => f.bytes.buffer as ArrayBuffer) };
    }
    case 'import': {
      // The picked files (Blobs, read only when the loader needs them) as one adapter folder.
      const storage = new BlobStorage(req.files.map((f) => [`upload/${f.path}`, f.blob] as const));
      const name = await needSession().importAdapter(storage, 'upload', req.loadAs, req.origin);
      return { result: { name, adapters: needSession().adapters() } };
    }
  }
}

scope.onmessage = async (ev) => {
  const req = ev.data;
  try {
    const { result, transfer } = await handle(req);
    post({ id: req.id, type: 'result', result, adapters: session?.adapters() ?? [] }, transfer ?? []);
  } catch (e) {
    post({ id: req.id, type: 'error', error: e instanceof Error ? e.message : String(e), errorName: e instanceof Error ? e.name : 'Error' });
  }
};
