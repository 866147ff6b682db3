/** Tiny DOM helpers. */

/** The element with id `id` (throws when the page lacks it). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} is missing from index.html`);
  return e as T;
}

/** Creates an element with text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A number input's value (falls back to `fallback` when empty or invalid). */
export function numberValue(id: string, fallback: number): number {
  const v = Number(byId<HTMLInputElement>(id).value);
  return Number.isFinite(v) && byId<HTMLInputElement>(id).value !== '' ? v : fallback;
}

/** Formats a number for tables. */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}
