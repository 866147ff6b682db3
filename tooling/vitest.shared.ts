import { defineConfig } from 'vitest/config';

/** Conditions that make workspace packages resolve to their TypeScript sources in tests. */
const conditions = ['@adapters/source', 'module', 'import', 'node', 'default'];

/** Shared vitest settings: source condition, cpu backend setup file, generous timeouts for tfjs. */
export function packageTestConfig(name: string) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@adapters/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
    },
  });
}
