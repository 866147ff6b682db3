import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/core', 'packages/methods/*', 'packages/models/*', 'packages/cli', 'tests/*', 'examples/*'],
  },
});
