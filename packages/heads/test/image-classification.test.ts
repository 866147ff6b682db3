import { beit } from '@adapters/beit';
import { MemoryStorage, type ModelDefinition, SGD, joinPath, parseSafetensors, tensorsToSafetensors, trainStep, utf8 } from '@adapters/core';
import { fixturePath, maxAbsDiff, readFixtureTensors } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { vit } from '@adapters/vit';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AutoAdapterModel, type FlexHeadModel, loadAdapterWithHead, loadHead, saveAdapterWithHead, saveHead } from '../src';

// Python reference: adapters 1.1.0 `heads/base.py` `ImageClassificationHead` (config keys, loss choice) and
// `heads/model_mixin.py` `add_image_classification_head` (defaults: num_labels 2, layers 1, activation "tanh",
// multilabel False, use_pooler = the class attribute: False for ViTAdapterModel, True for BeitAdapterModel).

const tinyVit = { model_type: 'vit', hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, image_size: 8, patch_size: 4 };
const tinyBeit = { ...tinyVit, model_type: 'beit', use_relative_position_bias: true, drop_path_rate: 0 };
const def = (d: unknown): ModelDefinition<unknown> => d as ModelDefinition<unknown>;
const randomVit = (seed = 7): FlexHeadModel => AutoAdapterModel.fromConfig(tinyVit, { model: def(vit), methods: [lora], seed, std: 0.3, modelName: 'tiny-vit' });
const randomBeit = (seed = 7): FlexHeadModel => AutoAdapterModel.fromConfig(tinyBeit, { model: def(beit), methods: [lora], seed, std: 0.3 });
const pixels = (seed = 1, n = 2): tf.Tensor => tf.randomNormal([n, 3, 8, 8], 0, 1, 'float32', seed);

type Mat = number[][];
/** `x · Wᵀ + b` in plain numbers (PyTorch Linear, `W` is `[out, in]`). */
function linear(x: Mat, w: Mat, b: number[]): Mat {
  return x.map((row) => w.map((wr, o) => wr.reduce((s, wi, i) => s + wi * row[i]!, b[o]!)));
}
const arr2 = (t: tf.Tensor): Mat => t.arraySync() as Mat;
const firstToken = (seq: tf.Tensor): Mat => (seq.arraySync() as number[][][]).map((r) => r[0]!);
const param = (m: FlexHeadModel, key: string): tf.Tensor => m.headParameters(m.activeHead as string).get(key)!;

describe('image classification head (ViTAdapterModel / BeitAdapterModel)', () => {
  it('Python defaults and config dict; ViT: one Linear on the first token of last_hidden_state', () => {
    const m = randomVit();
    expect(m.headTypes).toEqual(['image_classification']);
    expect(m.modelClass).toBe('ViTAdapterModel');
    m.addImageClassificationHead('img', { numLabels: 3 });
    expect(m.headConfig('img')).toEqual({
      head_type: 'image_classification',
      num_labels: 3,
      layers: 1,
      activation_function: 'tanh',
      multilabel: false,
      label2id: { LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 },
      use_pooler: false,
      bias: true,
      dropout_prob: null,
    });
    // Python PredictionHead.build, layers = 1: [Dropout, Linear(H, n)] → heads.img.1.*
    expect(m.head('img').layers.map((l) => l.kind)).toEqual(['dropout', 'linear']);
    expect(Object.fromEntries([...m.headParameters('img')].map(([k, v]) => [k, v.shape]))).toEqual({ 'heads.img.1.weight': [3, 16], 'heads.img.1.bias': [3] });
    const x = pixels();
    const out = m.forward({ pixel_values: x });
    const expected = linear(firstToken(out.last_hidden_state), arr2(param(m, 'heads.img.1.weight')), Array.from(param(m, 'heads.img.1.bias').dataSync()));
    expect(maxAbsDiff(out.logits as tf.Tensor, tf.tensor2d(expected))).toBeLessThan(1e-5);
    m.dispose();
  });

  it('BEiT: use_pooler defaults to true (BeitAdapterModel.use_pooler), so the head reads pooler_output', () => {
    const m = randomBeit();
    expect(m.modelClass).toBe('BeitAdapterModel');
    m.addImageClassificationHead('img');
    expect(m.headConfig('img').use_pooler).toBe(true);
    const out = m.forward({ pixel_values: pixels(2) });
    const expected = linear(arr2(out.pooler_output as tf.Tensor), arr2(param(m, 'heads.img.1.weight')), Array.from(param(m, 'heads.img.1.bias').dataSync()));
    expect(maxAbsDiff(out.logits as tf.Tensor, tf.tensor2d(expected))).toBeLessThan(1e-5);
    // use_pooler: false → the first token of last_hidden_state instead.
    m.addImageClassificationHead('cls', { usePooler: false });
    const o2 = m.forward({ pixel_values: pixels(2) });
    const e2 = linear(firstToken(o2.last_hidden_state), arr2(param(m, 'heads.cls.1.weight')), Array.from(param(m, 'heads.cls.1.bias').dataSync()));
    expect(maxAbsDiff(o2.logits as tf.Tensor, tf.tensor2d(e2))).toBeLessThan(1e-5);
    m.dispose();
  });

  it('layers 2 with an activation: Dropout, Linear(H,H), act, Dropout, Linear(H,n) — logits = W4·act(W1·x + b1) + b4', () => {
    const m = randomVit();
    m.addImageClassificationHead('deep', { layers: 2, activationFunction: 'relu', numLabels: 4 });
    expect(m.head('deep').layers.map((l) => l.kind)).toEqual(['dropout', 'linear', 'activation', 'dropout', 'linear']);
    const out = m.forward({ pixel_values: pixels(3) });
    const h = linear(firstToken(out.last_hidden_state), arr2(param(m, 'heads.deep.1.weight')), Array.from(param(m, 'heads.deep.1.bias').dataSync())).map((r) => r.map((v) => Math.max(0, v)));
    const expected = linear(h, arr2(param(m, 'heads.deep.4.weight')), Array.from(param(m, 'heads.deep.4.bias').dataSync()));
    expect(maxAbsDiff(out.logits as tf.Tensor, tf.tensor2d(expected))).toBeLessThan(1e-5);
    m.dispose();
  });

  it('losses as Python: cross-entropy on class ids, BCE-with-logits when multilabel, MSE when num_labels = 1', () => {
    const m = randomVit();
    const x = pixels(4);
    m.addImageClassificationHead('ce', { numLabels: 3 });
    const ce = m.forward({ pixel_values: x }, { labels: tf.tensor1d([2, 0], 'int32') });
    const l = arr2(ce.logits as tf.Tensor);
    const nll = (row: number[], y: number): number => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[y]!;
    expect(ce.loss!.dataSync()[0]).toBeCloseTo((nll(l[0]!, 2) + nll(l[1]!, 0)) / 2, 5);

    m.addImageClassificationHead('ml', { numLabels: 3, multilabel: true });
    expect(m.headConfig('ml').head_type).toBe('image_classification');
    const y = [[1, 0, 1], [0, 1, 0]];
    const ml = m.forward({ pixel_values: x }, { labels: tf.tensor2d(y) });
    const z = arr2(ml.logits as tf.Tensor);
    // BCEWithLogits: mean of log(1 + e^z) − y·z.
    let bce = 0;
    z.forEach((row, i) => row.forEach((v, j) => (bce += Math.log1p(Math.exp(v)) - y[i]![j]! * v)));
    expect(ml.loss!.dataSync()[0]).toBeCloseTo(bce / 6, 5);

    m.addImageClassificationHead('reg', { numLabels: 1 });
    const rg = m.forward({ pixel_values: x }, { labels: tf.tensor1d([0.5, -1]) });
    const r = arr2(rg.logits as tf.Tensor);
    expect(rg.loss!.dataSync()[0]).toBeCloseTo(((r[0]![0]! - 0.5) ** 2 + (r[1]![0]! + 1) ** 2) / 2, 5);
    m.dispose();
  });

  it('training an adapter and its head on a tiny two-class image task lowers the loss', () => {
    const m = randomVit(3);
    m.addAdapter('img', 'lora[r=4,alpha=8]');
    m.addImageClassificationHead('img');
    m.trainAdapter('img');
    // class 0: bright top half, class 1: bright bottom half (+ noise)
    const rows = tf.reshape(tf.range(0, 8), [1, 1, 8, 1]);
    const top = tf.cast(tf.less(rows, 4), 'float32');
    const x = tf.add(tf.concat([tf.broadcastTo(top, [3, 3, 8, 8]), tf.broadcastTo(tf.sub(1, top), [3, 3, 8, 8])], 0), tf.randomNormal([6, 3, 8, 8], 0, 0.1, 'float32', 5));
    const labels = tf.tensor1d([0, 0, 0, 1, 1, 1], 'int32');
    const opt = new SGD(0.3);
    const loss = (): tf.Scalar => m.forward({ pixel_values: x }, { labels }).loss!;
    const first = trainStep(m, loss, opt).loss;
    let last = first;
    for (let i = 0; i < 4; i++) last = trainStep(m, loss, opt).loss;
    expect(last).toBeLessThan(first);
    m.dispose();
  });

  it('saveAdapterWithHead → loadAdapterWithHead reproduces the logits; head files in Python layout', async () => {
    const m = randomBeit(5);
    m.addAdapter('task', 'lora');
    for (const v of m.adapterParameters('task').values()) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 9));
    m.addImageClassificationHead('task', { numLabels: 3, id2label: { 0: 'cat', 1: 'dog', 2: 'bird' } });
    m.setActiveAdapters('task');
    const x = pixels(6);
    const before = m.forward({ pixel_values: x }).logits as tf.Tensor;
    const mem = new MemoryStorage();
    await saveAdapterWithHead(m, mem, 'saved', 'task');
    const st = parseSafetensors(mem.files.get('saved/model_head.safetensors')!).tensors;
    expect([...st.keys()].sort()).toEqual(['heads.task.1.bias', 'heads.task.1.weight']);
    const cfg = JSON.parse(utf8.decode(mem.files.get('saved/head_config.json')!)) as Record<string, unknown>;
    expect(cfg).toMatchObject({ model_class: 'BeitAdapterModel', model_type: 'beit', hidden_size: 16, name: 'task' });
    const fresh = randomBeit(5);
    const r = await loadAdapterWithHead(fresh, mem, 'saved', { setActive: true });
    expect(r).toEqual({ adapter: 'task', head: 'task' });
    expect(fresh.getLabels('task')).toEqual(['cat', 'dog', 'bird']);
    expect(maxAbsDiff(fresh.forward({ pixel_values: x }).logits as tf.Tensor, before)).toBe(0);
    m.dispose();
    fresh.dispose();
  });

  it('a Python-format head_config.json (as PredictionHeadLoader.save writes it) loads and re-saves byte-identically', async () => {
    // Written by hand from Python's ImageClassificationHead.config + PredictionHeadLoader.save
    // (json.dump(indent=2, sort_keys=True), nested dicts sorted too, no trailing newline).
    const pyConfig = [
      '{',
      '  "config": {',
      '    "activation_function": "tanh",',
      '    "bias": true,',
      '    "dropout_prob": null,',
      '    "head_type": "image_classification",',
      '    "label2id": {',
      '      "bird": 2,',
      '      "cat": 0,',
      '      "dog": 1',
      '    },',
      '    "layers": 1,',
      '    "multilabel": true,',
      '    "num_labels": 3,',
      '    "use_pooler": false',
      '  },',
      '  "hidden_size": 16,',
      '  "model_class": "ViTAdapterModel",',
      '  "model_name": "tiny-vit",',
      '  "model_type": "vit",',
      '  "name": "img",',
      '  "version": "adapters.1.1.0"',
      '}',
    ].join('\n');
    const w = tf.randomNormal([3, 16], 0, 0.3, 'float32', 21);
    const b = tf.tensor1d([0.1, -0.2, 0.3]);
    const mem = new MemoryStorage();
    await mem.writeFile(joinPath('py', 'head_config.json'), utf8.encode(pyConfig));
    await mem.writeFile(
      joinPath('py', 'model_head.safetensors'),
      tensorsToSafetensors(
        new Map([
          ['heads.img.1.weight', w],
          ['heads.img.1.bias', b],
        ]),
      ),
    );
    const m = randomVit();
    expect(await loadHead(m, mem, 'py')).toBe('img');
    expect(m.headConfig('img')).toMatchObject({ head_type: 'image_classification', multilabel: true, label2id: { cat: 0, dog: 1, bird: 2 } });
    expect(maxAbsDiff(param(m, 'heads.img.1.weight'), w)).toBe(0);
    await saveHead(m, mem, 'again', 'img');
    expect(utf8.decode(mem.files.get('again/head_config.json')!)).toBe(pyConfig);
    expect(mem.files.get('again/model_head.safetensors')).toEqual(mem.files.get('py/model_head.safetensors'));
    m.dispose();
  });

  it('only image_classification heads on ViT (Python head_types)', () => {
    const m = randomVit();
    expect(() => m.addClassificationHead('c')).toThrow(/does not support head type 'classification'/);
    m.dispose();
  });
});

/**
 * A `<Model>ForImageClassification` folder built from the architecture fixture (`architectures/<arch>/model`,
 * a bare `ViTModel` / `BeitModel` from transformers 4.47): base keys under `vit.` / `beit.` and a
 * `classifier` Linear `[3, hidden]`, as transformers saves them.
 */
async function staticCheckpoint(arch: 'vit' | 'beit', cls: string, dropPooler: boolean): Promise<{ mem: MemoryStorage; w: tf.Tensor2D; b: tf.Tensor1D }> {
  const cfg = JSON.parse(readFileSync(fixturePath('architectures', arch, 'model', 'config.json'), 'utf8')) as Record<string, unknown>;
  cfg.architectures = [cls];
  cfg.id2label = { 0: 'cat', 1: 'dog', 2: 'bird' };
  cfg.label2id = { cat: 0, dog: 1, bird: 2 };
  const tensors = new Map<string, tf.Tensor>();
  for (const [k, v] of readFixtureTensors('architectures', arch, 'model', 'model.safetensors')) {
    if (dropPooler && k.startsWith('pooler.')) continue; // ViTForImageClassification: ViTModel(add_pooling_layer=False)
    tensors.set(`${arch}.${k}`, v);
  }
  const hidden = Number(cfg.hidden_size);
  const w = tf.randomNormal([3, hidden], 0, 0.5, 'float32', 31) as tf.Tensor2D;
  const b = tf.tensor1d([0.25, -0.5, 0.125]);
  tensors.set('classifier.weight', w);
  tensors.set('classifier.bias', b);
  const mem = new MemoryStorage();
  await mem.writeFile('cls/config.json', utf8.encode(JSON.stringify(cfg)));
  await mem.writeFile('cls/model.safetensors', tensorsToSafetensors(tensors));
  return { mem, w, b };
}

describe('static image-classification checkpoints become flex head "default" (Python STATIC_TO_FLEX_HEAD_MAP)', () => {
  it('ViTForImageClassification: logits = classifier(last_hidden_state[:, 0]) on the Python reference outputs (≤ 1e-5)', async () => {
    const { mem, w, b } = await staticCheckpoint('vit', 'ViTForImageClassification', true);
    const m = await AutoAdapterModel.fromPretrained(mem, 'cls', { model: def(vit) });
    expect(m.activeHead).toBe('default');
    expect(m.headConfig('default')).toMatchObject({ head_type: 'image_classification', layers: 1, activation_function: null, use_pooler: false, num_labels: 3 });
    expect(m.getLabels('default')).toEqual(['cat', 'dog', 'bird']);
    const inputs = Object.fromEntries(readFixtureTensors('architectures', 'vit', 'inputs.safetensors'));
    const ref = readFixtureTensors('architectures', 'vit', 'expected.safetensors').get('last_hidden_state')!;
    const expected = linear(firstToken(ref), arr2(w), Array.from(b.dataSync()));
    expect(maxAbsDiff(m.forward(inputs).logits as tf.Tensor, tf.tensor2d(expected))).toBeLessThanOrEqual(1e-5);
    m.dispose();
  });

  it('BeitForImageClassification: use_pooler, logits = classifier(pooler_output) on the Python reference outputs (≤ 1e-5)', async () => {
    const { mem, w, b } = await staticCheckpoint('beit', 'BeitForImageClassification', false);
    const m = await AutoAdapterModel.fromPretrained(mem, 'cls', { model: def(beit) });
    expect(m.headConfig('default')).toMatchObject({ head_type: 'image_classification', layers: 1, activation_function: null, use_pooler: true, num_labels: 3 });
    const inputs = Object.fromEntries(readFixtureTensors('architectures', 'beit', 'inputs.safetensors'));
    const ref = readFixtureTensors('architectures', 'beit', 'expected.safetensors').get('pooler_output')!;
    const expected = linear(arr2(ref), arr2(w), Array.from(b.dataSync()));
    expect(maxAbsDiff(m.forward(inputs).logits as tf.Tensor, tf.tensor2d(expected))).toBeLessThanOrEqual(1e-5);
    m.dispose();
  });
});
