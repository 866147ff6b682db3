/** Where the CLI writes (injectable for tests). */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process streams. */
export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};
