import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@adapters/source` condition), as in
// the other projects. The browser test drives the built app (dist/, from `pnpm build`).
const conditions = ['@adapters/source', 'module', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@adapters/source'] } },
  test: {
    name: '@adapters/example-browser',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tooling/vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
