import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbImage } from '../image/types';

/** Image container formats {@link decodeImage} reads. */
export type ImageFormat = 'png' | 'jpeg';

/** The format of an encoded image by its magic bytes, or null. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** RGBA (8- or 16-bit samples) → RGB 8-bit, alpha dropped (as `PIL.Image.convert("RGB")`). */
function rgbaToRgb(rgba: ArrayLike<number>, width: number, height: number, shift: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < width * height; p++) {
    out[q++] = rgba[p * 4]! >> shift;
    out[q++] = rgba[p * 4 + 1]! >> shift;
    out[q++] = rgba[p * 4 + 2]! >> shift;
  }
  return out;
}

function decodePng(bytes: Uint8Array): RgbImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // 16-bit samples are kept raw and reduced to their high byte, as Pillow's "RGB;16B" raw mode does.
  const png = PNG.sync.read(buf, { skipRescale: true });
  const data = png.data as ArrayLike<number>;
  const shift = png.depth === 16 ? 8 : 0;
  if (png.depth !== 16 && png.depth !== 8 && !png.palette) {
    // 1/2/4-bit grey: pngjs with skipRescale keeps the small values; scale like PIL's "L;1/2/4" (× 255 / (2^d − 1)).
    const max = 2 ** png.depth - 1;
    const out = new Uint8Array(png.width * png.height * 3);
    for (let p = 0; p < png.width * png.height; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((data[p * 4 + c]! * 255) / max);
    return { data: out, width: png.width, height: png.height, channels: 3 };
  }
  return { data: rgbaToRgb(data, png.width, png.height, shift), width: png.width, height: png.height, channels: 3 };
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 });
  return { data: img.data, width: img.width, height: img.height, channels: 3 };
}

/**
 * Decodes a PNG or JPEG file's bytes to an 8-bit RGB image (HWC) with pure-JS decoders
 * (`pngjs`, `jpeg-js`), like `PIL.Image.open(f).convert("RGB")`: alpha is dropped (no
 * compositing), grey and palette images expand to RGB. PNG pixels equal Pillow's exactly;
 * JPEG pixels can differ from Pillow/libjpeg-turbo by a few levels (different IDCT and chroma
 * upsampling).
 */
export function decodeImage(bytes: Uint8Array): RgbImage {
  const f = sniffImageFormat(bytes);
  if (f === 'png') return decodePng(bytes);
  if (f === 'jpeg') return decodeJpeg(bytes);
  throw new Error('unsupported image format (expected PNG or JPEG)');
}
