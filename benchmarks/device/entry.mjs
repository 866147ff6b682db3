// Entry of the self-contained GPU benchmark bundle (see ../../docs/performance.md, "WebGPU on a
// real GPU"): the webgpu backend is imported statically so the bundle carries it; the `webgpu`
// package (Dawn, native) stays external and is shipped beside the bundle.
import '@tensorflow/tfjs-backend-webgpu';
import '../methods.mjs';
