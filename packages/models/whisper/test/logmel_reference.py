"""
Reference values for test/features.test.ts ("HF numpy reference" block).

A numpy-only transcription of transformers' (4.47) WhisperFeatureExtractor numpy path:
`audio_utils.mel_filter_bank(201, 80, 0, 8000, 16000, norm="slaney", mel_scale="slaney")`,
`audio_utils.window_function(400, "hann")` (periodic), `audio_utils.spectrogram(..., frame_length=400,
hop_length=160, power=2.0, mel_filters=..., log_mel="log10")` (reflect centre padding, float64 rfft
stored as complex64, mel floor 1e-10, float32 result), then `_np_extract_fbank_features`:
`log_spec[:, :-1]`, `max(log_spec, log_spec.max() - 8)`, `(x + 4) / 4`; the input is float32 and
zero-padded to 480000 samples as `__call__` does (padding="max_length", truncation=True).

Run: python3 logmel_reference.py   (numpy only; prints the constants pasted into the test)
"""
import numpy as np


def hertz_to_mel(freq):
    freq = np.asarray(freq, dtype=np.float64)
    mels = 3.0 * freq / 200.0
    log_region = freq >= 1000.0
    mels = np.where(log_region, 15.0 + np.log(np.maximum(freq, 1e-30) / 1000.0) * (27.0 / np.log(6.4)), mels)
    return mels


def mel_to_hertz(mels):
    mels = np.asarray(mels, dtype=np.float64)
    freq = 200.0 * mels / 3.0
    return np.where(mels >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (mels - 15.0)), freq)


def mel_filter_bank(num_frequency_bins, num_mel_filters, min_frequency, max_frequency, sampling_rate):
    mel_freqs = np.linspace(hertz_to_mel(min_frequency), hertz_to_mel(max_frequency), num_mel_filters + 2)
    filter_freqs = mel_to_hertz(mel_freqs)
    fft_freqs = np.linspace(0, sampling_rate // 2, num_frequency_bins)
    filter_diff = np.diff(filter_freqs)
    slopes = np.expand_dims(filter_freqs, 0) - np.expand_dims(fft_freqs, 1)
    down_slopes = -slopes[:, :-2] / filter_diff[:-1]
    up_slopes = slopes[:, 2:] / filter_diff[1:]
    fb = np.maximum(np.zeros(1), np.minimum(down_slopes, up_slopes))
    enorm = 2.0 / (filter_freqs[2 : num_mel_filters + 2] - filter_freqs[:num_mel_filters])
    return fb * np.expand_dims(enorm, 0)


def spectrogram(waveform, window, frame_length, hop_length, mel_filters):
    waveform = np.pad(waveform, [(frame_length // 2, frame_length // 2)], mode="reflect")
    waveform = waveform.astype(np.float64)
    window = window.astype(np.float64)
    num_frames = int(1 + np.floor((waveform.size - frame_length) / hop_length))
    spec = np.empty((num_frames, frame_length // 2 + 1), dtype=np.complex64)
    buffer = np.zeros(frame_length)
    timestep = 0
    for i in range(num_frames):
        buffer[:frame_length] = waveform[timestep : timestep + frame_length]
        buffer[:frame_length] *= window
        spec[i] = np.fft.rfft(buffer)
        timestep += hop_length
    spec = (np.abs(spec, dtype=np.float64) ** 2.0).T
    spec = np.maximum(1e-10, np.dot(mel_filters.T, spec))
    return np.asarray(np.log10(spec), np.float32)


def signal():
    # The fixed test signal (same formula in the test): a 0.15 s chirp plus a 5 kHz tone, as float32.
    n = np.arange(2400, dtype=np.float64)
    x = 0.4 * np.sin(2 * np.pi * (300.0 + 2000.0 * n / 2400.0) * n / 16000.0) + 0.1 * np.sin(2 * np.pi * 5000.0 * n / 16000.0 + 1.0)
    return x.astype(np.float32)


x = np.zeros(480000, dtype=np.float32)
s = signal()
x[: s.size] = s
window = np.hanning(401)[:-1]
log_spec = spectrogram(x, window, 400, 160, mel_filter_bank(201, 80, 0.0, 8000.0, 16000))
log_spec = log_spec[:, :-1]
log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
log_spec = (log_spec + 4.0) / 4.0
assert log_spec.shape == (80, 3000) and log_spec.dtype == np.float32

print("shape", log_spec.shape)
print("max", repr(float(log_spec.max())), "min", repr(float(log_spec.min())))
print("sum (float64)", repr(float(log_spec.astype(np.float64).sum())))
for m in (0, 7, 23, 41, 62, 79):
    print(f"mel {m} frames 0..17:", "[" + ", ".join(f"{v:.7g}" for v in log_spec[m, :18]) + "]")
print("frame 2999 (silence):", repr(float(log_spec[40, 2999])))
