import { type AnyAdapterConfig, configMembers, getConfigPreset, isConfigInstanceOf } from './config';
import { AdapterConfigError } from './errors';

/**
 * Throws {@link AdapterConfigError} when `config` is one of the `unsupported` preset identifiers
 * of a model (Python `ModelAdaptersMixin.supports_adapter` with `not_supported_adapter_configs`,
 * e.g. GPT-2 and DeBERTa reject `dora` / `dvora`). A config matches an identifier when it — or a
 * member of a config union — is an instance of that preset's config class (Python
 * `isinstance(config, type(ADAPTER_CONFIG_MAP[identifier]))`): `"dora"` and `DoRAConfig(...)` are
 * rejected, a plain `LoRAConfig(use_dora=True)` is not (as in Python).
 */
export function assertConfigSupported(config: AnyAdapterConfig, unsupported: readonly string[], modelType: string): void {
  if (unsupported.length === 0) return;
  const candidates = [config, ...configMembers(config).filter((m) => m !== config)];
  for (const id of unsupported) {
    const preset = getConfigPreset(id);
    if (!preset) throw new AdapterConfigError(`unsupportedConfigs of model type ${modelType}: unknown preset "${id}"`);
    for (const c of candidates) {
      if (isConfigInstanceOf(c, preset.className)) {
        throw new AdapterConfigError(`Adapter config or type '${id}' (${c.className}) is not supported by models of type ${modelType}.`);
      }
    }
  }
}
