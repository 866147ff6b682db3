/**
 * The method × model support table, as plain data (no package imports: `scripts/export-matrix.mjs`
 * bundles this file alone to write `matrix.json` for the docs).
 *
 * Python's support comes from the docs table `model_overview.md` (reference §7.1) plus the
 * code-level exceptions listed there. Every pair not listed in {@link EXCEPTIONS} is supported by
 * Python and by this port, and the matrix test runs a forward pass and one SGD step on it.
 */

/** A column: one representative adapter config (or a composition) of a method family. */
export interface MethodColumn {
  readonly id: string;
  /** Config passed to `addAdapter` (identifier or config string). */
  readonly config: string;
  /** Column of Python's docs table this config belongs to. */
  readonly family: 'Bottleneck' | 'Prefix' | 'LoRA' | 'Compacter' | 'Invertible' | 'Parallel' | 'Prompt' | 'ReFT';
  /** Adapters added under this column: one, or two under `Parallel` for the composition column. */
  readonly composition?: 'Parallel';
}

/** A row: one Hugging Face `model_type` served by a model package. */
export interface ModelRow {
  readonly id: string;
  readonly package: string;
  /** Row of Python's docs table. */
  readonly python: string;
}

/**
 * How a pair behaves:
 * - `run`: Python and this port support it (forward + one training step are tested);
 * - `extension`: Python does not support it but this port does (tested to work);
 * - `reject`: neither supports it; adding/activating it throws the typed `error` whose message
 *   matches `message`.
 */
export type PairStatus = 'run' | 'extension' | 'reject';

/** One listed exception to "supported and run". */
export interface PairException {
  readonly status: Exclude<PairStatus, 'run'>;
  /** Why (Python source / docs reference). */
  readonly reason: string;
  /** For `reject`: the error class name expected. */
  readonly error?: 'AdapterConfigError' | 'CompositionError' | 'MissingPluginError';
  /** For `reject`: a regular expression (source, case-insensitive) the message must match. */
  readonly message?: string;
}

/** One cell of the exported matrix. */
export interface MatrixCell extends Partial<Omit<PairException, 'status'>> {
  readonly model: string;
  readonly method: string;
  readonly status: PairStatus;
  /** Whether Python `adapters` supports the pair. */
  readonly python: boolean;
}

export const METHOD_COLUMNS: readonly MethodColumn[] = [
  { id: 'lora', config: 'lora', family: 'LoRA' },
  { id: 'ia3', config: 'ia3', family: 'LoRA' },
  { id: 'vera', config: 'vera', family: 'LoRA' },
  { id: 'dora', config: 'dora', family: 'LoRA' },
  { id: 'seq_bn', config: 'seq_bn', family: 'Bottleneck' },
  { id: 'double_seq_bn', config: 'double_seq_bn', family: 'Bottleneck' },
  { id: 'par_bn', config: 'par_bn', family: 'Bottleneck' },
  // Bottleneck 16/4 = 4 (32/4 = 8) is divisible by phm_dim 4.
  { id: 'compacter', config: 'compacter[reduction_factor=4]', family: 'Compacter' },
  { id: 'seq_bn_inv', config: 'seq_bn_inv', family: 'Invertible' },
  { id: 'prefix_tuning', config: 'prefix_tuning[prefix_length=4,bottleneck_size=8]', family: 'Prefix' },
  { id: 'prompt_tuning', config: 'prompt_tuning[prompt_length=3]', family: 'Prompt' },
  { id: 'loreft', config: 'loreft', family: 'ReFT' },
  { id: 'parallel', config: 'seq_bn', family: 'Parallel', composition: 'Parallel' },
];

export const MODEL_ROWS: readonly ModelRow[] = [
  { id: 'bert', package: '@adapters/bert', python: 'BERT' },
  { id: 'roberta', package: '@adapters/bert', python: 'RoBERTa' },
  { id: 'xlm-roberta', package: '@adapters/bert', python: 'XLM-RoBERTa' },
  { id: 'distilbert', package: '@adapters/distilbert', python: 'DistilBERT' },
  { id: 'albert', package: '@adapters/albert', python: 'ALBERT' },
  { id: 'electra', package: '@adapters/electra', python: 'Electra' },
  { id: 'bert-generation', package: '@adapters/bert-generation', python: 'BERT-Generation' },
  { id: 'gpt2', package: '@adapters/gpt2', python: 'GPT-2' },
  { id: 'gptj', package: '@adapters/gptj', python: 'GPT-J' },
  { id: 'llama', package: '@adapters/llama', python: 'Llama / Llama 2 / Llama 3' },
  { id: 'mistral', package: '@adapters/llama', python: 'Mistral' },
  { id: 'qwen2', package: '@adapters/llama', python: 'Qwen2 / Qwen2.5 / Qwen3 (interface)' },
  // Python has no Gemma v1 integration; its Gemma 2 / Gemma 3 text rows are plugin-interface
  // models, whose support (and this package's LoRA FFN mapping) gemma follows here.
  { id: 'clip', package: '@adapters/clip', python: 'CLIP' },
  { id: 'gemma', package: '@adapters/llama', python: 'Gemma 2 / Gemma 3 text (interface)' },
  { id: 't5', package: '@adapters/t5', python: 'T5' },
  { id: 'mt5', package: '@adapters/t5', python: 'MT5' },
  { id: 'bart', package: '@adapters/bart', python: 'BART' },
  { id: 'mbart', package: '@adapters/bart', python: 'MBart' },
  { id: 'plbart', package: '@adapters/bart', python: 'PLBart' },
  { id: 'deberta', package: '@adapters/deberta', python: 'DeBERTa' },
  { id: 'deberta-v2', package: '@adapters/deberta', python: 'DeBERTa-v2' },
  { id: 'xmod', package: '@adapters/xmod', python: 'X-MOD' },
  { id: 'vit', package: '@adapters/vit', python: 'ViT' },
  { id: 'beit', package: '@adapters/beit', python: 'BEiT' },
  { id: 'whisper', package: '@adapters/whisper', python: 'Whisper' },
  { id: 'encoder-decoder', package: '@adapters/encoder-decoder', python: 'Encoder-Decoder' },
];

/** Python `GPT2ModelAdapterMixin.support_prompt_tuning = False` (likewise GPT-J, Llama, Mistral). */
const PROMPT_UNSUPPORTED = 'Python sets support_prompt_tuning = False for this model (docs table: no Prompt).';
/**
 * Python's plugin interface (`CUSTOM_INTERFACES`: qwen2, gemma2/3 …) enables only bottleneck, lora,
 * reft and invertible; `docs/plugin_interface.md` lists no prefix tuning, no Parallel.
 */
const INTERFACE = 'Python serves this model through the plugin interface';

/** Python: Llama/Mistral mixins set `support_prompt_tuning = False`; @adapters/llama rejects it too. */
const PROMPT_LLAMA: PairException = {
  status: 'reject',
  reason: 'Python sets support_prompt_tuning = False for Llama/Mistral and no plugin interface (qwen2, gemma2/3) enables prompt tuning.',
  error: 'AdapterConfigError',
  message: "'prompt_tuning'.*(llama|mistral|qwen2|gemma)",
};
/**
 * Python limitation reproduced: VeRA's frozen A/B are shared by all layers of an adapter and shaped
 * after the first adapted projection (q_proj, `_vera_init_shapes`); with grouped-query attention
 * v_proj is smaller and Python fails at forward time with a shape error. Here `addAdapter` throws
 * an AdapterConfigError naming VeRA's shared shapes. (Multi-head configs, kv heads = heads, work.)
 */
const VERA_GQA: PairException = {
  status: 'reject',
  reason: 'VeRA shares one A/B shaped after q_proj; with grouped-query attention v_proj is smaller (Python fails at forward time).',
  error: 'AdapterConfigError',
  message: 'VeRA shares one A/B',
};

/** `support_prompt_tuning = False` on the model mixin Python uses for a row (reject, message names the model). */
const promptOff = (model: string, mixin: string): PairException => ({
  status: 'reject',
  reason: `Python ${mixin}.support_prompt_tuning = False (docs table: no Prompt).`,
  error: 'AdapterConfigError',
  message: `'prompt_tuning'.*${model}`,
});
/**
 * Python `ModelAdaptersMixin.supports_adapter` accepts the `invertible` method only on a base model
 * that is an `InvertibleAdaptersMixin` / `InvertibleAdaptersWrapperMixin`; the vision mixins derive
 * from `ModelBaseAdaptersMixin` alone, so `add_adapter` raises ValueError (the docs table marks ViT ✅;
 * the code refuses).
 */
const invertibleOff = (model: string, mixin: string): PairException => ({
  status: 'reject',
  reason: `Python ${mixin} derives from ModelBaseAdaptersMixin only (no InvertibleAdaptersMixin), so supports_adapter("invertible") is False and add_adapter raises.`,
  error: 'AdapterConfigError',
  message: `'seq_bn_inv'.*${model}`,
});

/** The skip list: every pair that is not plain "supported by both", by model then method. */
export const EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, PairException>>>> = {
  'encoder-decoder': {
    prompt_tuning: { status: 'reject', reason: 'Python EncoderDecoderModelAdaptersMixin.support_prompt_tuning = False.', error: 'AdapterConfigError', message: "'prompt_tuning'.*encoder-decoder" },
    parallel: { status: 'reject', reason: 'Python SUPPORTED_MODELS[Parallel] does not list encoder-decoder.', error: 'CompositionError', message: 'encoder-decoder.*Parallel' },
  },
  gpt2: {
    // GPT2AdapterModel.not_supported_adapter_configs = ["dora", "dvora"].
    dora: { status: 'reject', reason: 'Python GPT2AdapterModel.not_supported_adapter_configs = ["dora", "dvora"].', error: 'AdapterConfigError', message: "'dora'.*gpt2" },
    // Python's tests mark GPT-2 as not supporting VeRA: c_attn is a fused q|k|v projection
    // (LoRAMergedLinear) and VeRA has no merged-linear form.
    vera: { status: 'reject', reason: 'Python tests mark GPT-2 as not supporting VeRA (fused c_attn, no merged-linear VeRA).', error: 'AdapterConfigError', message: 'VeRA.*fused projection.*gpt2' },
    prompt_tuning: { status: 'reject', reason: PROMPT_UNSUPPORTED, error: 'AdapterConfigError', message: "'prompt_tuning'.*gpt2" },
  },
  gptj: {
    prompt_tuning: { status: 'reject', reason: PROMPT_UNSUPPORTED, error: 'AdapterConfigError', message: "'prompt_tuning'.*gptj" },
  },
  clip: {
    prompt_tuning: { status: 'reject', reason: 'Python CLIPModelAdaptersMixin.support_prompt_tuning = False (docs table: no Prompt).', error: 'AdapterConfigError', message: "'prompt_tuning'.*clip" },
    parallel: { status: 'reject', reason: 'Python SUPPORTED_MODELS[Parallel] does not list clip.', error: 'CompositionError', message: 'clip.*Parallel' },
  },
  llama: { vera: VERA_GQA, prompt_tuning: PROMPT_LLAMA },
  mistral: { vera: VERA_GQA, prompt_tuning: PROMPT_LLAMA },
  qwen2: {
    vera: VERA_GQA,
    // Extension: our Llama-family forward has the attention hook for every family, so prefix
    // tuning (with GQA-sized prefixes) works on qwen2 too.
    prefix_tuning: { status: 'extension', reason: `${INTERFACE}, which has no prefix tuning; supported here (same attention hook as Llama).` },
    prompt_tuning: PROMPT_LLAMA,
    parallel: { status: 'reject', reason: `${INTERFACE}; Parallel is limited to SUPPORTED_MODELS[Parallel], which lists no interface model.`, error: 'CompositionError', message: 'qwen2.*Parallel' },
  },
  gemma: {
    vera: VERA_GQA,
    prefix_tuning: { status: 'extension', reason: `${INTERFACE}, which has no prefix tuning; supported here (same attention hook as Llama).` },
    prompt_tuning: PROMPT_LLAMA,
    parallel: { status: 'reject', reason: `${INTERFACE}; Parallel is limited to SUPPORTED_MODELS[Parallel], which lists no interface model.`, error: 'CompositionError', message: 'gemma.*Parallel' },
  },
  // MT5Model is mapped to T5ModelAdaptersMixin (MODEL_MIXIN_MAPPING), MBartModel to BartModelAdaptersMixin.
  t5: { prompt_tuning: promptOff('t5', 'T5ModelAdaptersMixin') },
  mt5: { prompt_tuning: promptOff('mt5', 'T5ModelAdaptersMixin (MODEL_MIXIN_MAPPING["MT5Model"])') },
  bart: { prompt_tuning: promptOff('bart', 'BartModelAdaptersMixin') },
  mbart: { prompt_tuning: promptOff('mbart', 'BartModelAdaptersMixin (MODEL_MIXIN_MAPPING["MBartModel"])') },
  plbart: { prompt_tuning: promptOff('plbart', 'PLBartModelAdaptersMixin') },
  whisper: { prompt_tuning: promptOff('whisper', 'WhisperModelAdaptersMixin') },
  deberta: {
    dora: { status: 'reject', reason: 'Python DebertaAdapterModel.not_supported_adapter_configs = ["dora", "dvora"].', error: 'AdapterConfigError', message: "'dora'.*deberta" },
    // The v1 in_proj is a fused q|k|v projection (LoRAMergedLinear), which has no VeRA form.
    vera: {
      status: 'reject',
      reason: 'Python tests (test_on_deberta.py) mark DeBERTa v1 as not supporting VeRA: in_proj is a fused q|k|v LoRAMergedLinear, which has no VeRA form.',
      error: 'AdapterConfigError',
      message: 'VeRA.*fused projection.*deberta',
    },
  },
  // SUPPORTED_MODELS[Parallel] lists vit (Python's ViT tests skip the Composition tests, but
  // validate_composition accepts it; @adapters/vit runs it).
  vit: { seq_bn_inv: invertibleOff('vit', 'ViTModelAdaptersMixin') },
  beit: {
    seq_bn_inv: invertibleOff('beit', 'BeitModelAdaptersMixin'),
    parallel: { status: 'reject', reason: 'Python SUPPORTED_MODELS[Parallel] does not list beit (docs table: no Parallel).', error: 'CompositionError', message: 'beit.*Parallel' },
  },
};

/** The cell of a pair. */
export function matrixCell(model: string, method: string): MatrixCell {
  const ex = EXCEPTIONS[model]?.[method];
  if (!ex) return { model, method, status: 'run', python: true };
  return { model, method, python: false, ...ex };
}

/** Every cell, row by row. */
export function matrixCells(): MatrixCell[] {
  return MODEL_ROWS.flatMap((r) => METHOD_COLUMNS.map((c) => matrixCell(r.id, c.id)));
}

/** The JSON written to `matrix.json` (rendered by the docs). */
export function matrixJson(): unknown {
  return {
    description:
      'Method × model support of Adapters for TypeScript, mirroring Python adapters (docs model_overview.md + code-level exceptions). ' +
      'status: run = supported and tested (forward + one SGD step); extension = supported here, not in Python (tested); reject = unsupported, throws the named error.',
    generatedBy: 'tests/matrix/scripts/export-matrix.mjs from tests/matrix/test/table.ts',
    methods: METHOD_COLUMNS,
    models: MODEL_ROWS,
    cells: matrixCells(),
  };
}
