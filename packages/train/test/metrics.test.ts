import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationMetrics,
  f1Score,
  getEntities,
  matthewsCorrcoef,
  normalizeAnswer,
  pearson,
  regressionMetrics,
  seqevalMetrics,
  spearman,
  squadMetrics,
  taggingMetrics,
} from '../src';

// Expected values are the outputs of scikit-learn / SciPy / seqeval / the SQuAD script on the
// same inputs (their documentation examples where possible).
describe('classification metrics (scikit-learn)', () => {
  const yTrue = [0, 1, 2, 0, 1, 2];
  const yPred = [0, 2, 1, 0, 0, 1];
  it('f1_score doc example: macro 0.2667, micro 0.3333', () => {
    expect(f1Score(yPred, yTrue, { average: 'macro' })).toBeCloseTo(0.26666666666666666, 12);
    expect(f1Score(yPred, yTrue, { average: 'micro' })).toBeCloseTo(0.3333333333333333, 12);
    expect(() => f1Score(yPred, yTrue)).toThrow(/binary/);
  });
  it('binary F1 and accuracy', () => {
    // tp=2 fp=1 fn=1 → P=R=2/3 → F1=2/3
    expect(f1Score([1, 1, 0, 1, 0], [1, 0, 0, 1, 1])).toBeCloseTo(2 / 3, 12);
    expect(f1Score([0, 0], [0, 0])).toBe(0); // zero_division=0
    expect(accuracy([1, 1, 0, 1, 0], [1, 0, 0, 1, 1])).toBeCloseTo(0.6, 12);
  });
  it('matthews_corrcoef doc example (−1/3) and multi-class', () => {
    expect(matthewsCorrcoef([1, -1, 1, 1], [1, 1, 1, -1])).toBeCloseTo(-0.3333333333333333, 12);
    // multi-class (sklearn's formula by hand): c=4, s=6, t=(2,2,2), p=(2,3,1) → (24−12)/√((36−12)(36−14))
    expect(matthewsCorrcoef([0, 1, 1, 1, 2, 0], [0, 0, 1, 1, 2, 2])).toBeCloseTo(12 / Math.sqrt(528), 12);
    expect(matthewsCorrcoef(yPred, yTrue)).toBe(0); // c·s = Σ t·p
    expect(matthewsCorrcoef([1, 1, 1], [0, 1, 1])).toBe(0);
  });
  it('classificationMetrics from logits', () => {
    const m = classificationMetrics()({ logits: [[0.1, 0.9], [2, 1], [0, 3], [1, 0]], labels: [1, 0, 0, 0] });
    expect(m).toEqual({ accuracy: 0.75, f1: 0.6666666666666666, mcc: expect.closeTo(0.5773502691896258, 12) });
  });
});

describe('regression metrics (SciPy)', () => {
  it('pearsonr and spearmanr (spearmanr doc example with ties: 0.8207826816681233)', () => {
    expect(pearson([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8320502943378437, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]))).toBe(true);
    const m = regressionMetrics()({ logits: [[1], [2], [3]], labels: [2, 4, 7] });
    expect(m.pearson).toBeCloseTo(0.9933992677987828, 12);
    expect(m.spearman).toBeCloseTo(1, 12);
  });
});

describe('SQuAD v1.1 metrics', () => {
  it('normalize_answer and EM/F1 (max over answers, percent)', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, a  landmark! ')).toBe('eiffeltower landmark');
    const r = squadMetrics([
      { prediction: 'the Denver Broncos', answers: ['Denver Broncos', 'Broncos'] },
      { prediction: 'in Santa Clara, California', answers: ["Levi's Stadium", 'Santa Clara'] },
    ]);
    // ex 2: pred tokens [in, santa, clara, california], gold [santa, clara]: P=2/4 R=1 → F1=2/3
    expect(r.exact_match).toBeCloseTo(50, 10);
    expect(r.f1).toBeCloseTo(((1 + 2 / 3) / 2) * 100, 10);
  });
});

describe('seqeval', () => {
  it('doc example: precision = recall = F1 = 0.5, accuracy 0.8', () => {
    const yTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const yPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const r = seqevalMetrics(yPred, yTrue);
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.f1).toBeCloseTo(0.5, 12);
    expect(r.accuracy).toBeCloseTo(0.8, 12);
  });
  it('get_entities (lenient IOB1/IOBES handling)', () => {
    expect(getEntities([['B-PER', 'I-PER', 'O', 'B-LOC']])).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'LOC', start: 3, end: 3 },
    ]);
    // an I- after O starts a chunk; a type change ends one; S- is a single-token chunk
    expect(getEntities([['I-PER', 'I-LOC', 'S-ORG', 'E-ORG']])).toEqual([
      { type: 'PER', start: 0, end: 0 },
      { type: 'LOC', start: 1, end: 1 },
      { type: 'ORG', start: 2, end: 2 },
      { type: 'ORG', start: 3, end: 3 },
    ]);
  });
  it('taggingMetrics drops −100 positions', () => {
    const id2label = ['O', 'B-X', 'I-X'];
    const logits = [[[0, 9, 0], [0, 0, 9], [9, 0, 0], [0, 9, 0]]];
    const m = taggingMetrics(id2label)({ logits, labels: [[1, 2, -100, 0]] });
    // predicted [B-X, I-X, B-X] vs reference [B-X, I-X, O]: 1 of 2 predicted entities is right
    expect(m).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, accuracy: 2 / 3 });
  });
});
