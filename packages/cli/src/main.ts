import { AdaptersError } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { CliUsageError } from './args';
import { convertCommand } from './commands/convert';
import { forwardCommand } from './commands/forward';
import { type CliIO, processIO } from './io';
import './plugins';

const COMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  forward: forwardCommand,
  convert: convertCommand,
};

const USAGE = `Usage: adapters <command> [options]

Commands:
  forward   --model DIR [--adapter DIR …] [--setup "Stack(a,b)"] [--head NAME] --inputs FILE.safetensors --out FILE.safetensors [--backend cpu|wasm|webgpu|tensorflow]
            (--adapter also takes head folders and adapters saved with their head)
  convert   --from peft|adapters --to adapters|peft --in DIR --out DIR [--model DIR] [--name NAME] [--task-type SEQ_CLS|…]
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
