/**
 * `@adapters/peft`: Hugging Face PEFT interoperability for Adapters for TypeScript — read and
 * write PEFT's `adapter_config.json` + `adapter_model.safetensors` for LoRA and (IA)³, and convert
 * them to and from the Python `adapters` format (`peftToAdapters` / `adaptersToPeft`).
 *
 * @packageDocumentation
 */
export { adaptersToPeft, adaptersToPeftCheckpoint, type AdaptersToPeftOptions } from './adapters-to-peft';
export { peftToAdapters, peftToAdaptersFiles, type PeftToAdaptersOptions, type AdaptersFiles } from './peft-to-adapters';
export { peftHeadToAdapters, type HeadFiles } from './head-conversion';
export { PEFT_FILES, PEFT_KEY_PREFIX, type PeftCheckpoint, readPeft, writePeft, isPeftConfig, parsePeftKey } from './peft-files';
export { type PeftTaskType, PREFIXED_TASK_TYPES, peftLoraConfig, peftIa3Config, type PeftBaseFields } from './peft-config';
export { type TargetModules, matchesTarget, targetModulesFor, exactTargetRegex } from './target-modules';
export { type ModelRef, modelRef, siteByPath, fanInFanOut } from './model-ref';
