import { defineConfig } from 'tsup';
import { packageConfig } from '../../tooling/tsup.config.base';

// Two entries: the Node one (on-disk cache) and the browser one (fetch only), selected by the
// `browser` export condition.
export default defineConfig(packageConfig(['src/index.ts', 'src/browser.ts']));
