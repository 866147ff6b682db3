/** A training-step log entry (one per optimizer step, or every `logEvery` steps). */
export interface StepLog {
  kind: 'step';
  /** Optimizer steps done (1 after the first update). */
  step: number;
  totalSteps: number;
  /** Fractional epoch (`1.5` = halfway through the second epoch). */
  epoch: number;
  /** Mean loss over this step's micro-batches. */
  loss: number;
  /** Learning rate used by this step's update. */
  lr: number;
  /** Global gradient L2 norm before clipping. */
  gradNorm: number;
  /** Milliseconds since this run (or resume) started, and the estimated remaining time. */
  elapsedMs: number;
  etaMs: number;
}

/** An evaluation log entry. */
export interface EvalLog {
  kind: 'eval';
  step: number;
  epoch: number;
  /** `eval_loss` and `eval_<metric>` values. */
  metrics: Record<string, number>;
  /** True when this evaluation is the best so far. */
  best: boolean;
}

/** A checkpoint was written. */
export interface CheckpointLog {
  kind: 'checkpoint';
  step: number;
  dir: string;
}

/** The run resumed from a checkpoint. */
export interface ResumeLog {
  kind: 'resume';
  step: number;
  dir: string;
}

/** Training stopped early (patience exhausted). */
export interface EarlyStopLog {
  kind: 'early_stop';
  step: number;
  bestStep: number | null;
  bestMetric: number | null;
}

/** Anything the trainer reports. */
export type LogEntry = StepLog | EvalLog | CheckpointLog | ResumeLog | EarlyStopLog;
