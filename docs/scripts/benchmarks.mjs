// Renders the measured benchmark reports in docs/benchmarks/*.json as tables for docs/performance.md
// (parts/generated/bench-<file>.md). The numbers are never typed by hand.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docsDir } from './packages.mjs';

const dir = join(docsDir, 'benchmarks');
const outDir = join(docsDir, 'parts/generated');
mkdirSync(outDir, { recursive: true });
const ms = (v) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
const x = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
const n = (v) => (v === undefined ? '—' : v.toLocaleString('en-US'));
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const pct = (v) => (v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);
const mb = (v) => (v === undefined ? '—' : `${(v / 2 ** 20).toFixed(0)} MiB`);

function methodsTable(r) {
  const m = r.model;
  const full = r.forward_only
    ? 'inference only (no training steps in this run)'
    : r.base.full_finetune_error
    ? `full fine-tuning did not run: *${r.base.full_finetune_error}*`
    : `full fine-tuning step ${ms(r.base.full_finetune_step_ms)}`;
  const util = r.base.forward_cpu_per_wall !== undefined ? ` (CPU time ÷ wall time ${r.base.forward_cpu_per_wall.toFixed(2)})` : '';
  return `Backend \`${r.backend}\`${r.threads ? ` (${r.threads} thread${r.threads === 1 ? '' : 's'})` : ''}, batch ${r.batch.join(' × ')} tokens, ${m.num_hidden_layers} layers, hidden ${m.hidden_size}, FFN ${m.intermediate_size}, ${r.reps} repetition(s) (median). Base forward ${ms(r.base.forward_ms)}${util}, ${full}.\n\n${table(
    ['method', 'config', 'forward', 'vs base', 'merged forward', 'vs base', 'train step', 'vs full fine-tuning', 'trainable parameters'],
    r.results.map((e) => [e.id, `\`${e.config}\``, ms(e.forward_ms), x(e.forward_vs_base), ms(e.merged_forward_ms), x(e.merged_forward_vs_base), ms(e.train_step_ms), x(e.train_step_vs_full_finetune), n(e.trainable_params)]),
  )}\n${r.micro_batch && r.micro_batch !== r.batch[0] && !r.forward_only ? `\nTrain steps: one optimizer step over the ${r.batch.join(' × ')} batch as ${r.batch[0] / r.micro_batch} micro-batches of ${r.micro_batch} rows (summed gradients).\n` : ''}`;
}

function profileTables(prof, label) {
  let md = '';
  for (const k of ['forward', 'lora', 'full'].filter((k) => prof?.[k] && !prof[k].error)) {
    const p = prof[k];
    md += `${k === 'forward' ? 'Base forward' : k === 'lora' ? 'LoRA train step' : 'Full fine-tuning step'}${label} — ${ms(p.kernel_ms_total)} in kernels, peak tfjs memory ${mb(p.tfjs_peak_bytes_during_step)}, peak RSS ${p.peak_rss_mb.toFixed(0)} MiB:\n\n${table(
      ['kernel', 'calls', 'time', 'share'],
      p.top_kernels.slice(0, 8).map((e) => [e.kernel, n(e.calls), ms(e.ms), pct(e.share)]),
    )}\n\n`;
  }
  return md;
}

/** The `pnpm bench` report: goals, methods, per-kernel profile, memory. */
function reportMd(r) {
  const g = r.goals ?? {};
  const goalRows = [
    [
      `LoRA train step ÷ full fine-tuning step${g.lora_step_vs_full_finetune?.measured_at_layers ? ` (both at ${g.lora_step_vs_full_finetune.measured_at_layers} layers: full fine-tuning of the full model does not fit the backend)` : ''}`,
      x(g.lora_step_vs_full_finetune?.value ?? undefined),
      '≤ 0.65×',
    ],
    ['merged LoRA inference overhead', pct(g.merged_lora_inference_overhead?.value), '≤ 1 %'],
    ['unmerged LoRA inference overhead', pct(g.unmerged_lora_inference_overhead?.value), '≤ 5 %'],
    ['seq_bn inference overhead', pct(g.seq_bn_inference_overhead?.value), '≤ 6 %'],
    ['forward GFLOP/s ÷ large-matMul GFLOP/s', g.forward_gflops_vs_large_matmul ? `${g.forward_gflops.value.toFixed(1)} ÷ ${g.forward_gflops_vs_large_matmul.large_matmul_gflops.toFixed(1)} = ${g.forward_gflops_vs_large_matmul.value.toFixed(2)}` : '—', '≥ 0.8'],
  ];
  const mem = g.memory_lora_vs_full_finetune;
  if (mem?.peak_rss_mb) {
    const at = mem.layers !== undefined && mem.layers !== r.methods?.model?.num_hidden_layers ? ` (at ${mem.layers} layers)` : '';
    goalRows.push([`peak RSS, LoRA ÷ full fine-tuning${at}`, `${mem.peak_rss_mb.lora.toFixed(0)} ÷ ${mem.peak_rss_mb.full.toFixed(0)} MiB = ${mem.peak_rss_mb.ratio.toFixed(2)}`, '—']);
    goalRows.push([`peak tfjs bytes, LoRA ÷ full fine-tuning${at}`, `${mb(mem.tfjs_peak_bytes.lora)} ÷ ${mb(mem.tfjs_peak_bytes.full)} = ${mem.tfjs_peak_bytes.ratio.toFixed(2)}`, '—']);
  }
  const py = r.python_reference?.ratios;
  if (py) {
    goalRows.push(['LoRA step ÷ Python on PyTorch (3.7 s, 1 thread)', x(py.lora_step_vs_python), '≤ 1×']);
    goalRows.push(['base forward ÷ Python on PyTorch (1.9 s, 1 thread)', x(py.forward_vs_python), '≤ 1×']);
  }
  let md = `Machine: ${r.cpus} × ${r.cpu_model}, Node ${r.node}; backend \`${r.backend}\`, ${r.threads} thread(s).\n\n${table(['figure', 'measured', 'goal'], goalRows)}\n`;
  if (r.methods && !r.methods.error) md += `\n**Methods.** ${methodsTable(r.methods)}`;
  const rd = r.reduced_depth;
  if (rd?.methods && !rd.methods.error) md += `\n**Methods at ${rd.layers} layers** (where full fine-tuning fits; same run). ${methodsTable(rd.methods)}`;
  const c = r.compositions;
  if (c && !c.error && c.parallel_speedup !== undefined) {
    md += `\n**Compositions** (\`${c.adapter_config}\`, batch ${c.batch_per_adapter.join(' × ')} per adapter).\n\n${table(
      ['what', 'one pass', 'separately', 'speed-up'],
      [
        ['`Parallel(a, b, c, d)` vs 4 passes', ms(c.parallel_4_one_pass_ms), ms(c.sequential_4_passes_ms), x(c.parallel_speedup)],
        ['`BatchSplit` of 4 adapters vs 4 batches', ms(c.batchsplit_4_one_batch_ms), ms(c.four_separate_batches_ms), x(c.batchsplit_speedup)],
      ],
    )}\n`;
  }
  const prof = profileTables(r.profile, '') + profileTables(rd?.profile, rd ? ` at ${rd.layers} layers` : '');
  if (prof) md += `\n**Where the time goes** (\`tf.profile\`, kernel time summed per kernel, top 8; a profiled step syncs after every kernel).\n\n${prof}`;
  if (r.profile?.full?.out_of_memory) md += `Full fine-tuning of the ${r.methods?.model?.num_hidden_layers ?? ''}-layer model under \`tf.profile\`: *${r.profile.full.error}*\n\n`;
  return md;
}

let count = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const src = `<!-- Generated by docs/scripts/benchmarks.mjs from docs/benchmarks/${file}. Do not edit. -->\n`;
  let md;
  if (r.benchmark === 'methods') {
    md = `${src}${methodsTable(r)}`;
  } else if (r.benchmark === 'report') {
    md = `${src}${reportMd(r)}`;
  } else if (r.benchmark === 'compositions') {
    md = `${src}Backend \`${r.backend}\`, adapters \`${r.adapter_config}\`, batch ${r.batch_per_adapter.join(' × ')} per adapter.\n\n${table(
      ['what', 'one pass', 'separately', 'speed-up'],
      [
        ['`Parallel(a, b, c, d)` vs 4 passes', ms(r.parallel_4_one_pass_ms), ms(r.sequential_4_passes_ms), x(r.parallel_speedup)],
        ['`BatchSplit` of 4 adapters vs 4 batches', ms(r.batchsplit_4_one_batch_ms), ms(r.four_separate_batches_ms), x(r.batchsplit_speedup)],
      ],
    )}\n`;
  } else continue;
  writeFileSync(join(outDir, `bench-${file.replace(/\.json$/, '')}.md`), md);
  count++;
}
console.log(`[docs:benchmarks] ${count} reports rendered`);
