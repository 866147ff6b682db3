import { readFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs-core';
import { type ImageProcessorConfig, VIT_IMAGE_PROCESSOR_DEFAULTS, preprocessImages } from '../image/processor';
import type { RgbImage } from '../image/types';
import { decodeImage } from './decode';

export { decodeImage, sniffImageFormat, type ImageFormat } from './decode';

/** Reads and decodes a PNG or JPEG file to an 8-bit RGB image (Node only). */
export async function loadImageFile(path: string): Promise<RgbImage> {
  return decodeImage(new Uint8Array(await readFile(path)));
}

/**
 * Image files → `pixel_values` `[B, C, H, W]`: decode (see {@link decodeImage}), then the HF
 * processor pipeline `cfg` (default `ViTImageProcessor()`; pass `BEIT_IMAGE_PROCESSOR_DEFAULTS` or a
 * parsed `preprocessor_config.json` for other checkpoints).
 */
export async function pixelValuesFromFiles(paths: readonly string[], cfg: ImageProcessorConfig = VIT_IMAGE_PROCESSOR_DEFAULTS): Promise<tf.Tensor4D> {
  const images = await Promise.all(paths.map((p) => loadImageFile(p)));
  return preprocessImages(images, cfg);
}
