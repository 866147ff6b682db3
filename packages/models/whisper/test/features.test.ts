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

/** The fixed test signal of `logmel_reference.py`: a 0.15 s chirp plus a 5 kHz tone, as float32. */
function chirp(): Float32Array {
  return Float32Array.from({ length: 2400 }, (_, n) => 0.4 * Math.sin(2 * Math.PI * (300 + (2000 * n) / 2400) * (n / 16000)) + 0.1 * Math.sin((2 * Math.PI * 5000 * n) / 16000 + 1));
}

/**
 * An independent, deliberately naive log-mel: explicit mirror indices, Hann as sin²(πn/N), a DFT with the
 * full angle 2πkn/N, the filterbank in librosa's formulation (mel points → Hz, `ramps`, `fdiff`, `enorm`;
 * transformers' old `get_mel_filters`), then HF's post-processing. Returns `[nMels][frames]`.
 */
function naiveLogMel(audio: Float32Array, padTo: number | null, nMels = 80): number[][] {
  const N = 400;
  const hop = 160;
  const sr = 16000;
  const L = padTo ?? audio.length;
  const x = (i: number): number => (i < audio.length ? audio[i]! : 0);
  const at = (i: number): number => x(i < 0 ? -i : i >= L ? 2 * L - 2 - i : i);
  const nFrames = Math.floor(L / hop) + 1; // 1 + (L + N − N) // hop
  // librosa / transformers' old get_mel_filters
  const melMax = 15 + (27 * Math.log(8000 / 1000)) / Math.log(6.4);
  const hz = Array.from({ length: nMels + 2 }, (_, i) => {
    const mel = (melMax * i) / (nMels + 1);
    return mel >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)) : (200 / 3) * mel;
  });
  const fftFreq = (k: number): number => (k * sr) / N;
  const weight = (m: number, k: number): number => {
    const lower = (fftFreq(k) - hz[m]!) / (hz[m + 1]! - hz[m]!);
    const upper = (hz[m + 2]! - fftFreq(k)) / (hz[m + 2]! - hz[m + 1]!);
    return Math.max(0, Math.min(lower, upper)) * (2 / (hz[m + 2]! - hz[m]!));
  };
  const logSpec: number[][] = Array.from({ length: nMels }, () => []);
  for (let t = 0; t < nFrames - 1; t++) {
    const power: number[] = [];
    for (let k = 0; k <= N / 2; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < N; n++) {
        const v = at(t * hop + n - N / 2) * Math.sin((Math.PI * n) / N) ** 2;
        re += v * Math.cos((2 * Math.PI * k * n) / N);
        im += v * Math.sin((2 * Math.PI * k * n) / N);
      }
      power.push(re * re + im * im);
    }
    for (let m = 0; m < nMels; m++) {
      let e = 0;
      for (let k = 0; k <= N / 2; k++) e += weight(m, k) * power[k]!;
      logSpec[m]!.push(Math.log10(Math.max(e, 1e-10)));
    }
  }
  const max = Math.max(...logSpec.map((r) => Math.max(...r)));
  return logSpec.map((r) => r.map((v) => (Math.max(v, max - 8) + 4) / 4));
}

describe('log-mel features against independent references', () => {
  it('filterbank = the Slaney formula at chosen points (hand-derived), and HF’s published max_mel constant', () => {
    // transformers' old WhisperFeatureExtractor.get_mel_filters hard-codes max_mel = 45.245640471924965 (= mel(8000 Hz)).
    expect(hertzToMel(8000)).toBeCloseTo(45.245640471924965, 12);
    const fb = melFilterBank(201, 80, 16000);
    const d = 45.245640471924965 / 81; // spacing of the 82 mel points
    const lin = (i: number): number => ((200 / 3) * i * d); // points below 1 kHz (mel < 15) are linear
    // Filter 0: corners 0, f1, f2 Hz (all < 1 kHz); FFT bin 1 = 40 Hz lies on the falling edge.
    const [f1, f2] = [lin(1), lin(2)];
    expect(fb[1]![0]!).toBeCloseTo(((f2 - 40) / (f2 - f1)) * (2 / f2), 12);
    expect(fb[0]![0]!).toBe(0); // 0 Hz is the lower corner
    expect(fb[2]![0]!).toBe(0); // 80 Hz > f2
    // Filter 60 (log region): corners 1000·6.4^((mel − 15)/27) at mel = 60d, 61d, 62d.
    const logHz = (i: number): number => 1000 * Math.exp((Math.log(6.4) / 27) * (i * d - 15));
    const [a, b, c] = [logHz(60), logHz(61), logHz(62)];
    for (let k = Math.ceil(a / 40); k * 40 < c; k++) {
      const f = k * 40;
      const tri = f <= b ? (f - a) / (b - a) : (c - f) / (c - b);
      expect(fb[k]![60]!, `bin ${k}`).toBeCloseTo(Math.max(0, tri) * (2 / (c - a)), 12);
    }
    expect(fb[Math.floor(a / 40)]![60]!).toBe(0);
    expect(fb[Math.ceil(c / 40)]![60]!).toBe(0);
  });

  it('STFT conventions in closed form: a bin-centred cosine with seamless reflect padding gives constant frames with power (AN/4)² at k0 and (AN/8)² at k0 ± 1', () => {
    // x[n] = A cos(2π k0 n / N), N = 400, k0 = 25 (1 kHz). Reflect padding mirrors without repeating the edge
    // sample, so the left pad continues the cosine exactly; the right pad does too when 2·k0·(L − 1)/N is an
    // integer (L = 1601). Every frame is then a full-period cosine, and the periodic Hann window
    // w = ½ − ½cos(2πn/N) gives X[k0] = A·N/4, X[k0 ± 1] = −A·N/8, all other bins 0 (a symmetric window or
    // zero padding would not). Frames: 1 + L // hop = 11, minus the dropped last one = 10.
    const [A, N, k0, L] = [0.5, 400, 25, 1601];
    const audio = Float64Array.from({ length: L }, (_, n) => A * Math.cos((2 * Math.PI * k0 * n) / N));
    const { data, nMels, frames } = logMelSpectrogram(audio, { nSamples: null });
    expect(frames).toBe(10);
    const fb = melFilterBank(201, 80, 16000);
    const energy = Array.from({ length: nMels }, (_, m) => fb[k0]![m]! * ((A * N) / 4) ** 2 + (fb[k0 - 1]![m]! + fb[k0 + 1]![m]!) * ((A * N) / 8) ** 2);
    const logE = energy.map((e) => Math.log10(Math.max(e, 1e-10)));
    const max = Math.max(...logE);
    for (let m = 0; m < nMels; m++) {
      const expected = (Math.max(logE[m]!, max - 8) + 4) / 4;
      for (let f = 0; f < frames; f++) expect(Math.abs(data[m * frames + f]! - expected), `mel ${m} frame ${f}`).toBeLessThan(1e-5);
    }
  });

  it('equals an independent naive implementation (≤ 1e-5) on a fixed chirp, unpadded and zero-padded', () => {
    const audio = chirp();
    for (const padTo of [null, 4000] as const) {
      const ref = naiveLogMel(audio, padTo);
      const { data, frames } = logMelSpectrogram(audio, { nSamples: padTo });
      expect(frames).toBe(ref[0]!.length);
      let worst = 0;
      ref.forEach((row, m) => row.forEach((v, f) => (worst = Math.max(worst, Math.abs(data[m * frames + f]! - v)))));
      expect(worst, `padTo ${padTo}`).toBeLessThan(1e-5);
    }
  });

  it('equals values computed with transformers’ numpy algorithm (test/logmel_reference.py) on the chirp padded to 30 s', () => {
    const { data, nMels, frames } = logMelSpectrogram(chirp());
    expect([nMels, frames]).toEqual([80, 3000]);
    // Printed by logmel_reference.py (numpy 2.4, float32 output, 7 significant digits).
    const ref: Record<number, number[]> = {
      0: [1.019768, 0.4928862, -0.4955482, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.2215933, 0.2870731, -0.2244338, -0.6767399],
      7: [1.164515, 0.8303078, -0.07419622, -0.5972914, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.2206342, 0.2881522, -0.2232727, -0.6767399],
      23: [0.5616666, 0.6185905, 1.225551, 1.005492, 0.110064, -0.5134702, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.2117258, 0.2971299, -0.2142987, -0.6767399],
      41: [0.2000864, -0.3019204, -0.6767399, -0.4136493, 0.2833492, 1.111914, 1.184477, 0.479274, -0.3228852, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.1804996, 0.3290949, -0.1818988, -0.6767399],
      62: [0.06599069, -0.4428242, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.5202866, 0.1539297, 0.9933754, 1.225084, 0.9016606, 0.248249, -0.6767399],
      79: [0.1110349, -0.3991628, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.6767399, -0.23699, 0.2764145, -0.2306288, -0.6767399],
    };
    for (const [m, row] of Object.entries(ref)) row.forEach((v, f) => expect(Math.abs(data[Number(m) * frames + f]! - v), `mel ${m} frame ${f}`).toBeLessThan(1e-5));
    let max = -Infinity;
    let min = Infinity;
    let sum = 0;
    for (const v of data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
      sum += v;
    }
    expect(max).toBeCloseTo(1.3232600688934326, 5);
    expect(min).toBeCloseTo(-0.6767399311065674, 5);
    expect(data[40 * frames + 2999]).toBeCloseTo(-0.6767399311065674, 6); // silence: clamped to max − 8
    expect(Math.abs(sum - -161772.3050777912)).toBeLessThan(0.05); // 240000 values
  });
});
