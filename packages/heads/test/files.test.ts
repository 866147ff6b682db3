import { bert } from '@adapters/bert';
import {
  MemoryStorage,
  MissingPluginError,
  type ModelDefinition,
  joinPath,
  parseSafetensors,
  serializeSafetensors,
  utf8,
} from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AutoAdapterModel, loadAdapterWithHead, loadHead, saveAdapterWithHead, saveHead } from '../src';
import { disposeAll, fixtureInputs, randomBert, randomInputs, tinyBert } from './helpers';

function fixtureFile(...p: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...p)));
}

describe('head files in Python format', () => {
  it('re-saving the Python fixture (adapter + head, with_head) gives byte-identical files', async () => {
    const model = await tinyBert();
    await loadAdapterWithHead(model, nodeStorage, fixturePath('heads', 'bert', 'task'));
    await loadHead(model, nodeStorage, fixturePath('heads', 'bert', 'qa'));
    const mem = new MemoryStorage();
    await saveAdapterWithHead(model, mem, 'task', 'task');
    // adapter_config.json is core's (it adds `init_weights_seed`, which adapters 1.1.0 does not write).
    for (const f of ['adapter.safetensors', 'head_config.json', 'model_head.safetensors']) {
      expect(mem.files.get(joinPath('task', f)), f).toEqual(fixtureFile('heads', 'bert', 'task', f));
    }
    await saveHead(model, mem, 'qa', 'qa');
    for (const f of ['head_config.json', 'model_head.safetensors']) expect(mem.files.get(joinPath('qa', f)), f).toEqual(fixtureFile('heads', 'bert', 'qa', f));
    model.dispose();
  });

  it('saveHead → loadHead (loadAs) reproduces the outputs bit-exactly; keys are heads.<name>.<index>.*', async () => {
    const model = randomBert();
    model.addAdapter('x', 'lora');
    perturbAdapter(model, 'x');
    model.addClassificationHead('x', { numLabels: 3 });
    model.setActiveAdapters('x');
    const inputs = randomInputs();
    const before = model.forward(inputs);
    const mem = new MemoryStorage();
    await saveAdapterWithHead(model, mem, 'saved', 'x');
    const st = parseSafetensors(mem.files.get('saved/model_head.safetensors')!).tensors;
    expect([...st.keys()].sort()).toEqual(['heads.x.1.bias', 'heads.x.1.weight', 'heads.x.4.bias', 'heads.x.4.weight']);
    const adapterKeys = [...parseSafetensors(mem.files.get('saved/adapter.safetensors')!).tensors.keys()];
    expect(adapterKeys.every((k) => k.startsWith('bert.encoder.layer.'))).toBe(true);
    const fresh = randomBert();
    const r = await loadAdapterWithHead(fresh, mem, 'saved', { loadAs: 'y', setActive: true });
    expect(r).toEqual({ adapter: 'y', head: 'y' });
    expect(fresh.activeHead).toBe('y');
    const after = fresh.forward(inputs);
    expect(maxAbsDiff(before.logits as tf.Tensor, after.logits as tf.Tensor)).toBe(0);
    disposeAll(before);
    disposeAll(after);
    disposeAll(inputs);
    model.dispose();
    fresh.dispose();
  });

  it('a tied LM head saves the embedding matrix under its output key; loading writes it into the embeddings', async () => {
    const model = randomBert();
    model.addMaskedLMHead('mlm');
    const mem = new MemoryStorage();
    await saveHead(model, mem, 'mlm', 'mlm');
    const st = parseSafetensors(mem.files.get('mlm/model_head.safetensors')!).tensors;
    expect(st.get('heads.mlm.3.weight')!.shape).toEqual([30, 16]);
    const emb = model.weights.get('embeddings.word_embeddings.weight')!;
    const other = AutoAdapterModel.fromConfig(
      { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16 },
      { model: bert as ModelDefinition<unknown>, seed: 99 },
    );
    await loadHead(other, mem, 'mlm');
    expect(maxAbsDiff(other.weights.get('embeddings.word_embeddings.weight')!, emb)).toBe(0);
    model.dispose();
    other.dispose();
  });

  it('heads from another model class are rejected; static-head files convert with loadAs', async () => {
    const model = randomBert();
    const mem = new MemoryStorage();
    const cfg = (cls: string, extra: Record<string, unknown> = {}) =>
      utf8.encode(JSON.stringify({ config: null, hidden_size: 16, model_class: cls, model_name: 'm', model_type: 'bert', name: null, version: 'adapters.1.1.0', ...extra }));
    const w = tf.tidy(() => tf.randomNormal([3, 16], 0, 1, 'float32', 1));
    const b = tf.zeros([3]);
    await mem.writeFile('s/model_head.safetensors', serializeSafetensors(new Map([
      ['classifier.weight', { dtype: 'F32', shape: [3, 16], data: new Uint8Array((w.dataSync() as Float32Array).buffer.slice(0)) }],
      ['classifier.bias', { dtype: 'F32', shape: [3], data: new Uint8Array(12) }],
    ]), null));
    await mem.writeFile('s/head_config.json', cfg('GPT2AdapterModel'));
    await expect(loadHead(model, mem, 's')).rejects.toThrow(/Cannot automatically convert/);
    await mem.writeFile('s/head_config.json', cfg('BertForSequenceClassification', { label2id: { a: 0, b: 1, c: 2 }, num_labels: 3 }));
    await expect(loadHead(model, mem, 's')).rejects.toThrow(/loadAs/);
    expect(await loadHead(model, mem, 's', { loadAs: 'cls' })).toBe('cls');
    expect(model.headConfig('cls')).toMatchObject({ head_type: 'classification', layers: 1, activation_function: null, use_pooler: true, num_labels: 3 });
    expect(model.getLabels('cls')).toEqual(['a', 'b', 'c']);
    expect(maxAbsDiff(model.headParameters('cls').get('heads.cls.1.weight')!, w)).toBe(0);
    tf.dispose([w, b]);
    model.dispose();
  });
});

describe('AutoAdapterModel', () => {
  it('names the package to install for an unregistered model_type', async () => {
    const mem = new MemoryStorage();
    await mem.writeFile('m/config.json', utf8.encode(JSON.stringify({ model_type: 'gpt2' })));
    const err = await AutoAdapterModel.fromPretrained(mem, 'm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingPluginError);
    expect(String((err as Error).message)).toContain('@adapters/gpt2');
  });

  it('loads the tiny BERT as BertAdapterModel through the registry', async () => {
    await import('@adapters/bert/register');
    const model = await AutoAdapterModel.fromPretrained(nodeStorage, fixturePath('models', 'tiny-bert'));
    expect(model.modelClass).toBe('BertAdapterModel');
    expect(model.headNames).toEqual([]);
    model.dispose();
  });

  it('a BertForSequenceClassification checkpoint becomes head "default" (pooler → classifier), as Python', async () => {
    const mem = new MemoryStorage();
    const config = JSON.parse(readFileSync(fixturePath('models', 'tiny-bert', 'config.json'), 'utf8')) as Record<string, unknown>;
    config.architectures = ['BertForSequenceClassification'];
    config.id2label = { 0: 'x', 1: 'y', 2: 'z' };
    await mem.writeFile('cls/config.json', utf8.encode(JSON.stringify(config)));
    const base = parseSafetensors(fixtureFile('models', 'tiny-bert', 'model.safetensors')).tensors;
    const all = new Map([...base].map(([k, v]) => [`bert.${k}`, v]));
    const wData = Float32Array.from({ length: 3 * 32 }, (_, i) => Math.sin(i));
    const bData = Float32Array.from([0.1, -0.2, 0.3]);
    all.set('classifier.weight', { dtype: 'F32', shape: [3, 32], data: new Uint8Array(wData.buffer) });
    all.set('classifier.bias', { dtype: 'F32', shape: [3], data: new Uint8Array(bData.buffer) });
    await mem.writeFile('cls/model.safetensors', serializeSafetensors(all, { format: 'pt' }));
    const model = await AutoAdapterModel.fromPretrained(mem, 'cls', { model: bert as ModelDefinition<unknown> });
    expect(model.headNames).toEqual(['default']);
    expect(model.getLabels()).toEqual(['x', 'y', 'z']);
    const inputs = fixtureInputs();
    const out = model.forward(inputs);
    const manual = tf.tidy(() => tf.add(tf.matMul(out.pooler_output!, tf.tensor2d(wData, [3, 32]), false, true), tf.tensor1d(bData)));
    expect(maxAbsDiff(out.logits as tf.Tensor, manual)).toBeLessThanOrEqual(1e-6);
    disposeAll(out);
    manual.dispose();
    disposeAll(inputs);
    model.dispose();
  });

  it('restores prediction_heads listed in config.json with their weights', async () => {
    const src = randomBert();
    src.addTaggingHead('tag', { numLabels: 3 });
    const mem = new MemoryStorage();
    const config = { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16, prediction_heads: src.predictionHeadsConfig() };
    // A HF checkpoint stores linear kernels as [out, in].
    const transposed = new Set(bert.weightSpecs(bert.parseConfig(config)).filter((s) => s.transposed).map((s) => s.name));
    const base = [...src.weights].map(([k, v]): [string, tf.Tensor] => [k, transposed.has(k) ? tf.transpose(v) : v]);
    const tensors = new Map<string, tf.Tensor>([...base, ...src.headParameters('tag')]);
    const { tensorsToSafetensors } = await import('@adapters/core');
    await mem.writeFile('m/config.json', utf8.encode(JSON.stringify(config)));
    await mem.writeFile('m/model.safetensors', tensorsToSafetensors(tensors));
    for (const [k, v] of base) if (transposed.has(k)) v.dispose();
    const model = await AutoAdapterModel.fromPretrained(mem, 'm', { model: bert as ModelDefinition<unknown> });
    expect(model.headNames).toEqual(['tag']);
    const inputs = randomInputs();
    const a = src.forward(inputs);
    const b = model.forward(inputs);
    expect(maxAbsDiff(a.logits as tf.Tensor, b.logits as tf.Tensor)).toBe(0);
    disposeAll(a);
    disposeAll(b);
    disposeAll(inputs);
    src.dispose();
    model.dispose();
  });

  it('loads adapters stored in a full checkpoint (config.json "adapters", Python save_pretrained)', async () => {
    const src = randomBert();
    src.addAdapter('x', 'lora[r=2]');
    perturbAdapter(src, 'x');
    src.setActiveAdapters('x');
    const config = {
      model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16,
      adapters: { adapters: { x: 'cfg1' }, config_map: { cfg1: { architecture: 'lora', r: 2, alpha: 8 } } },
    };
    const transposed = new Set(bert.weightSpecs(bert.parseConfig(config)).filter((s) => s.transposed).map((s) => s.name));
    const base = [...src.weights].map(([k, v]): [string, tf.Tensor] => [`bert.${k}`, transposed.has(k) ? tf.transpose(v) : v]);
    const adapter = [...src.adapterParameters('x')].map(([k, v]): [string, tf.Tensor] => [`bert.${k}`, v]);
    const { tensorsToSafetensors } = await import('@adapters/core');
    const mem = new MemoryStorage();
    await mem.writeFile('m/config.json', utf8.encode(JSON.stringify(config)));
    await mem.writeFile('m/model.safetensors', tensorsToSafetensors(new Map([...base, ...adapter])));
    for (const [k, v] of base) if (transposed.has(k.slice(5))) v.dispose();
    const { lora } = await import('@adapters/lora');
    const model = await AutoAdapterModel.fromPretrained(mem, 'm', { model: bert as ModelDefinition<unknown>, methods: [lora] });
    expect(model.adapterNames).toEqual(['x']);
    model.setActiveAdapters('x');
    const inputs = randomInputs();
    const a = src.forward(inputs);
    const b = model.forward(inputs);
    expect(maxAbsDiff(a.last_hidden_state, b.last_hidden_state)).toBe(0);
    disposeAll(a);
    disposeAll(b);
    disposeAll(inputs);
    src.dispose();
    model.dispose();
  });
});
