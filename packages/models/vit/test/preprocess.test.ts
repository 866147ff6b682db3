import { describe, expect, it } from 'vitest';
import {
  BEIT_IMAGE_PROCESSOR_DEFAULTS,
  type RgbImage,
  VIT_IMAGE_PROCESSOR_DEFAULTS,
  centerCrop,
  parseImageProcessorConfig,
  preprocessImage,
  preprocessImages,
  resizeImage,
} from '../src';

/** An HWC image from per-pixel RGB triples. */
function rgb(width: number, height: number, f: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 3);
  return { data, width, height };
}
/** Channel `c` of an image as rows. */
function plane(img: RgbImage, c = 0): number[][] {
  return Array.from({ length: img.height }, (_, y) => Array.from({ length: img.width }, (_, x) => img.data[(y * img.width + x) * 3 + c]!));
}
/** float32 result of transformers' rescale + normalize with mean = std = 0.5: 2·float32(u/255) − 1. */
const halfNorm = (u: number): number => Math.fround(2 * Math.fround(u / 255) - 1);

describe('PIL-exact resampling (closed forms computed by hand, see README)', () => {
  it('a constant image stays constant for every filter, up- and downscaling', () => {
    const img = rgb(7, 5, () => [200, 13, 77]);
    for (const f of ['bilinear', 'bicubic', 'lanczos', 'box', 'hamming', 'nearest'] as const) {
      for (const [w, h] of [[16, 11], [3, 2], [7, 9]] as const) {
        const out = resizeImage(img, w, h, f);
        for (let p = 0; p < w * h; p++) expect([out.data[p * 3], out.data[p * 3 + 1], out.data[p * 3 + 2]], `${f} ${w}×${h}`).toEqual([200, 13, 77]);
      }
    }
  });

  it('2×2 checkerboard → 4×4 bilinear: taps [1,0], [¾,¼], [¼,¾], [0,1] per axis, 8-bit rounding after the horizontal pass', () => {
    const board = rgb(2, 2, (x, y) => ((x + y) % 2 === 0 ? [0, 0, 0] : [255, 255, 255]));
    // Horizontal pass: rows [0, 63.75→64, 191.25→191, 255] and [255, 191, 64, 0]; vertical pass mixes those
    // 8-bit rows: e.g. (1,1) = ¾·64 + ¼·191 = 95.75 → 96 (exact bilinear would be 95.625).
    expect(plane(resizeImage(board, 4, 4, 'bilinear'))).toEqual([
      [0, 64, 191, 255],
      [64, 96, 159, 191],
      [191, 159, 96, 64],
      [255, 191, 64, 0],
    ]);
  });

  it('downscaling is antialiased: 4 → 2 bilinear uses the stretched triangle (taps 3/7, 3/7, 1/7)', () => {
    const row = rgb(4, 1, (x) => [70 * x, 0, 0]);
    // out0 = (3·0 + 3·70 + 1·140)/7 = 50, out1 = (1·70 + 3·140 + 3·210)/7 = 160 (point sampling would give 35, 175).
    expect(plane(resizeImage(row, 2, 1, 'bilinear'))).toEqual([[50, 160]]);
  });

  it('same size is an exact copy', () => {
    const img = rgb(5, 4, (x, y) => [x * 40, y * 50, (x * y) % 256]);
    expect(resizeImage(img, 5, 4, 'bicubic').data).toEqual(img.data);
  });
});

describe('center crop as transformers (floor offsets, zero padding when the crop is larger)', () => {
  it('5×5 → 3×3 starts at (1, 1); 1×1 → 3×3 and 2×2 → 3×3 pad with zeros, image at ceil offsets', () => {
    const img = rgb(5, 5, (x, y) => [10 * y + x, 0, 0]);
    expect(plane(centerCrop(img, 3, 3))).toEqual([
      [11, 12, 13],
      [21, 22, 23],
      [31, 32, 33],
    ]);
    expect(plane(centerCrop(rgb(1, 1, () => [9, 9, 9]), 3, 3))).toEqual([
      [0, 0, 0],
      [0, 9, 0],
      [0, 0, 0],
    ]);
    expect(plane(centerCrop(rgb(2, 2, (x, y) => [1 + x + 2 * y, 0, 0]), 3, 3))).toEqual([
      [0, 0, 0],
      [0, 1, 2],
      [0, 3, 4],
    ]);
  });
});

describe('rescale + normalize arithmetic and CHW layout', () => {
  it('mean = std = 0.5: 0 → −1, 255 → 1, u → 2·float32(u/255) − 1, channels first', () => {
    const cfg = { ...VIT_IMAGE_PROCESSOR_DEFAULTS, doResize: false };
    const { data, shape } = preprocessImage(rgb(2, 1, (x) => (x === 0 ? [0, 255, 128] : [255, 0, 1])), cfg);
    expect(shape).toEqual([3, 1, 2]);
    expect(Array.from(data)).toEqual([-1, 1, 1, -1, halfNorm(128), halfNorm(1)]);
  });

  it('ImageNet mean/std: (u/255 − mean)/std in float32', () => {
    const cfg = parseImageProcessorConfig(
      { do_resize: false, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225] },
      VIT_IMAGE_PROCESSOR_DEFAULTS,
    );
    const { data } = preprocessImage(rgb(1, 1, () => [0, 255, 51]), cfg);
    expect(data[0]).toBeCloseTo(-0.485 / 0.229, 6);
    expect(data[1]).toBeCloseTo((1 - 0.456) / 0.224, 6);
    expect(data[2]).toBeCloseTo((0.2 - 0.406) / 0.225, 6);
  });

  it('ViTImageProcessor defaults: any size → [3, 224, 224]; a constant image gives constant planes', () => {
    const px = preprocessImages([rgb(30, 20, () => [255, 0, 128]), rgb(7, 300, () => [255, 0, 128])], VIT_IMAGE_PROCESSOR_DEFAULTS);
    expect(px.shape).toEqual([2, 3, 224, 224]);
    const d = px.dataSync();
    const n = 224 * 224;
    for (const b of [0, 1]) {
      expect(d[(b * 3 + 0) * n + 777]).toBe(1);
      expect(d[(b * 3 + 1) * n + 123]).toBe(-1);
      expect(d[(b * 3 + 2) * n + n - 1]).toBe(halfNorm(128));
    }
    px.dispose();
  });

  it('BeitImageProcessor defaults: 256 bicubic resize, then the central 224 (a 256-wide ramp keeps its values, cropped from 16)', () => {
    const { data, shape } = preprocessImage(rgb(256, 256, (x) => [x, 255 - x, 0]), BEIT_IMAGE_PROCESSOR_DEFAULTS);
    expect(shape).toEqual([3, 224, 224]);
    expect(data[0]).toBe(halfNorm(16));
    expect(data[223]).toBe(halfNorm(239));
    expect(data[224 * 224]).toBe(halfNorm(255 - 16));
  });

  it('parses preprocessor_config.json fields (resample ids, int sizes, crop)', () => {
    const c = parseImageProcessorConfig({ size: 32, resample: 3, do_center_crop: true, crop_size: { height: 24, width: 20 }, rescale_factor: 0.00392156862745098 }, VIT_IMAGE_PROCESSOR_DEFAULTS);
    expect(c.size).toEqual({ height: 32, width: 32 });
    expect(c.resample).toBe('bicubic');
    expect(preprocessImage(rgb(50, 40, () => [1, 2, 3]), c).shape).toEqual([3, 24, 20]);
    expect(() => parseImageProcessorConfig({ size: { shortest_edge: 224 } }, VIT_IMAGE_PROCESSOR_DEFAULTS)).toThrow(/height/);
  });
});
