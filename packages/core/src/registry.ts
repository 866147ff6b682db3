import type { AdapterMethod } from './define-method';
import type { ModelDefinition } from './define-model';
import { AdaptersError, MissingPluginError } from './errors';

interface Registry {
  methods: Map<string, AdapterMethod>;
  models: Map<string, ModelDefinition<unknown>>;
}

const KEY = Symbol.for('@adapters/core/registry');

/** The process-wide plugin registry, shared by every copy of @adapters/core (keyed by a global symbol). */
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[KEY];
  if (!r) {
    r = { methods: new Map(), models: new Map() };
    g[KEY] = r;
  }
  return r;
}

/** Registers a method plugin. Registering the same object twice is a no-op; another object with the same name throws. */
export function registerMethod(method: AdapterMethod): AdapterMethod {
  const r = registry();
  const existing = r.methods.get(method.name);
  if (existing && existing !== method) throw new AdaptersError(`A different method named "${method.name}" is already registered.`);
  r.methods.set(method.name, method);
  return method;
}

/** Registers a model plugin under its name and every `model_type` it serves. */
export function registerModel<Cfg>(model: ModelDefinition<Cfg>): ModelDefinition<Cfg> {
  const r = registry();
  const existing = r.models.get(model.name);
  if (existing && existing !== (model as ModelDefinition<unknown>)) {
    throw new AdaptersError(`A different model named "${model.name}" is already registered.`);
  }
  r.models.set(model.name, model as ModelDefinition<unknown>);
  return model;
}

/** All registered method plugins. */
export function registeredMethods(): AdapterMethod[] {
  return [...registry().methods.values()];
}

/** All registered model plugins. */
export function registeredModels(): ModelDefinition<unknown>[] {
  return [...registry().models.values()];
}

/** Known package names per Hugging Face model type, for helpful errors. */
const MODEL_PACKAGES: Record<string, string> = {
  bert: '@adapters/bert',
  roberta: '@adapters/bert',
  'xlm-roberta': '@adapters/bert',
  gpt2: '@adapters/gpt2',
  gptj: '@adapters/gptj',
  llama: '@adapters/llama',
  mistral: '@adapters/llama',
  qwen2: '@adapters/llama',
  gemma: '@adapters/llama',
  distilbert: '@adapters/distilbert',
  albert: '@adapters/albert',
  electra: '@adapters/electra',
  t5: '@adapters/t5',
  mt5: '@adapters/t5',
  bart: '@adapters/bart',
  mbart: '@adapters/bart',
  plbart: '@adapters/bart',
  deberta: '@adapters/deberta',
  'deberta-v2': '@adapters/deberta',
  xmod: '@adapters/xmod',
  'bert-generation': '@adapters/bert-generation',
  vit: '@adapters/vit',
  beit: '@adapters/beit',
  clip: '@adapters/clip',
  whisper: '@adapters/whisper',
  'encoder-decoder': '@adapters/encoder-decoder',
};

/** Finds the model plugin serving a `model_type`, or throws naming the package to install. */
export function modelForType(modelType: string): ModelDefinition<unknown> {
  for (const m of registry().models.values()) if (m.modelTypes.includes(modelType)) return m;
  const pkg = MODEL_PACKAGES[modelType];
  throw new MissingPluginError(
    `No model package is registered for model_type "${modelType}".` +
      (pkg ? ` Install and import ${pkg} (e.g. \`import '${pkg}'\`).` : ' No package of ours serves it; see docs/contributing/adding-a-model.md.'),
  );
}
