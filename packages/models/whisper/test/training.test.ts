import { bottleneck } from '@adapters/bottleneck';
import { AdamW, createRandomModel, trainStep } from '@adapters/core';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { whisper, whisperGreedyDecode } from '../src';
import { tinyConfig } from './helpers';

/**
 * A tiny transcription task: two "utterances" (fixed random features) with their own target token
 * sequences. The loss is teacher-forced next-token cross-entropy with WhisperForConditionalGeneration's
 * tied output projection (`last_hidden_state · decoder.embed_tokensᵀ`), the base model frozen.
 */
describe('Whisper adapters learn a tiny transcription task', () => {
  it('LoRA on encoder and decoder + seq_bn: training lowers the token loss and raises teacher-forced accuracy', () => {
    const m = createRandomModel(whisper, tinyConfig, { seed: 21, std: 0.3, methods: [lora, bottleneck] });
    m.addAdapter('asr_lora', 'lora[r=8,alpha=16,attn_matrices=["q","k","v"],intermediate_lora=True,output_lora=True]');
    m.addAdapter('asr_bn', 'seq_bn[reduction_factor=2]');
    m.setActiveAdapters(['asr_lora', 'asr_bn']);
    m.trainAdapter(['asr_lora', 'asr_bn']);
    const feats = tf.randomNormal([2, 8, 12], 0, 1, 'float32', 4);
    // decoder_start 3, then the "transcripts", then EOS 2.
    const seqs = [
      [3, 12, 7, 19, 2],
      [3, 25, 14, 9, 2],
    ];
    const inputs = tf.tensor2d(seqs.map((s) => s.slice(0, -1)), [2, 4], 'int32');
    const targets = tf.oneHot(tf.tensor2d(seqs.map((s) => s.slice(1)), [2, 4], 'int32'), 30);
    const emb = m.weights.get('decoder.embed_tokens.weight')!;
    const logits = (training: boolean): tf.Tensor =>
      tf.tidy(() => {
        const h = m.forward({ input_features: feats, decoder_input_ids: inputs }, { training }).last_hidden_state;
        return tf.reshape(tf.matMul(tf.reshape(h, [-1, 16]), emb, false, true), [2, 4, 30]);
      });
    const correct = (): number =>
      tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits(false), -1), tf.argMax(targets, -1)), 'int32')).dataSync()[0]!);
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(targets, logits(true)) as tf.Scalar;
    const before = correct();
    const opt = new AdamW({ lr: 0.1, weightDecay: 0 });
    const first = trainStep(m, loss, opt).loss;
    let last = first;
    for (let i = 0; i < 40; i++) last = trainStep(m, loss, opt).loss;
    const after = correct();
    console.log('whisper asr loss', first, '→', last, 'correct tokens', before, '→', after, 'of 8');
    expect(last).toBeLessThan(first / 2);
    expect(after).toBeGreaterThan(before);
    // Only adapters train: the (tied) embedding matrix is the same variable with the same values.
    expect(m.weights.get('decoder.embed_tokens.weight')).toBe(emb);
    // Greedy decoding runs with the trained adapters and keeps the forced prefix.
    const { sequences } = whisperGreedyDecode(m, { inputFeatures: feats, forcedTokens: [3], maxNewTokens: 4 });
    for (const s of sequences) expect(s[0]).toBe(3);
    m.dispose();
  });
});
