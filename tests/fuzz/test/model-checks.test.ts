/**
 * Model-dependent checks when adding and loading adapters: another hidden size fails naming both
 * shapes, another model type only warns (as Python, which never checks it), invalid configs never
 * remove an existing adapter, parameters missing from a file are reported.
 */
import { AdapterConfigError, MemoryStorage, ShapeMismatchError, createRandomModel, loadAdapter, loadPretrained, saveAdapter, utf8 } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, expect, it } from 'vitest';

const tinyBert = () => loadPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: bert as never, methods: [lora, bottleneck] });
const bert16 = () =>
  createRandomModel(
    bert as never,
    { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 99, max_position_embeddings: 16 },
    { methods: [lora, bottleneck], seed: 1 },
  );

describe('adapters on the wrong model', () => {
  it('another hidden size: ShapeMismatchError with both sizes (from the config, or from the weights when the config omits it)', async () => {
    const small = bert16();
    const err = await loadAdapter(small, nodeStorage, fixturePath('adapters', 'bert', 'lora')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShapeMismatchError);
    expect(String(err)).toMatch(/adapter_config\.json: adapter was saved for another hidden size: hidden_size: expected shape \[16\], got \[32\]/);

    const storage = new MemoryStorage();
    const json = JSON.parse(await (await import('node:fs/promises')).readFile(fixturePath('adapters', 'bert', 'lora', 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    delete json.hidden_size;
    storage.files.set('a/adapter_config.json', utf8.encode(JSON.stringify(json)));
    storage.files.set('a/adapter.safetensors', new Uint8Array(await (await import('node:fs/promises')).readFile(fixturePath('adapters', 'bert', 'lora', 'adapter.safetensors'))));
    const err2 = await loadAdapter(small, storage, 'a').catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ShapeMismatchError);
    expect(String(err2)).toMatch(/a\/adapter\.safetensors: encoder\.layer\.0\.attention\.self\.query\.loras\.lora\.lora_A: expected shape \[8, 16\], got \[8, 32\]/);
    expect(small.adapterNames).toEqual([]); // nothing half-loaded
    small.dispose();
  });

  it('another model type: loads, with a warning naming both types (Python does not check)', async () => {
    const model = await tinyBert();
    const storage = new MemoryStorage();
    model.addAdapter('a', 'lora');
    await saveAdapter(model, storage, 'a', 'a');
    const json = JSON.parse(utf8.decode(storage.files.get('a/adapter_config.json')!)) as Record<string, unknown>;
    storage.files.set('a/adapter_config.json', utf8.encode(JSON.stringify({ ...json, model_type: 'roberta', model_class: 'RobertaModel' })));
    const warnings: string[] = [];
    await loadAdapter(model, storage, 'a', { loadAs: 'b', warn: (m) => warnings.push(m) });
    expect(model.adapterNames).toContain('b');
    expect(warnings.join('\n')).toMatch(/saved for model type "roberta" \(RobertaModel\), loading it into "bert"/);
    model.dispose();
  });

  it('an invalid config in a saved adapter: AdapterConfigError naming the file and the field', async () => {
    const model = await tinyBert();
    const storage = new MemoryStorage();
    model.addAdapter('a', 'lora[r=4]');
    await saveAdapter(model, storage, 'a', 'a');
    model.deleteAdapter('a');
    const json = JSON.parse(utf8.decode(storage.files.get('a/adapter_config.json')!)) as { config: Record<string, unknown> };
    json.config.leave_out = [7];
    storage.files.set('a/adapter_config.json', utf8.encode(JSON.stringify(json)));
    const err = await loadAdapter(model, storage, 'a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterConfigError);
    expect((err as AdapterConfigError).field).toBe('leave_out');
    expect(String(err)).toMatch(/a\/adapter_config\.json: leave_out: LoRAConfig\.leave_out = \[7\]: layer index 7 is outside \[0, 2\)/);
    model.dispose();
  });

  it('parameters missing from the weights file are reported', async () => {
    const model = await tinyBert();
    const storage = new MemoryStorage();
    model.addAdapter('a', 'lora[r=4]');
    await saveAdapter(model, storage, 'a', 'a');
    model.deleteAdapter('a');
    const json = JSON.parse(utf8.decode(storage.files.get('a/adapter_config.json')!)) as { config: Record<string, unknown> };
    json.config.output_lora = true; // the file has no output LoRA weights
    storage.files.set('a/adapter_config.json', utf8.encode(JSON.stringify(json)));
    const warnings: string[] = [];
    await loadAdapter(model, storage, 'a', { warn: (m) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(/4 parameter\(s\) of adapter "a" are not in the file and keep their initial values: encoder\.layer\.0\.output\.dense\.loras\.a\.lora_A/);
    model.dispose();
  });
});

describe('invalid configs in addAdapter', () => {
  it('throw AdapterConfigError naming the field, before anything is allocated, and keep an existing adapter', async () => {
    const model = await tinyBert();
    model.addAdapter('a', 'lora[r=4]');
    const before = [...model.adapterParameters('a').keys()];
    for (const [config, field] of [
      ['lora[r=0]', 'r'],
      ['lora[r=100000000]', 'r'],
      ['lora[alpha=-1]', 'alpha'],
      ['lora[leave_out=[2]]', 'leave_out'],
      ['lora[attn_matrices=["q","o"]]', 'attn_matrices'],
      ['lora[dropout=1.0]', 'dropout'],
      ['seq_bn[reduction_factor=0]', 'reduction_factor'],
      ['seq_bn[reduction_factor=1e-9]', 'reduction_factor'],
      ['seq_bn[non_linearity="swishy"]', 'non_linearity'],
    ] as const) {
      let err: unknown;
      try {
        model.addAdapter('a', config, { overwriteOk: true });
      } catch (e) {
        err = e;
      }
      expect(err, config).toBeInstanceOf(AdapterConfigError);
      expect((err as AdapterConfigError).field, config).toBe(field);
      expect([...model.adapterParameters('a').keys()], config).toEqual(before);
    }
    model.dispose();
  });
});
