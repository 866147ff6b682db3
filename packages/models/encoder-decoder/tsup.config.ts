import { defineConfig } from 'tsup';
import { packageConfig } from '../../../tooling/tsup.config.base';

export default defineConfig(packageConfig(['src/index.ts', 'src/register.ts']));
