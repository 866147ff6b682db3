import { describe, expect, it } from 'vitest';
import { hannWindow, hertzToMel, logMelSpectrogram, melFilterBank, melToHertz } from '../src';

// Closed-form checks of the WhisperFeatureExtractor port (no Python needed).
describe('log-mel features (WhisperFeatureExtractor math)', () => {
  it('Slaney mel scale: linear below 1 kHz, log above, invertible', () => {
    expect(hertzToMel(1000)).toBeCloseTo(15, 12);
    expect(hertzToMel(200)).toBeCloseTo(3, 12);
    for (const f of [0, 123, 999, 1000, 4321, 8000]) expect(melToHertz(hertzToMel(f))).toBeCloseTo(f, 8);
  });

  it('filterbank: 201×80, non-negative triangles, each with unit area in Hz (Slaney norm), peaks increasing', () => {
    const fb = melFilterBank(201, 80, 16000);
    expect(fb).toHaveLength(201);
    const binHz = 8000 / 200;
    let lastPeak = -1;
    for (let m = 0; m < 80; m++) {
      let area = 0;
      let peak = 0;
      for (let k = 0; k < 201; k++) {
        expect(fb[k]![m]!).toBeGreaterThanOrEqual(0);
        area += fb[k]![m]! * binHz;
        if (fb[k]![m]! > fb[peak]![m]!) peak = k;
      }
      // Trapezoid sum of a triangle sampled at 40 Hz: exact up to the sampling of its corners (corners between bins give up to ~7% on narrow filters; measured 0.93–1.07).
      expect(Math.abs(area - 1)).toBeLessThan(0.08);
      expect(peak).toBeGreaterThanOrEqual(lastPeak);
      lastPeak = peak;
    }
  });

  it('periodic Hann window', () => {
    const w = hannWindow(400);
    expect(w[0]).toBe(0);
    expect(w[200]).toBeCloseTo(1, 15);
    expect(w[100]).toBeCloseTo(0.5, 15);
  });

  it('silence → the constant floor (log10(1e-10) + 4) / 4 = -1.5; 3000 frames for 30 s', () => {
    const { data, nMels, frames } = logMelSpectrogram(new Float32Array(16000));
    expect([nMels, frames]).toEqual([80, 3000]);
    for (let i = 0; i < data.length; i += 997) expect(data[i]).toBeCloseTo(-1.5, 6);
  });

  it('a pure 1 kHz sine puts its energy in the mel bin whose filter peaks nearest 1 kHz; dynamic range clamp = 8', () => {
    const sr = 16000;
    const f0 = 1000;
    const audio = Float32Array.from({ length: sr }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f0 * i) / sr));
    const { data, frames } = logMelSpectrogram(audio, { nSamples: null });
    expect(frames).toBe(100);
    const fb = melFilterBank(201, 80, sr);
    const kBin = f0 / 40;
    let expected = 0;
    for (let m = 0; m < 80; m++) if (fb[kBin]![m]! > fb[kBin]![expected]!) expected = m;
    const mid = 50;
    let best = 0;
    for (let m = 0; m < 80; m++) if (data[m * frames + mid]! > data[best * frames + mid]!) best = m;
    expect(best).toBe(expected);
    let max = -Infinity;
    let min = Infinity;
    for (const v of data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect((max - min) * 4).toBeCloseTo(8, 5);
    // Closed form: energy of a windowed sine at an exact bin = (A·N/4)² (Hann coherent gain 1/2) → peak level
    const power = ((0.5 * 400) / 4) ** 2;
    const melLevel = Math.log10(power * fb[kBin]![expected]!);
    expect(data[expected * frames + mid]!).toBeGreaterThan((melLevel + 4) / 4 - 0.01);
  });
});
