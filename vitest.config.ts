import { defineConfig } from 'vitest/config';

// Every workspace package with a vitest.config.ts is a test project.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'packages/*/*/vitest.config.ts',
      'tests/*/vitest.config.ts',
      'examples/*/vitest.config.ts',
    ],
  },
});
