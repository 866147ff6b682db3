/**
 * Registers tfjs-core's gradient functions for every kernel (side effect of importing this module).
 *
 * tfjs-core ships this registration as ESM with extension-less relative imports, which plain Node
 * cannot load; tsup bundles `@tensorflow/tfjs-core/dist/*` subpaths into our dist (see
 * tsup.config.ts), and bundlers/vitest resolve it from source. The registrations land in tfjs' global
 * gradient registry, shared with every other copy of tfjs-core in the process.
 *
 * Because this package declares `"sideEffects": false`, a bare `import './register-gradients'` may
 * be dropped by bundlers (esbuild does drop it): code that needs the gradients calls
 * {@link ensureGradientsRegistered}, a used binding that keeps this module (and the registration) in.
 */
// tfjs-core's entry first: it registers the environment flags (DEBUG, …) that the gradient
// registrations read. Without it a bundler that splits tfjs-core into chunks (Vite's dev server)
// can evaluate the gradients first: "Cannot evaluate flag 'DEBUG'".
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * Guarantees tfjs-core's gradients are registered (they are, once this module is evaluated) and
 * returns `true`. Call it before patching gradients so tfjs' own registration cannot run later and
 * overwrite the patches.
 */
export function ensureGradientsRegistered(): true {
  return true;
}
