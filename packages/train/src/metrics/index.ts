export { accuracy, f1Score, matthewsCorrcoef, argmaxRows, type F1Options } from './classification';
export { pearson, spearman, rankAverage } from './regression';
export { normalizeAnswer, squadExactMatch, squadF1, squadMetrics, type SquadExample } from './squad';
export { getEntities, seqevalMetrics, type Entity, type SeqevalResult } from './seqeval';
export {
  classificationMetrics,
  regressionMetrics,
  taggingMetrics,
  type ClassificationMetricOptions,
  type EvalPrediction,
  type MetricFn,
} from './presets';
