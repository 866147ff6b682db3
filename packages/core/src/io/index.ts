/**
 * File formats of @adapters/core: safetensors (read and byte-exact write), PyTorch `torch.save`
 * checkpoints (read-only, restricted unpickler), and raw tensor byte conversions. Everything here
 * works on `Uint8Array`s and runs unchanged in Node and browsers.
 */

/** Element types, the raw tensor record and dtype helpers. */
export { DTYPE_SIZE, isSafetensorsDtype, shapeSize, type RawTensor, type SafetensorsDtype } from './dtypes';
/** safetensors: {@link parseSafetensors} validates and reads; {@link serializeSafetensors} writes byte-identically to the Rust crate. */
export { parseSafetensors, serializeSafetensors, type SafetensorsContents } from './safetensors';
/** Raw bytes ⇄ typed arrays (F16/BF16 encoding rounds to nearest even). */
export {
  boolToRaw,
  f16BitsToFloat,
  float32ToRaw,
  floatToBf16Bits,
  floatToF16Bits,
  int32ToRaw,
  rawToFloat32,
  rawToInt32,
  type TensorContext,
} from './convert';
/** PyTorch `torch.save` zip checkpoints: {@link parseTorchBin} and its global allow list. */
export { parseTorchBin, TORCH_ALLOWED_GLOBALS } from './torch-bin';
/** The defensive zip reader used for `.bin` checkpoints. */
export { readZip, ZipArchive, type ZipEntry, type ZipOptions } from './zip';
/** The restricted, non-executing unpickler. */
export { unpickle, PickleGlobal, PickleTuple, type UnpickleHooks } from './pickle';
