/**
 * Log-mel features equal to transformers' `WhisperFeatureExtractor` (`_np_extract_fbank_features`,
 * numpy path) for 16 kHz mono audio: zero-pad/truncate to `nSamples` (30 s), centred STFT (reflect
 * padding of n_fft/2) with a periodic Hann window, n_fft 400, hop 160, power spectrum, Slaney-normalised
 * Slaney-scale mel filterbank (0–8 kHz), `log10(max(mel, 1e-10))`, drop the last frame, clamp to
 * `max − 8`, then `(x + 4) / 4`. Computed in float64, returned as float32 `[nMels, frames]` row-major.
 */

/** Options of {@link logMelSpectrogram}. */
export interface LogMelOptions {
  /** Number of mel bins (Whisper: 80, large-v3: 128). Default 80. */
  readonly nMels?: number;
  /** Samples to pad/truncate to (HF `n_samples` = chunk_length · sampling_rate). Default 480000; `null` = no padding. */
  readonly nSamples?: number | null;
  readonly sampleRate?: number;
  readonly nFft?: number;
  readonly hopLength?: number;
}

/** Slaney mel scale (librosa `htk=False`). */
export function hertzToMel(f: number): number {
  const logstep = 27 / Math.log(6.4);
  return f >= 1000 ? 15 + Math.log(f / 1000) * logstep : (3 * f) / 200;
}

/** Inverse of {@link hertzToMel}. */
export function melToHertz(m: number): number {
  const logstep = Math.log(6.4) / 27;
  return m >= 15 ? 1000 * Math.exp(logstep * (m - 15)) : (200 * m) / 3;
}

/**
 * transformers' `mel_filter_bank(1 + n_fft/2, nMels, 0, sr/2, sr, norm="slaney", mel_scale="slaney")`:
 * returns `[nFreq][nMels]` triangular filters, each scaled by `2 / (f_{m+2} − f_m)` (unit area in Hz).
 */
export function melFilterBank(nFreq: number, nMels: number, sampleRate: number, fMin = 0, fMax = sampleRate / 2): Float64Array[] {
  const melMin = hertzToMel(fMin);
  const melMax = hertzToMel(fMax);
  const filterFreqs = Array.from({ length: nMels + 2 }, (_, i) => melToHertz(melMin + ((melMax - melMin) * i) / (nMels + 1)));
  const nyquist = Math.floor(sampleRate / 2);
  const fftFreqs = Array.from({ length: nFreq }, (_, i) => (nyquist * i) / (nFreq - 1));
  const out: Float64Array[] = [];
  for (let k = 0; k < nFreq; k++) {
    const row = new Float64Array(nMels);
    for (let m = 0; m < nMels; m++) {
      const down = (fftFreqs[k]! - filterFreqs[m]!) / (filterFreqs[m + 1]! - filterFreqs[m]!);
      const up = (filterFreqs[m + 2]! - fftFreqs[k]!) / (filterFreqs[m + 2]! - filterFreqs[m + 1]!);
      row[m] = Math.max(0, Math.min(down, up)) * (2 / (filterFreqs[m + 2]! - filterFreqs[m]!));
    }
    out.push(row);
  }
  return out;
}

/** Periodic Hann window (`np.hanning(N + 1)[:-1]`, transformers' `window_function(N, "hann")`). */
export function hannWindow(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/** Result of {@link logMelSpectrogram}. */
export interface LogMel {
  /** `[nMels, frames]` row-major. */
  readonly data: Float32Array;
  readonly nMels: number;
  readonly frames: number;
}

/** Whisper log-mel features of one 16 kHz waveform (see the module comment). */
export function logMelSpectrogram(audio: ArrayLike<number>, opts: LogMelOptions = {}): LogMel {
  const nMels = opts.nMels ?? 80;
  const sr = opts.sampleRate ?? 16000;
  const nFft = opts.nFft ?? 400;
  const hop = opts.hopLength ?? 160;
  const nSamples = opts.nSamples === undefined ? 480000 : opts.nSamples;
  const len = nSamples ?? audio.length;
  const x = new Float64Array(len);
  for (let i = 0; i < Math.min(len, audio.length); i++) x[i] = audio[i]!;
  const half = nFft / 2;
  if (len <= half) throw new Error(`audio too short for reflect padding (${len} samples ≤ ${half})`);
  // Reflect padding (numpy "reflect": mirror without repeating the edge sample).
  const padded = new Float64Array(len + nFft);
  for (let i = 0; i < padded.length; i++) {
    let j = i - half;
    if (j < 0) j = -j;
    if (j >= len) j = 2 * (len - 1) - j;
    padded[i] = x[j]!;
  }
  const nFreq = half + 1;
  const framesAll = 1 + Math.floor((padded.length - nFft) / hop);
  const frames = framesAll - 1; // HF drops the last frame (log_spec[:, :-1]).
  const win = hannWindow(nFft);
  const cos = new Float64Array(nFreq * nFft);
  const sin = new Float64Array(nFreq * nFft);
  for (let k = 0; k < nFreq; k++) {
    for (let n = 0; n < nFft; n++) {
      const a = (2 * Math.PI * ((k * n) % nFft)) / nFft;
      cos[k * nFft + n] = Math.cos(a);
      sin[k * nFft + n] = Math.sin(a);
    }
  }
  const filters = melFilterBank(nFreq, nMels, sr);
  const logSpec = new Float64Array(nMels * frames);
  const frame = new Float64Array(nFft);
  const power = new Float64Array(nFreq);
  let maxVal = -Infinity;
  for (let f = 0; f < frames; f++) {
    for (let n = 0; n < nFft; n++) frame[n] = padded[f * hop + n]! * win[n]!;
    for (let k = 0; k < nFreq; k++) {
      let re = 0;
      let im = 0;
      const o = k * nFft;
      for (let n = 0; n < nFft; n++) {
        re += frame[n]! * cos[o + n]!;
        im -= frame[n]! * sin[o + n]!;
      }
      power[k] = re * re + im * im;
    }
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      for (let k = 0; k < nFreq; k++) s += filters[k]![m]! * power[k]!;
      const v = Math.log10(Math.max(s, 1e-10));
      logSpec[m * frames + f] = v;
      if (v > maxVal) maxVal = v;
    }
  }
  const data = new Float32Array(nMels * frames);
  for (let i = 0; i < data.length; i++) data[i] = (Math.max(logSpec[i]!, maxVal - 8) + 4) / 4;
  return { data, nMels, frames };
}
