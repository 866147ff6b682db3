import { defineConfig } from 'vitest/config';

// No @adapters/source condition here: the bundles are built from the published dist/ files.
export default defineConfig({
  test: {
    name: '@adapters/tests-bundle',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
