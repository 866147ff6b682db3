import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { nodeStorage } from '@adapters/core/node';
import { type PeftTaskType, adaptersToPeft, peftToAdapters } from '@adapters/peft';
import { CliUsageError, choice, parseCommand, requireString } from '../args';
import type { CliIO } from '../io';

const FORMATS = ['peft', 'adapters'] as const;
const TASK_TYPES = ['SEQ_CLS', 'SEQ_2_SEQ_LM', 'CAUSAL_LM', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'] as const;

/** Reads a model `config.json` from a model folder or the file itself. */
function readModelConfig(p: string): Record<string, unknown> {
  const file = existsSync(p) && statSync(p).isDirectory() ? path.join(p, 'config.json') : p;
  if (!existsSync(file)) throw new CliUsageError(`convert: --model: no config.json at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * `adapters convert --from peft|adapters --to adapters|peft --in DIR --out DIR [--model DIR]
 * [--name NAME] [--task-type T]`: converts LoRA / (IA)³ checkpoints between Hugging Face PEFT
 * (`adapter_config.json` + `adapter_model.safetensors`) and the Python adapters format.
 * PEFT → adapters needs `--model` (the base model's folder or config.json).
 */
export async function convertCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseCommand('convert', argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    name: { type: 'string' },
    'task-type': { type: 'string' },
  });
  const from = choice('convert', 'from', requireString('convert', v, 'from'), FORMATS, 'peft');
  const to = choice('convert', 'to', requireString('convert', v, 'to'), FORMATS, 'adapters');
  if (from === to) throw new CliUsageError(`convert: --from and --to are both "${from}"; one must be peft and the other adapters`);
  const dirIn = requireString('convert', v, 'in');
  const dirOut = requireString('convert', v, 'out');
  const modelConfig = typeof v.model === 'string' ? readModelConfig(v.model) : undefined;
  if (from === 'peft') {
    if (!modelConfig) throw new CliUsageError('convert: --model DIR (the base model) is required to convert from peft');
    const name = await peftToAdapters(nodeStorage, dirIn, dirOut, { modelConfig, ...(typeof v.name === 'string' ? { name: v.name } : {}) });
    io.stdout(`${JSON.stringify({ from, to, in: dirIn, out: dirOut, name })}\n`);
    return 0;
  }
  const taskType = v['task-type'] === undefined ? null : (choice('convert', 'task-type', v['task-type'], TASK_TYPES, 'FEATURE_EXTRACTION') as PeftTaskType);
  const ckpt = await adaptersToPeft(nodeStorage, dirIn, dirOut, { ...(modelConfig ? { modelConfig } : {}), taskType });
  io.stdout(`${JSON.stringify({ from, to, in: dirIn, out: dirOut, peft_type: ckpt.config.peft_type, target_modules: ckpt.config.target_modules })}\n`);
  return 0;
}
