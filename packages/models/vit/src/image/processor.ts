import * as tf from '@tensorflow/tfjs-core';
import { centerCrop } from './crop';
import { resizeImage } from './resample';
import { RESAMPLE_BY_ID, type Resample, type RgbImage, imageChannels } from './types';

/** Settings of a Hugging Face image processor (`preprocessor_config.json`), typed. */
export interface ImageProcessorConfig {
  readonly doResize: boolean;
  /** Target `{ height, width }` of the resize. */
  readonly size: { readonly height: number; readonly width: number };
  readonly resample: Resample;
  readonly doCenterCrop: boolean;
  readonly cropSize: { readonly height: number; readonly width: number };
  readonly doRescale: boolean;
  readonly rescaleFactor: number;
  readonly doNormalize: boolean;
  readonly imageMean: readonly number[];
  readonly imageStd: readonly number[];
}

/** transformers' `IMAGENET_STANDARD_MEAN` / `_STD` (0.5 each). */
const STANDARD = [0.5, 0.5, 0.5] as const;

/** `ViTImageProcessor()` defaults: resize to 224×224 bilinear, rescale 1/255, normalize with mean = std = 0.5. */
export const VIT_IMAGE_PROCESSOR_DEFAULTS: ImageProcessorConfig = {
  doResize: true,
  size: { height: 224, width: 224 },
  resample: 'bilinear',
  doCenterCrop: false,
  cropSize: { height: 224, width: 224 },
  doRescale: true,
  rescaleFactor: 1 / 255,
  doNormalize: true,
  imageMean: STANDARD,
  imageStd: STANDARD,
};

/**
 * `BeitImageProcessor()` defaults: resize to 256×256 bicubic, center crop 224×224, rescale 1/255,
 * normalize with mean = std = 0.5. (Hub checkpoints such as `microsoft/beit-base-patch16-224` ship a
 * `preprocessor_config.json` that overrides these: pass it to {@link parseImageProcessorConfig}.)
 */
export const BEIT_IMAGE_PROCESSOR_DEFAULTS: ImageProcessorConfig = {
  doResize: true,
  size: { height: 256, width: 256 },
  resample: 'bicubic',
  doCenterCrop: true,
  cropSize: { height: 224, width: 224 },
  doRescale: true,
  rescaleFactor: 1 / 255,
  doNormalize: true,
  imageMean: STANDARD,
  imageStd: STANDARD,
};

function sizeDict(v: unknown, key: string, fallback: { height: number; width: number }): { height: number; width: number } {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return { height: v, width: v };
  const o = v as Record<string, unknown>;
  if (typeof v === 'object' && typeof o.height === 'number' && typeof o.width === 'number') return { height: o.height, width: o.width };
  throw new Error(`${key}: expected a number or {"height", "width"} (as ViT/BEiT processors require), got ${JSON.stringify(v)}`);
}

function numbers(v: unknown, key: string, fallback: readonly number[]): readonly number[] {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return [v, v, v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  throw new Error(`${key}: expected a number or a list of numbers, got ${JSON.stringify(v)}`);
}

function flag(v: unknown, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : v === true;
}

/**
 * Reads a `preprocessor_config.json` object over `defaults` (e.g. {@link VIT_IMAGE_PROCESSOR_DEFAULTS}):
 * `do_resize`, `size` (number or `{height, width}`), `resample` (PIL number), `do_center_crop`,
 * `crop_size`, `do_rescale`, `rescale_factor`, `do_normalize`, `image_mean`, `image_std`.
 */
export function parseImageProcessorConfig(json: Readonly<Record<string, unknown>>, defaults: ImageProcessorConfig): ImageProcessorConfig {
  let resample = defaults.resample;
  if (json.resample !== undefined && json.resample !== null) {
    const r = RESAMPLE_BY_ID[json.resample as number];
    if (!r) throw new Error(`resample: unknown PIL filter ${JSON.stringify(json.resample)}`);
    resample = r;
  }
  return {
    doResize: flag(json.do_resize, defaults.doResize),
    size: sizeDict(json.size, 'size', defaults.size),
    resample,
    doCenterCrop: flag(json.do_center_crop, defaults.doCenterCrop),
    cropSize: sizeDict(json.crop_size, 'crop_size', defaults.cropSize),
    doRescale: flag(json.do_rescale, defaults.doRescale),
    rescaleFactor: typeof json.rescale_factor === 'number' ? json.rescale_factor : defaults.rescaleFactor,
    doNormalize: flag(json.do_normalize, defaults.doNormalize),
    imageMean: numbers(json.image_mean, 'image_mean', defaults.imageMean),
    imageStd: numbers(json.image_std, 'image_std', defaults.imageStd),
  };
}

/**
 * One image as the HF processor computes it, `[C, H, W]` float32 (channels first):
 * resize (PIL-exact, on the 8-bit image) → center crop → rescale (`float32(float64(u8) · factor)`,
 * as transformers' `rescale`) → normalize (`(x − mean) / std` in float32, as transformers'
 * `normalize`) → HWC→CHW. Returns the data and its `[C, H, W]` shape.
 */
export function preprocessImage(img: RgbImage, cfg: ImageProcessorConfig): { data: Float32Array; shape: [number, number, number] } {
  let im = img;
  const ch = imageChannels(im);
  if (cfg.doResize) im = resizeImage(im, cfg.size.width, cfg.size.height, cfg.resample);
  if (cfg.doCenterCrop) im = centerCrop(im, cfg.cropSize.height, cfg.cropSize.width);
  if (cfg.doNormalize && (cfg.imageMean.length !== ch || cfg.imageStd.length !== ch)) {
    throw new Error(`image has ${ch} channels but image_mean/image_std have ${cfg.imageMean.length}/${cfg.imageStd.length} values`);
  }
  const mean = cfg.imageMean.map((m) => Math.fround(m));
  const std = cfg.imageStd.map((s) => Math.fround(s));
  const hw = im.width * im.height;
  const out = new Float32Array(ch * hw);
  for (let p = 0; p < hw; p++) {
    for (let c = 0; c < ch; c++) {
      let v = im.data[p * ch + c]!;
      if (cfg.doRescale) v = Math.fround(v * cfg.rescaleFactor);
      if (cfg.doNormalize) v = Math.fround(Math.fround(v - mean[c]!) / std[c]!);
      out[c * hw + p] = v;
    }
  }
  return { data: out, shape: [ch, im.height, im.width] };
}

/** A batch of images → `pixel_values` `[B, C, H, W]` float32 (all images must end up the same size). */
export function preprocessImages(images: readonly RgbImage[], cfg: ImageProcessorConfig): tf.Tensor4D {
  if (images.length === 0) throw new Error('preprocessImages needs at least one image');
  const items = images.map((im) => preprocessImage(im, cfg));
  const [c, h, w] = items[0]!.shape;
  const all = new Float32Array(items.length * c * h * w);
  items.forEach((it, i) => {
    if (it.shape[0] !== c || it.shape[1] !== h || it.shape[2] !== w) {
      throw new Error(`image ${i} preprocesses to [${it.shape.join(', ')}], image 0 to [${c}, ${h}, ${w}]; enable do_resize or do_center_crop`);
    }
    all.set(it.data, i * c * h * w);
  });
  return tf.tensor4d(all, [items.length, c, h, w], 'float32');
}
