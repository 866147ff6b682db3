/**
 * `@adapters/heads`: flexible prediction heads for Adapters for TypeScript — the counterpart of
 * Python's `<Model>AdapterModel` classes (`ModelWithFlexibleHeadsAdaptersMixin`), `AutoAdapterModel`,
 * and `save_head` / `load_head` / `save_adapter(with_head=True)` in Python's file format.
 *
 * @packageDocumentation
 */
export {
  FlexHeadModel,
  type FlexForwardOptions,
  type FlexHeadOutput,
  type AddHeadOptions,
  type ClassificationHeadOptions,
  type ImageClassificationHeadOptions,
  type TokenHeadOptions,
  type MultipleChoiceHeadOptions,
  type LMHeadOptions,
} from './flex-head-model';
export { type FlexModelOutput } from './outputs';
export { AutoAdapterModel, type AutoAdapterModelOptions } from './auto-model';
export { PredictionHead } from './prediction-head';
export {
  type HeadType,
  type HeadConfig,
  type Id2Label,
  HEAD_TYPES,
  buildHeadConfig,
  splitSavedHeadConfig,
  headDropout,
  isHeadType,
  isLmHead,
} from './head-config';
export { type HeadLayer, buildHeadLayers, headParamSpecs } from './head-layers';
export { type HeadOutput, type HeadInputs, type HeadEnv, headForward, applyLayers } from './head-forward';
export { type HeadSetup, type ResolvedHeadSetup, parseHeadsFromComposition, headSetupNames, resolveHeadSetup } from './head-setup';
export { crossEntropy, bceWithLogits, mseLoss, IGNORE_INDEX } from './losses';
export {
  saveHead,
  loadHead,
  hasHead,
  headConfigJson,
  headStateDict,
  assignHeadWeights,
  saveAdapterWithHead,
  loadAdapterWithHead,
  type LoadHeadOptions,
  type LoadAdapterWithHeadOptions,
} from './head-files';
export { STATIC_TO_FLEX_HEAD_MAP, type StaticHeadMapping } from './static-head-map';
export { staticHeadConversion, isStaticHeadClass, type StaticHeadConversion } from './static-heads';
export { headTypesFor, adapterModelClassName, inputEmbeddingKey } from './model-heads';
