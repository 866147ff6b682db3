// Entry of the self-contained GPU benchmark bundle (see ../../docs/performance.md, "WebGPU on a
// real GPU"). tfjs' webgpu backend registers itself only if `navigator.gpu` exists when it is
// imported, so Dawn's globals are installed first; the `webgpu` package (native) stays external
// and is shipped beside the bundle.
const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
await import('@tensorflow/tfjs-backend-webgpu');
// `--compositions` runs the composition benchmark instead of the method benchmark.
if (process.argv.includes('--compositions')) await import('../compositions.mjs');
else await import('../methods.mjs');
