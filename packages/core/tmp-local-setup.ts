import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

// Every test starts on the exact cpu backend unless it switches explicitly.
await tf.setBackend('cpu');
await tf.ready();
