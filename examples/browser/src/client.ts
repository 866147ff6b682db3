/** A typed client of the training worker: one promise per request, callbacks for progress. */
import type { AdapterInfo } from './engine/session';
import type { ResultOf, WorkerMessage, WorkerRequest } from './protocol';

type Req = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The error a request failed with in the worker (name and message kept). */
export class WorkerError extends Error {
  constructor(message: string, name: string) {
    super(message);
    this.name = name;
  }
}

/** Progress callbacks of {@link WorkerClient}. */
export interface ClientEvents {
  onStep?(e: Extract<WorkerMessage, { type: 'step' }>): void;
  onStatus?(message: string): void;
  /** The adapters in the worker's session after each request. */
  onAdapters?(adapters: AdapterInfo[]): void;
}

/** Starts the module worker and sends it requests. */
export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly events: ClientEvents = {}) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'adapters-training' });
    this.worker.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      const err = new WorkerError(ev.message || 'the worker failed to start', 'WorkerError');
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private receive(msg: WorkerMessage): void {
    if (msg.type === 'step') return this.events.onStep?.(msg);
    if (msg.type === 'status') return this.events.onStatus?.(msg.message);
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.type === 'result') {
      this.events.onAdapters?.(msg.adapters);
      p.resolve(msg.result);
    } else p.reject(new WorkerError(msg.error, msg.errorName));
  }

  /** Sends a request; resolves with its typed result. */
  request<T extends Req['type']>(req: Extract<Req, { type: T }>, transfer: Transferable[] = []): Promise<ResultOf[T]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new WorkerError('the worker was stopped', 'WorkerError'));
    this.pending.clear();
  }
}
