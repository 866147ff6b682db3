import { defineConfig } from 'vitest/config';

// Inside this monorepo, workspace packages resolve to their TypeScript sources (the `@adapters/source`
// export condition). A third-party package outside it drops `conditions` and tests against dist/.
const conditions = ['@adapters/source', 'module', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@adapters/source'] } },
  test: {
    name: 'example-method-loha',
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
