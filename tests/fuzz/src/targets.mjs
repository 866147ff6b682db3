/**
 * The fuzz targets: one per loader, each with its seeds (valid files from the golden fixtures and
 * the tokenizer fixtures), a mutator and a `run` that feeds one input to the loader. The loaders
 * come in through `libs`, so the same targets run against the TypeScript sources (vitest) and
 * against the built `dist/` (nightly script).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { mutateBytes } from './bytes.mjs';
import { mutateJson } from './json.mjs';
import { mutateSafetensors } from './safetensors.mjs';
import { mutateTorchBin } from './torch-bin.mjs';

/** Adapter folders whose methods the fuzzed model has (LoRA, (IA)³, bottleneck). */
export const LOADABLE_ADAPTERS = ['lora', 'lora-bin', 'ia3', 'lora_qkv_ffn', 'seq_bn', 'seq_bn-bin', 'double_seq_bn', 'par_bn', 'scaled_par_bn'];

/** Values worth trying for known config fields. */
const CONFIG_FIELD_VALUES = {
  r: [0, -1, 1.5, 2 ** 31, 1e6, '8', null, true],
  alpha: [0, -8, 'x', null],
  dropout: [-0.1, 1, 1.5, 'x'],
  reduction_factor: [0, -16, 1e-9, 1e9, { default: 0 }, { 0: 1e-12 }, { 1: 2 }, 'x', true],
  non_linearity: ['bogus', '', 5, 'RELU', 'gelu_new'],
  attn_matrices: [['x'], 'qkv', [5], ['q', 'q'], []],
  leave_out: [[-1], [99], [0.5], ['0'], 'x', [0, 1]],
  prefix_length: [0, -1, 1e9],
  composition_mode: ['mult', 'scale', null],
  init_weights: ['bogus', 'bert', 'mam_adapter', 'houlsby', 'lora', 'ia3', 'vera'],
  scaling: [1, -1, 'learned', 'channel', 'bogus', null],
  residual_before_ln: ['post_add', 'pre', 1],
  architecture: ['union', 'lora', 'prefix_tuning', 'reft', 'bogus', null, 5],
  hidden_size: [16, 0, -32, '32', null],
  name: ['', 'a.b', 'x'.repeat(300), 'ünï', null, 5],
  version: ['adapters.0.1.0', 'adapters.x', null, 3],
  configs: [[], [{}], [null], 'x'],
  phm_layer: [true],
  inv_adapter: ['nice', 'glow', 'bogus'],
  mh_adapter: [true, false, 'x'],
  output_adapter: [true, false, null],
  use_gating: [true, 'x'],
  stochastic_depth: [-1, 2],
};

/** Values worth trying for tokenizer.json fields. */
const TOKENIZER_FIELD_VALUES = {
  type: ['BPE', 'WordPiece', 'Unigram', 'WordLevel', 'Bogus', null, 5],
  vocab: [{}, [], { a: -1 }, { a: 1e9 }, [['a']], [['a', 'x']], null, { a: 'x' }],
  merges: [['a b c'], [['a']], ['a'], 5, [null], [['a', 'b', 'c']]],
  unk_token: [null, 'zzz', 5, ''],
  unk_id: [-1, 1e9, null, 'x', 0.5],
  id: [-1, 1e9, null, 'x'],
  content: [null, 5, ''],
  added_tokens: [[{}], [null], 'x', [{ id: -1, content: 'x' }]],
  normalizer: [{}, { type: 'Bogus' }, { type: 'Sequence', normalizers: null }, 5],
  pre_tokenizer: [{}, { type: 'Bogus' }, { type: 'Split', pattern: { Regex: '(' } }, { type: 'Sequence', pretokenizers: [null] }],
  post_processor: [{}, { type: 'Bogus' }, { type: 'TemplateProcessing', single: 'x' }, { type: 'TemplateProcessing', single: [{ Bogus: {} }] }],
  decoder: [{}, { type: 'Bogus' }],
  special_tokens: [{ x: {} }, null, { '[CLS]': { ids: ['x'] } }],
  pair: [null, 'x', [{ SpecialToken: { id: 'zz', type_id: 0 } }]],
  single: [null, 'x', [{ Sequence: { id: 'C', type_id: 0 } }]],
  continuing_subword_prefix: [null, 5, ''],
  max_input_chars_per_word: [-1, 0, 'x'],
  padding: [{ pad_id: -1 }, { pad_id: 'x' }, 'x', { direction: 'Up' }],
  truncation: [{ max_length: -1 }, { max_length: 'x' }, 5],
  pattern: [{ Regex: '(' }, { Regex: '(a+)+$' }, { String: '' }, null],
  byte_fallback: [true, 'x'],
  dropout: [2, -1, 'x'],
  add_prefix_space: ['x', null],
};

function walk(dir, pred, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out.sort();
}

const readBytes = (p) => new Uint8Array(readFileSync(p));

/**
 * Loads the seeds of every target.
 * @param {{ fixturesDir: string, tokenizerFixturesDir: string }} dirs
 */
export function loadSeeds({ fixturesDir, tokenizerFixturesDir }) {
  const adapters = path.join(fixturesDir, 'adapters');
  const small = (p) => readFileSync(p).length <= 64 * 1024;
  const safetensors = [
    ...walk(adapters, (p) => p.endsWith('.safetensors') && small(p)),
    path.join(fixturesDir, 'io', 'inputs.safetensors'),
  ].filter(existsSync);
  const bins = walk(adapters, (p) => p.endsWith('.bin') && readFileSync(p).length <= 128 * 1024);
  const configs = walk(adapters, (p) => p.endsWith('adapter_config.json'));
  const folders = LOADABLE_ADAPTERS.map((d) => path.join(adapters, 'bert', d))
    .filter(existsSync)
    .map((dir) => ({ name: path.basename(dir), files: Object.fromEntries(readdirSync(dir).map((f) => [f, readBytes(path.join(dir, f))])) }));
  const tokenizers = existsSync(tokenizerFixturesDir) ? walk(tokenizerFixturesDir, (p) => p.endsWith('.json')) : [];
  return {
    safetensors: safetensors.map((p) => ({ name: path.relative(fixturesDir, p), bytes: readBytes(p) })),
    torchBin: bins.map((p) => ({ name: path.relative(fixturesDir, p), bytes: readBytes(p) })),
    adapterConfig: configs.map((p) => ({ name: path.relative(fixturesDir, p), text: readFileSync(p, 'utf8') })),
    adapterFolder: folders,
    tokenizer: tokenizers.map((p) => ({ name: path.basename(p), text: readFileSync(p, 'utf8') })),
  };
}

const noWarn = () => {};

/**
 * Builds the targets. `libs.core` is `@adapters/core`, `libs.Tokenizer` the tokenizers class,
 * `libs.model` a tiny model with the LoRA, (IA)³ and bottleneck methods (for `loadAdapter`), `libs.tf`
 * tfjs-core (tensor-leak accounting).
 */
export function makeTargets(libs, seeds) {
  const { core } = libs;
  const decode = (b) => new TextDecoder().decode(b);

  /** Loads a safetensors/bin and converts every tensor, as the loaders do. */
  const convertAll = (tensors, file) => {
    for (const [key, raw] of tensors) core.rawToFloat32(raw, { file, key });
  };

  return [
    {
      name: 'parseSafetensors',
      seeds: seeds.safetensors,
      mutate: (rng, seed) => mutateSafetensors(rng, seed.bytes),
      run: (input) => convertAll(core.parseSafetensors(input.bytes, 'fuzz.safetensors').tensors, 'fuzz.safetensors'),
    },
    {
      name: 'parseTorchBin',
      seeds: seeds.torchBin,
      mutate: (rng, seed) => mutateTorchBin(rng, seed.bytes),
      run: (input) => convertAll(core.parseTorchBin(input.bytes, 'fuzz.bin'), 'fuzz.bin'),
    },
    {
      name: 'parsePythonJson+resolveAdapterConfig',
      seeds: seeds.adapterConfig,
      mutate: (rng, seed) => mutateJson(rng, JSON.parse(seed.text), { fieldValues: CONFIG_FIELD_VALUES, focus: ['config'] }),
      run: (input) => {
        const json = core.parsePythonJson(input.text, { file: 'adapter_config.json' });
        if (typeof json !== 'object' || json === null || Array.isArray(json)) return;
        const config = json.config;
        if (typeof config !== 'object' || config === null) return;
        const resolved = core.resolveAdapterConfig(config, { warn: noWarn });
        core.pythonJsonDumps(core.configToDict(resolved), { indent: 2, sortKeys: true });
        core.getAdapterConfigHash(resolved);
        if (core.validateAdapterConfig) core.validateAdapterConfig(resolved);
      },
    },
    {
      name: 'loadAdapter',
      seeds: seeds.adapterFolder,
      mutate: (rng, seed) => {
        const files = { ...seed.files };
        const weightsName = Object.keys(files).find((f) => f.endsWith('.safetensors') || f.endsWith('.bin'));
        const c = rng.weighted([5, 4, 1, 1, 1]);
        let op;
        if (c === 0) {
          const m = mutateJson(rng, JSON.parse(decode(files['adapter_config.json'])), { fieldValues: CONFIG_FIELD_VALUES, focus: rng.chance(0.8) ? ['config'] : undefined });
          files['adapter_config.json'] = m.bytes ?? new TextEncoder().encode(m.text);
          op = `config:${m.op}`;
        } else if (c === 1) {
          const m = weightsName.endsWith('.bin') ? mutateTorchBin(rng, files[weightsName]) : mutateSafetensors(rng, files[weightsName]);
          files[weightsName] = m.bytes;
          op = `weights:${m.op}`;
        } else if (c === 2) {
          // Weights of another adapter beside this config (a mismatched pair).
          const other = rng.pick(seeds.adapterFolder);
          delete files[weightsName];
          for (const [f, b] of Object.entries(other.files)) if (f !== 'adapter_config.json') files[f] = b;
          op = `swap-weights:${other.name}`;
        } else if (c === 3) {
          const f = rng.pick(Object.keys(files));
          delete files[f];
          op = `delete:${f}`;
        } else {
          const m = mutateBytes(rng, files['adapter_config.json']);
          files['adapter_config.json'] = m.bytes;
          op = `config-bytes:${m.op}`;
        }
        return { files, op };
      },
      run: async (input) => {
        const storage = new core.MemoryStorage();
        for (const [f, b] of Object.entries(input.files)) storage.files.set(`a/${f}`, b);
        const name = await core.loadAdapter(libs.model, storage, 'a', { overwriteOk: true, loadAs: 'fuzzed', warn: noWarn });
        libs.model.deleteAdapter(name);
      },
    },
    {
      name: 'Tokenizer.fromJSON',
      seeds: seeds.tokenizer,
      // Strings up to 100k characters: tokenizers.js builds its vocabulary trie at ~3 MB/s, so a
      // 1 MB token alone takes ~0.4 s (linear, not a hang) and would make the 1 s bound flaky.
      mutate: (rng, seed) => mutateJson(rng, JSON.parse(seed.text), { fieldValues: TOKENIZER_FIELD_VALUES, focus: rng.chance(0.5) ? ['model'] : undefined, maxString: 100_000 }),
      run: (input) => {
        const tok = libs.Tokenizer.fromJSON(input.text, { source: 'tokenizer.json' });
        tok.encode('Hello, world! café naïve 東京 x');
      },
    },
  ];
}
