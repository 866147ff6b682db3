import { defineConfig } from 'tsup';
import { packageConfig } from '../../tooling/tsup.config.base';

export default defineConfig(
  packageConfig(['src/index.ts', 'src/testing/index.ts', 'src/node/index.ts'], {
    // tfjs-core's gradient registrations are ESM files with extension-less imports that plain Node
    // cannot load; bundle them (they share tfjs' global engine and registries) so dist/ can train.
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    external: ['vitest'],
  }),
);
