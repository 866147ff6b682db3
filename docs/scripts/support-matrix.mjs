// Generates the metadata-driven parts of the docs from the BUILT packages (run `pnpm build` first).
// Nothing here is written by hand; every output is gitignored and rebuilt before each docs build.
//
//   reference/support-matrix.md        method × model support, compositions, hook points, presets
//   models/<slug>.md                   one page per model package: its metadata + its README
//   packages/<slug>.md                 one page per other package: its README
//   parts/generated/config-<Class>.md  config fields and defaults of a config class (from core's data)
//   parts/generated/method-<name>.md   kinds, container, compositions and presets of a method plugin
//   parts/generated/param-counts.md    trainable parameters of every preset on BERT-base (adapterSummary)
//   parts/generated/sidebar.json       sidebar entries for the generated pages
//
// Sources: `method.kinds`, `method.compositions`, `method.accepts` (which presets a method serves),
// `model.sites(config)`, `model.compositions`, `model.unsupportedConfigs`, core's config classes and
// presets; `tests/matrix/matrix.json` (the runtime-tested matrix) annotates cells where a method's own
// validation rejects a pair the metadata allows.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsDir, publicPackages, root } from './packages.mjs';

const started = Date.now();
const warn = (m) => console.warn(`[docs:generate] warning: ${m}`);
const pkgs = publicPackages();
const corePkg = pkgs.find((p) => p.name === '@adapters/core');
if (!corePkg?.built) throw new Error('@adapters/core is not built: run `pnpm build` before the docs build');
const core = await import(pathToFileURL(join(root, corePkg.dir, 'dist/index.js')).href);
const coreNode = await import(pathToFileURL(join(root, corePkg.dir, 'dist/node/index.js')).href);
await coreNode.setupNodeBackend({ backend: 'cpu' });

// ------------------------------------------------------------------ plugins from the built packages
const isMethod = (v) => v && typeof v === 'object' && Array.isArray(v.kinds) && typeof v.container === 'string' && typeof v.accepts === 'function';
const isModel = (v) => v && typeof v === 'object' && Array.isArray(v.modelTypes) && typeof v.sites === 'function' && typeof v.weightSpecs === 'function';
const methods = []; // { method, pkg }
const models = []; // { model, pkg }
const unbuilt = [];
for (const pkg of pkgs) {
  if (pkg.group !== 'methods' && pkg.group !== 'models') continue;
  if (!pkg.built) {
    unbuilt.push(pkg.name);
    continue;
  }
  const mod = await import(pathToFileURL(join(root, pkg.dir, 'dist/index.js')).href);
  for (const v of new Set(Object.values(mod))) {
    if (isMethod(v)) methods.push({ method: v, pkg });
    if (isModel(v)) models.push({ model: v, pkg });
  }
}
if (unbuilt.length) warn(`not built, left out: ${unbuilt.join(', ')}`);

// Presets served by each method (a preset may need several: seq_bn_inv = bottleneck + invertible).
const presetIds = core.listConfigPresets();
const presetMethods = new Map();
for (const id of presetIds) {
  const preset = core.getConfigPreset(id);
  const names = [];
  for (const member of core.configMembers(preset)) for (const { method } of methods) if (method.accepts(member)) names.push(method.name);
  presetMethods.set(id, [...new Set(names)]);
}
const presetsOf = (name) => presetIds.filter((id) => presetMethods.get(id).includes(name));

// Default config of a model (parseConfig fills transformers' defaults) → its sites.
function defaultSites(model) {
  try {
    return model.sites(model.parseConfig({ model_type: model.modelTypes[0] }));
  } catch (e) {
    warn(`${model.name}: sites of the default config unavailable (${e.message})`);
    return [];
  }
}
const modelInfo = models.map(({ model, pkg }) => {
  const sites = defaultSites(model);
  return { model, pkg, sites, kinds: new Set(sites.map((s) => s.kind)), points: new Set(sites.map((s) => s.point)) };
});

// The runtime-tested matrix (tests/matrix), by model type and preset id.
const tested = new Map();
const matrixFile = join(root, 'tests/matrix/matrix.json');
if (existsSync(matrixFile)) {
  const m = JSON.parse(readFileSync(matrixFile, 'utf8'));
  // Columns that are composition blocks (two seq_bn adapters under Parallel), not presets, are left out.
  const presetColumns = new Set((m.methods ?? []).filter((c) => c.family !== 'Parallel').map((c) => c.id));
  for (const cell of m.cells ?? []) if (presetColumns.has(cell.method)) tested.set(`${cell.model}|${cell.method}`, cell);
}

// ------------------------------------------------------------------ markdown helpers
const BLOCKS = ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'];
const YES = '✅';
const NO = '—';
const code = (s) => `\`${s}\``;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const GENERATED = (src) => `<!-- Generated by docs/scripts/support-matrix.mjs from ${src}. Do not edit. -->\n`;
const pyRepr = (v) => {
  if (core.isPythonFloat(v)) return core.pyFloatRepr(v);
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const methodPage = (name) => {
  const page = { lora: 'lora', vera: 'vera-dora', dora: 'vera-dora', dvora: 'vera-dora', ia3: 'ia3', bottleneck: 'bottleneck', compacter: 'compacter', invertible: 'invertible', prefix_tuning: 'prefix-tuning', prompt_tuning: 'prompt-tuning', reft: 'reft' }[name];
  return page ? `/methods/${page}` : null;
};
const methodLink = (name) => (methodPage(name) ? `[${name}](${methodPage(name)})` : name);
const modelLink = (info) => `[${info.model.name}](/models/${info.pkg.slug})`;

/** Escapes what Vue would read as markup outside code (VitePress compiles pages as Vue templates). */
function vueSafe(md) {
  let fence = false;
  return md
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fence = !fence;
        return line;
      }
      if (fence) return line;
      return line
        .split(/(`+[^`]*`+)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replaceAll('<', '&lt;').replaceAll('{{', '&#123;&#123;')))
        .join('');
    })
    .join('\n');
}

/** Rewrites the relative links of a README for its docs page: package READMEs → their pages, other files → plain text. */
function rewriteLinks(md, pkgDir) {
  return md.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, text, target) => {
    if (/^[a-z]+:/i.test(target) || target.startsWith('#') || bang) return all;
    const [path, hash] = target.split('#');
    const abs = resolve(join(root, pkgDir), path);
    const rel = relative(root, abs).replace(/\/README\.md$/, '').replace(/\/$/, '');
    if (rel === 'README.md' || rel === '') return `[${text}](/)`;
    const target2 = pkgs.find((p) => p.dir === rel);
    if (target2) return `[${text}](${pageOf(target2)}${hash ? `#${hash}` : ''})`;
    if (rel.startsWith('docs/') && rel.endsWith('.md')) return `[${text}](/${rel.slice(5, -3)}${hash ? `#${hash}` : ''})`;
    return text;
  });
}
const pageOf = (pkg) => (pkg.group === 'models' ? `/models/${pkg.slug}` : `/packages/${pkg.slug}`);

// ------------------------------------------------------------------ outputs
const out = (rel, text) => {
  const file = join(docsDir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
for (const d of ['models', 'packages', 'parts/generated']) rmSync(join(docsDir, d), { recursive: true, force: true });

// 1. The support matrix.
const methodNames = methods.map(({ method }) => method.name);
const matrixRows = [];
const footnotes = [];
for (const info of modelInfo) {
  const unsupported = new Set(info.model.unsupportedConfigs ?? []);
  const cells = methods.map(({ method }) => {
    const kindOk = method.kinds.some((k) => info.kinds.has(k));
    const presets = presetsOf(method.name);
    // Rejected as addAdapter rejects them: by config class (a preset of the class of an unsupported identifier).
    const rejected = presets.filter((id) => {
      try {
        core.assertConfigSupported(core.getConfigPreset(id), [...unsupported], info.model.modelTypes[0]);
        return false;
      } catch {
        return true;
      }
    });
    if (!kindOk) return NO;
    if (presets.length > 0 && rejected.length === presets.length) return `${NO} ¹`;
    // Runtime-tested rejections the metadata does not show (a method's own validate/createModule).
    const rejectedAtRuntime = info.model.modelTypes.some((t) => presets.some((id) => tested.get(`${t}|${id}`)?.status === 'reject'));
    if (rejectedAtRuntime) {
      const which = [...new Set(info.model.modelTypes.flatMap((t) => presets.filter((id) => tested.get(`${t}|${id}`)?.status === "reject")))];
      footnotes.push(`${info.model.name} × ${method.name}: the metadata allows it, but ${which.map(code).join(', ')} is rejected when the adapter is added (by the method's own validation; tested in \`tests/matrix\`).`);
      return `${YES} ²`;
    }
    return rejected.length ? `${YES} ³` : YES;
  });
  matrixRows.push([modelLink(info), info.model.modelTypes.map(code).join(', '), ...cells]);
}
const partial = modelInfo.filter((i) => (i.model.unsupportedConfigs ?? []).length).map((i) => `${i.model.name}: ${i.model.unsupportedConfigs.map(code).join(', ')}`);

let matrix = GENERATED('the built packages (method.kinds, method.compositions, model.sites, model.compositions, model.unsupportedConfigs)');
matrix += `# Support matrix

Generated at build time from the plugins' own metadata — nothing on this page is written by hand. A
method applies to a model when the model exposes a site of a kind the method implements
(\`method.kinds\` ∩ kinds of \`model.sites(config)\`) and the model does not reject the method's config
presets (\`model.unsupportedConfigs\`). [Adding a method](/contributing/adding-a-method) or
[a model](/contributing/adding-a-model) package adds its row or column here.

## Methods × models

${table(['model', 'model_type', ...methodNames.map(methodLink)], matrixRows)}

${YES} supported · ${NO} not applicable (no site of the method's kinds) · ¹ every preset of the method is rejected by \`unsupportedConfigs\` ·
² see below · ³ some presets rejected (below).

${partial.length ? `Rejected presets (\`unsupportedConfigs\`, Python \`not_supported_adapter_configs\`): ${partial.join('; ')}.\n` : ''}
${footnotes.length ? `${footnotes.map((f) => `- ² ${f}`).join('\n')}\n` : ''}
The runtime counterpart — every supported pair runs a forward pass and an SGD step on a tiny model,
every unsupported one throws a typed error — is the test workspace \`tests/matrix\`.

## Composition blocks × methods

A block is usable when every method of its adapters supports it (\`method.compositions\`).

${table(['method', 'package', 'kinds', ...BLOCKS], methods.map(({ method, pkg }) => [methodLink(method.name), `[${pkg.name}](${pageOf(pkg)})`, method.kinds.map(code).join(', '), ...BLOCKS.map((b) => (method.compositions.includes(b) ? YES : NO))]))}

## Composition blocks × models

\`Parallel\` and \`MultiTask\` replicate or route the batch and need the model's support (\`model.compositions\`).

${table(['model', ...BLOCKS], modelInfo.map((i) => [modelLink(i), ...BLOCKS.map((b) => (i.model.compositions.includes(b) ? YES : NO))]))}

## Hook points × models

Sites of each model's default config (\`model.sites(parseConfig({ model_type }))\`).

${(() => {
  const points = Object.keys(core.HOOK_POINT_KIND).filter((p) => modelInfo.some((i) => i.points.has(p)));
  return table(['model', ...points.map(code)], modelInfo.map((i) => [modelLink(i), ...points.map((p) => (i.points.has(p) ? YES : NO))]));
})()}

## Config presets

Identifiers usable in \`addAdapter(name, "<identifier>[field=value,…]")\` and the method plugins that serve them.

${table(['identifier', 'config class', 'methods'], presetIds.map((id) => {
  const p = core.getConfigPreset(id);
  const names = presetMethods.get(id);
  return [code(id), code(p.className), names.length ? names.map(methodLink).join(' + ') : '*(no installed method package)*'];
}))}
`;
if (unbuilt.length) matrix += `\n> Not built when this page was generated, so not shown: ${unbuilt.join(', ')}.\n`;
out('reference/support-matrix.md', matrix);

// 2. Config classes: fields and defaults.
const classes = new Set(presetIds.flatMap((id) => core.configMembers(core.getConfigPreset(id)).map((m) => m.className)));
for (const name of classes) {
  const cls = core.getConfigClass(name);
  const rows = cls.fieldNames.map((f) => [code(f), cls.required.includes(f) ? '*(required)*' : code(pyRepr(cls.defaults[f]))]);
  out(`parts/generated/config-${name}.md`, `${GENERATED(`core's config class ${name}`)}\n${table(['field', 'default'], rows)}\n\nPresets of this class: ${presetIds.filter((id) => core.getConfigPreset(id).className === name).map(code).join(', ') || 'none'}.\n`);
}

// 3. Method plugins.
for (const { method, pkg } of methods) {
  const presets = presetsOf(method.name);
  out(
    `parts/generated/method-${method.name}.md`,
    `${GENERATED(`${pkg.name} (the method object)`)}\n${table(['', ''], [
      ['package', `[${pkg.name}](${pageOf(pkg)})`],
      ['method object', code(method.name)],
      ['site kinds', method.kinds.map(code).join(', ')],
      ['state-dict container', code(`<site path>.${method.container}.<adapter>.<param>`)],
      ['compositions', method.compositions.map(code).join(', ') || 'none'],
      ['first adapter only', method.firstAdapterOnly ? 'yes (ignores composition blocks beyond the first adapter)' : 'no'],
      ['presets', presets.map(code).join(', ') || 'none'],
      ['models', modelInfo.filter((i) => method.kinds.some((k) => i.kinds.has(k))).map(modelLink).join(', ')],
    ])}\n`,
  );
}

// 4. Parameter counts on BERT-base (zero weights: only shapes matter), as adapterSummary reports them.
const bertPkg = models.find(({ model }) => model.modelTypes.includes('bert'));
if (bertPkg) {
  // The tfjs-core instance @adapters/core uses (resolved from its folder, as Node resolves its imports).
  const tf = await import(pathToFileURL(createRequire(join(root, corePkg.dir, 'package.json')).resolve('@tensorflow/tfjs-core')).href).catch(() => null);
  if (tf) {
    const bert = bertPkg.model;
    const config = bert.parseConfig({ model_type: 'bert', hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512, type_vocab_size: 2 });
    const weights = new Map();
    for (const spec of bert.weightSpecs(config)) weights.set(spec.name, core.namedVariable(tf.zeros([...spec.shape]), spec.name));
    const model = new core.AdapterModel({ definition: bert, config, weights, methods: methods.map((m) => m.method), modelName: 'bert-base-uncased' });
    const rows = [];
    const rowsByMethod = [];
    for (const id of presetIds) {
      if (presetMethods.get(id).length === 0 || id === 'mtl_lora') continue;
      const name = id.replace(/\W/g, '_');
      try {
        model.addAdapter(name, id);
        const row = core.adapterSummaryRows(model).find((r) => r.name === name);
        rows.push([code(id), presetMethods.get(id).map(methodLink).join(' + '), row['#param'].toLocaleString('en-US'), `${row['%param'].toFixed(4)} %`]);
        rowsByMethod.push([presetMethods.get(id), rows.at(-1)]);
        model.deleteAdapter(name);
      } catch (e) {
        warn(`param count of ${id}: ${e.message}`);
      }
    }
    const base = core.adapterSummaryRows(model).at(-1)['#param'];
    model.dispose();
    for (const { method } of methods) {
      const mine = rowsByMethod.filter(([names]) => names.includes(method.name)).map(([, r]) => r);
      out(`parts/generated/param-counts-${method.name}.md`, `${GENERATED('adapterSummary() on a BERT-base-sized model')}\n${mine.length ? table(['preset', 'methods', 'trainable parameters (BERT-base)', 'of the base model'], mine) : '*(no preset)*'}\n`);
    }
    out('parts/generated/param-counts.md', `${GENERATED('adapterSummary() of every preset on a BERT-base-sized model')}\nBERT-base (\`bert-base-uncased\` sizes: 12 layers, hidden 768, FFN 3072; ${base.toLocaleString('en-US')} base parameters), default fields of each preset, as \`adapterSummary()\` reports them (Python \`adapter_summary()\` gives the same numbers — \`tests/parity\` checks them):\n\n${table(['preset', 'methods', 'parameters', 'of the base model'], rows)}\n`);
  } else warn('tfjs-core not found: parameter counts left out');
} else warn('no BERT model package built: parameter counts left out');
if (!existsSync(join(docsDir, 'parts/generated/param-counts.md'))) out('parts/generated/param-counts.md', '*(parameter counts unavailable: build @adapters/bert)*\n');

// 5. Package pages from the READMEs (models with their metadata first).
const sidebar = { models: [], packages: [] };
for (const pkg of pkgs) {
  const readme = pkg.readme ? vueSafe(rewriteLinks(pkg.readme, pkg.dir)) : `# ${pkg.name}\n\n${pkg.manifest.description ?? ''}\n\n*(This package has no README yet.)*\n`;
  const [first, ...rest] = readme.split('\n');
  const title = first.startsWith('# ') ? first : `# ${pkg.name}`;
  const body = first.startsWith('# ') ? rest.join('\n') : readme;
  let meta = '';
  if (pkg.group === 'models') {
    const infos = modelInfo.filter((i) => i.pkg === pkg);
    if (infos.length) {
      meta = `\n::: info Plugin metadata (generated)\n${table(['plugin', 'model_type', 'compositions', 'rejected presets', 'hook points (default config)'], infos.map((i) => [
        code(i.model.name),
        i.model.modelTypes.map(code).join(', '),
        i.model.compositions.map(code).join(', '),
        (i.model.unsupportedConfigs ?? []).map(code).join(', ') || 'none',
        [...i.points].map(code).join(' '),
      ]))}\n\nMethods: see the [support matrix](/reference/support-matrix). API: [${pkg.name}](/api/${pkg.slug}).\n:::\n`;
    } else if (!pkg.built) meta = '\n::: warning\nNot built when the docs were generated: plugin metadata unavailable.\n:::\n';
    sidebar.models.push({ text: pkg.name.replace('@adapters/', ''), link: `/models/${pkg.slug}` });
  } else {
    sidebar.packages.push({ text: pkg.name, link: `/packages/${pkg.slug}` });
  }
  const source = `${pkg.dir}/README.md`;
  out(`${pageOf(pkg).slice(1)}.md`, `${GENERATED(`${source} and the package metadata`)}${title}\n${meta}\n${body}\n`);
}
sidebar.api = JSON.parse(existsSync(join(docsDir, 'api/.pages.json')) ? readFileSync(join(docsDir, 'api/.pages.json'), 'utf8') : '[]');
out('parts/generated/sidebar.json', `${JSON.stringify(sidebar, null, 2)}\n`);
console.log(`[docs:generate] ${methods.length} methods, ${models.length} models, ${pkgs.length} package pages (${((Date.now() - started) / 1000).toFixed(1)} s)`);
