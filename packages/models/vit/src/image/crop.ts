import { type RgbImage, imageChannels } from './types';

/** Python's floor division for integers. */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * `transformers.image_transforms.center_crop` on an HWC 8-bit image: `top = (H − h) // 2`,
 * `left = (W − w) // 2`; when the crop is larger than the image, the image is first zero-padded
 * to `max(h, H) × max(w, W)` with `ceil` offsets (exactly as transformers does).
 */
export function centerCrop(img: RgbImage, height: number, width: number): RgbImage {
  const ch = imageChannels(img);
  const H = img.height;
  const Wd = img.width;
  let top = floorDiv(H - height, 2);
  let left = floorDiv(Wd - width, 2);
  let src = img;
  if (!(top >= 0 && top + height <= H && left >= 0 && left + width <= Wd)) {
    const nh = Math.max(height, H);
    const nw = Math.max(width, Wd);
    const topPad = Math.ceil((nh - H) / 2);
    const leftPad = Math.ceil((nw - Wd) / 2);
    const padded = new Uint8Array(nh * nw * ch);
    for (let y = 0; y < H; y++) padded.set(img.data.subarray(y * Wd * ch, (y + 1) * Wd * ch), ((y + topPad) * nw + leftPad) * ch);
    src = { data: padded, width: nw, height: nh, channels: ch };
    top += topPad;
    left += leftPad;
    // transformers then slices [max(0, top) : min(nh, bottom)], which here is always the full crop.
    top = Math.max(0, top);
    left = Math.max(0, left);
  }
  const out = new Uint8Array(height * width * ch);
  for (let y = 0; y < height; y++) {
    const s = ((top + y) * src.width + left) * ch;
    out.set(src.data.subarray(s, s + width * ch), y * width * ch);
  }
  return { data: out, width, height, channels: ch };
}
