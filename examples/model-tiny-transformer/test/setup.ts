import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

// Tests run on tfjs' exact cpu backend.
await tf.setBackend('cpu');
await tf.ready();
