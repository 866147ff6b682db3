import { AdaptersError } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { CliUsageError } from './args';
import { convertCommand } from './commands/convert';
import { evalCommand } from './commands/eval';
import { forwardCommand } from './commands/forward';
import { infoCommand } from './commands/info';
import { summaryCommand } from './commands/summary';
import { trainCommand } from './commands/train';
import { type CliIO, processIO } from './io';
import './plugins';

const COMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  forward: forwardCommand,
  convert: convertCommand,
  train: trainCommand,
  eval: evalCommand,
  summary: summaryCommand,
  info: infoCommand,
};

const USAGE = `Usage: adapters <command> [options]

Commands:
  forward   --model DIR [--adapter DIR …] [--setup "Stack(a,b)"] [--head NAME] --inputs FILE.safetensors --out FILE.safetensors [--backend cpu|wasm|webgpu|tensorflow]
            (--adapter also takes head folders and adapters saved with their head)
  convert   --from peft|adapters --to adapters|peft --in DIR --out DIR [--model DIR] [--name NAME] [--task-type SEQ_CLS|…]
  train     --model DIR --method CONFIG --dataset FILE.jsonl|csv --output DIR [--eval-dataset FILE] [--task classification]
            [--name NAME] [--epochs N] [--max-steps N] [--batch-size N] [--lr X] [--optimizer adamw|sgd]
            [--schedule constant|constant_with_warmup|linear|cosine] [--warmup-steps N] [--warmup-ratio X] [--weight-decay X]
            [--max-grad-norm X] [--grad-accum N] [--eval-every N] [--save-every N] [--early-stopping N] [--metric NAME]
            [--load-best] [--seed N] [--resume] [--metrics-log FILE] [--text-field F] [--text-pair-field F] [--label-field F]
            [--max-length N] [--tokenizer PATH] [--backend auto|cpu|wasm|webgpu|tensorflow] [--threads N] [--quiet]
  eval      --model DIR --adapter DIR … --dataset FILE [--task classification] [--setup S] [--head NAME] [--batch-size N] [--backend …]
  summary   --model DIR [--adapter DIR …] [--add NAME=CONFIG …] [--setup S] [--train S] [--json]
  info      [--json]   (backends available here and the one 'auto' picks; registered models and methods)
`;

/**
 * Runs the CLI and returns the exit code: 0 success, 1 runtime error (typed library errors are
 * printed with their message), 2 usage error.
 */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  // Silence tfjs' "install tfjs-node" banner on stdout; machine-readable output stays clean.
  tf.env().set('PROD', true);
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`adapters: unknown command "${command}". Accepted commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.stderr(`adapters ${e.message}\n`);
      return 2;
    }
    if (e instanceof AdaptersError) {
      io.stderr(`adapters ${command}: ${e.name}: ${e.message}\n`);
      return 1;
    }
    io.stderr(`adapters ${command}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
