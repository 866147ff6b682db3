import type { ModelRef } from './model-ref';

/** PEFT's `target_modules`: a regex (full match) or a list of names / dotted suffixes. */
export type TargetModules = string | readonly string[];

/**
 * PEFT `check_target_module_exists` for `target_modules`: a string is a regex that must match
 * the whole module name; a list matches a name equal to an entry or ending with `.` + entry.
 */
export function matchesTarget(name: string, target: TargetModules | null | undefined): boolean {
  if (target === null || target === undefined) return false;
  if (typeof target === 'string') {
    try {
      return new RegExp(`^(?:${target})$`).test(name);
    } catch {
      return false;
    }
  }
  return target.some((t) => name === t || name.endsWith(`.${t}`));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex that fully matches exactly these module paths, behind any prefix (`bert.`, `model.`, …). */
export function exactTargetRegex(paths: readonly string[]): string {
  return `(?:.*\\.)?(?:${[...paths].sort().map(escapeRegExp).join('|')})`;
}

/**
 * `target_modules` (+ `layers_to_transform`) for a set of module paths, in the form PEFT users
 * write: the shortest name suffixes (`["query", "value"]`) when, restricted to the transformed
 * layers, they select exactly these modules among all linear layers of the model; otherwise an
 * exact regex (e.g. BERT's FFN `output.dense`, which the suffix would confuse with
 * `attention.output.dense`). Without a model reference the regex is always used, and so it is
 * for a layer subset when the PEFT config has no `layers_to_transform` (IA3).
 */
export function targetModulesFor(
  paths: readonly string[],
  ref: ModelRef | null,
  opts: { allowLayersToTransform?: boolean } = {},
): { targetModules: TargetModules; layersToTransform: number[] | null } {
  const targeted = new Set(paths);
  if (!ref) return { targetModules: exactTargetRegex(paths), layersToTransform: null };
  const sites = ref.linearSites.filter((s) => s.layer >= 0);
  const layers = [...new Set(sites.filter((s) => targeted.has(s.path)).map((s) => s.layer))].sort((a, b) => a - b);
  const inLayers = sites.filter((s) => layers.includes(s.layer));
  const suffixes: string[] = [];
  for (const path of paths) {
    const segs = path.split('.');
    let chosen: string | null = null;
    for (let n = 1; n <= segs.length; n++) {
      const cand = segs.slice(-n).join('.');
      if (/(^|\.)\d+(\.|$)/.test(cand)) break;
      const hits = inLayers.filter((s) => s.path === cand || s.path.endsWith(`.${cand}`));
      if (hits.every((s) => targeted.has(s.path))) {
        chosen = cand;
        break;
      }
    }
    if (chosen === null || !sites.some((s) => s.path === path)) return { targetModules: exactTargetRegex(paths), layersToTransform: null };
    if (!suffixes.includes(chosen)) suffixes.push(chosen);
  }
  const selected = inLayers.filter((s) => matchesTarget(s.path, suffixes)).map((s) => s.path);
  if (selected.length !== targeted.size || !selected.every((p) => targeted.has(p))) {
    return { targetModules: exactTargetRegex(paths), layersToTransform: null };
  }
  const all = layers.length === ref.numLayers;
  if (!all && opts.allowLayersToTransform === false) return { targetModules: exactTargetRegex(paths), layersToTransform: null };
  return { targetModules: suffixes.sort(), layersToTransform: all ? null : layers };
}
