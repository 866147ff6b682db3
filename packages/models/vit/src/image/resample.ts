import { type Resample, type RgbImage, imageChannels } from './types';

/** A PIL resampling filter (`Resample.c`): kernel and support radius. */
interface Filter {
  readonly fn: (x: number) => number;
  readonly support: number;
}

const F32_054 = Math.fround(0.54);
const F32_046 = Math.fround(0.46);

function sinc(x: number): number {
  if (x === 0) return 1;
  const y = x * Math.PI;
  return Math.sin(y) / y;
}

/** The filters of Pillow's `Resample.c`, transcribed (bicubic a = −0.5; hamming with float constants). */
const FILTERS: Readonly<Record<Exclude<Resample, 'nearest'>, Filter>> = {
  box: { support: 0.5, fn: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: {
    support: 1,
    fn: (x) => {
      const a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    },
  },
  hamming: {
    support: 1,
    fn: (x) => {
      const a = Math.abs(x);
      if (a === 0) return 1;
      if (a >= 1) return 0;
      const y = a * Math.PI;
      return (Math.sin(y) / y) * (F32_054 + F32_046 * Math.cos(y));
    },
  },
  bicubic: {
    support: 2,
    fn: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  lanczos: { support: 3, fn: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

/** Pillow's fixed-point precision for 8-bit images: `32 − 8 − 2`. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Per output pixel: first input index, tap count and fixed-point taps (`precompute_coeffs` + `normalize_coeffs_8bpc`). */
interface Coeffs {
  readonly bounds: Int32Array;
  readonly ksize: number;
  readonly k: Float64Array;
}

function precomputeCoeffs(inSize: number, outSize: number, filter: Filter): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const k = new Float64Array(outSize * ksize);
  const bounds = new Int32Array(outSize * 2);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C `(int)` casts truncate toward zero.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    const w = new Float64Array(xmax);
    for (let x = 0; x < xmax; x++) {
      w[x] = filter.fn((x + xmin - center + 0.5) * ss);
      ww += w[x]!;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? w[x]! / ww : w[x]!;
      // normalize_coeffs_8bpc: round half away from zero to 22-bit fixed point.
      k[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, ksize, k };
}

/** Pillow's `clip8`: `ss >> 22` clamped to `[0, 255]`. */
function clip8(ss: number): number {
  const v = Math.floor(ss / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** One 8-bit pass along x (`horizontal`) or y, on rows `[offset, offset + outRows)` of the input. */
function pass(
  src: Uint8Array,
  srcW: number,
  ch: number,
  outW: number,
  outH: number,
  c: Coeffs,
  horizontal: boolean,
  offset: number,
): Uint8Array {
  const out = new Uint8Array(outW * outH * ch);
  for (let yy = 0; yy < outH; yy++) {
    for (let xx = 0; xx < outW; xx++) {
      const i = horizontal ? xx : yy;
      const min = c.bounds[i * 2]!;
      const n = c.bounds[i * 2 + 1]!;
      const kb = i * c.ksize;
      for (let b = 0; b < ch; b++) {
        let ss = HALF;
        for (let t = 0; t < n; t++) {
          const pos = horizontal ? ((yy + offset) * srcW + min + t) * ch + b : ((min + t) * srcW + xx) * ch + b;
          ss += src[pos]! * c.k[kb + t]!;
        }
        out[(yy * outW + xx) * ch + b] = clip8(ss);
      }
    }
  }
  return out;
}

/**
 * Nearest neighbour as Pillow's `ImagingScaleAffine`: source positions start at `scale / 2` and
 * advance by repeated addition of `scale` (floating accumulation, then truncation), which is not
 * always `floor((x + 0.5) · scale)`.
 */
function nearestIndices(inSize: number, outSize: number): Int32Array {
  const a = inSize / outSize;
  const idx = new Int32Array(outSize);
  let pos = a * 0.5;
  for (let x = 0; x < outSize; x++) {
    idx[x] = Math.min(pos < 0 ? 0 : Math.trunc(pos), inSize - 1);
    pos += a;
  }
  return idx;
}

function nearest(img: RgbImage, ch: number, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * ch);
  const xs = nearestIndices(img.width, width);
  const ys = nearestIndices(img.height, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (ys[y]! * img.width + xs[x]!) * ch;
      for (let b = 0; b < ch; b++) out[(y * width + x) * ch + b] = img.data[s + b]!;
    }
  }
  return { data: out, width, height, channels: ch };
}

/**
 * `PIL.Image.resize((width, height), resample)` of an 8-bit image, bit-exact with Pillow's
 * `ImagingResample` (what `transformers.image_transforms.resize` calls for uint8 images):
 * separable convolution with the filter stretched by the downscale factor (antialiasing),
 * 22-bit fixed-point taps, horizontal pass first with the intermediate rounded to 8 bits, then the
 * vertical pass. Same size returns a copy. `nearest` follows Pillow's `ImagingScaleAffine`.
 */
export function resizeImage(img: RgbImage, width: number, height: number, resample: Resample = 'bilinear'): RgbImage {
  const ch = imageChannels(img);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`resize target must be positive integers, got ${width}×${height}`);
  }
  if (resample === 'nearest') return nearest(img, ch, width, height);
  const filter = FILTERS[resample];
  if (!filter) throw new Error(`unknown resampling filter "${String(resample)}"`);
  const needH = width !== img.width;
  const needV = height !== img.height;
  const vert = precomputeCoeffs(img.height, height, filter);
  let data = img.data;
  let w = img.width;
  if (needH) {
    // Only rows the vertical pass reads are resampled horizontally (ybox_first … ybox_last).
    const first = vert.bounds[0]!;
    const last = vert.bounds[height * 2 - 2]! + vert.bounds[height * 2 - 1]!;
    for (let i = 0; i < height; i++) vert.bounds[i * 2] = vert.bounds[i * 2]! - first;
    const horiz = precomputeCoeffs(img.width, width, filter);
    data = pass(data, w, ch, width, last - first, horiz, true, first);
    w = width;
  }
  if (needV) data = pass(data, w, ch, w, height, vert, false, 0);
  if (!needH && !needV) data = img.data.slice();
  return { data, width, height, channels: ch };
}
