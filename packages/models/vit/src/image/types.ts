/**
 * An 8-bit image in row-major `[height, width, channels]` (HWC) order, as decoded image files
 * and `np.asarray(PIL.Image)` are. `channels` is 3 (RGB) unless stated.
 */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Interleaved channels per pixel (default 3). */
  readonly channels?: number;
}

/** PIL resampling filters (`PIL.Image.Resampling`; the numbers are HF's `resample` config values). */
export type Resample = 'nearest' | 'lanczos' | 'bilinear' | 'bicubic' | 'box' | 'hamming';

/** `PILImageResampling` numbers as stored in `preprocessor_config.json` → filter name. */
export const RESAMPLE_BY_ID: Readonly<Record<number, Resample>> = {
  0: 'nearest',
  1: 'lanczos',
  2: 'bilinear',
  3: 'bicubic',
  4: 'box',
  5: 'hamming',
};

/** Channels of an image (default 3), checked against its buffer size. */
export function imageChannels(img: RgbImage): number {
  const c = img.channels ?? 3;
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width <= 0 || img.height <= 0) {
    throw new Error(`image size must be positive integers, got ${img.width}×${img.height}`);
  }
  if (img.data.length !== img.width * img.height * c) {
    throw new Error(`image data has ${img.data.length} bytes, expected ${img.height}×${img.width}×${c} = ${img.width * img.height * c}`);
  }
  return c;
}
