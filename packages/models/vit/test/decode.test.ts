import jpeg from 'jpeg-js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { VIT_IMAGE_PROCESSOR_DEFAULTS, preprocessImages } from '../src';
import { decodeImage, loadImageFile, pixelValuesFromFiles, sniffImageFormat } from '../src/node';

function pngBytes(width: number, height: number, rgba: number[], opts: { colorType?: 0 | 2 | 4 | 6; bitDepth?: 8 | 16 } = {}): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png, { colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8 }));
}

describe('Node image decoding (pngjs, jpeg-js)', () => {
  it('PNG RGBA → RGB with alpha dropped (PIL convert("RGB")), exact', () => {
    const bytes = pngBytes(2, 1, [10, 20, 30, 0, 200, 100, 50, 255]);
    expect(sniffImageFormat(bytes)).toBe('png');
    const img = decodeImage(bytes);
    expect([img.width, img.height, img.channels]).toEqual([2, 1, 3]);
    expect(Array.from(img.data)).toEqual([10, 20, 30, 200, 100, 50]);
  });

  it('PNG RGB and grey expand to RGB exactly', () => {
    expect(Array.from(decodeImage(pngBytes(1, 1, [1, 2, 3, 255], { colorType: 2 })).data)).toEqual([1, 2, 3]);
    expect(Array.from(decodeImage(pngBytes(1, 1, [77, 77, 77, 255], { colorType: 0 })).data)).toEqual([77, 77, 77]);
  });

  it('JPEG (quality 100) decodes within a few levels of the encoded colour', () => {
    const w = 16;
    const h = 16;
    const raw = Buffer.alloc(w * h * 4);
    for (let p = 0; p < w * h; p++) raw.set([180, 60, 90, 255], p * 4);
    const bytes = new Uint8Array(jpeg.encode({ data: raw, width: w, height: h }, 100).data);
    expect(sniffImageFormat(bytes)).toBe('jpeg');
    const img = decodeImage(bytes);
    expect([img.width, img.height]).toEqual([w, h]);
    for (const [c, v] of [[0, 180], [1, 60], [2, 90]] as const) expect(Math.abs(img.data[c]! - v)).toBeLessThanOrEqual(3);
  });

  it('files → pixel_values equal decoding + preprocessImages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vit-img-'));
    const rgba: number[] = [];
    for (let p = 0; p < 9 * 5; p++) rgba.push((p * 37) % 256, (p * 11) % 256, (p * 5) % 256, 255);
    const file = join(dir, 'a.png');
    writeFileSync(file, pngBytes(9, 5, rgba));
    const cfg = { ...VIT_IMAGE_PROCESSOR_DEFAULTS, size: { height: 8, width: 8 } };
    const px = await pixelValuesFromFiles([file, file], cfg);
    const ref = preprocessImages([await loadImageFile(file), await loadImageFile(file)], cfg);
    expect(px.shape).toEqual([2, 3, 8, 8]);
    expect(Array.from(px.dataSync())).toEqual(Array.from(ref.dataSync()));
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(/unsupported image format/);
  });
});
