/**
 * Child process of the crash test: saves states k = start, start+1, … forever into `dir` with
 * NodeFsStorage, printing `saved k` after each complete state. The parent SIGKILLs it at random.
 * Usage: node save-loop-child.mjs <dir> <start>
 */
import '@tensorflow/tfjs-backend-cpu';
import { nodeStorage } from '@adapters/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { makeModel, saveState } from './save-states';

await tf.setBackend('cpu');
const [dir, start] = process.argv.slice(2);
if (!dir || start === undefined) throw new Error('usage: save-loop-child <dir> <start>');
const model = makeModel();
process.stdout.write('ready\n');
for (let k = Number(start); ; k++) {
  await saveState(model, nodeStorage, dir, k);
  process.stdout.write(`saved ${k}\n`);
}
