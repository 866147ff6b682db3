export { runCli } from './main';
export { CliUsageError } from './args';
export type { CliIO } from './io';
