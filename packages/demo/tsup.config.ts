import { defineConfig } from 'tsup';
import { packageConfig } from '../../tooling/tsup.config.base';

export default defineConfig(packageConfig(['src/index.ts', 'src/bin.ts', 'src/build-assets.ts'], { dts: { entry: 'src/index.ts' } }));
