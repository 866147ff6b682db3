// Link checker over the built site: every internal link (href/src of a, link, img, script) must resolve to
// a built file, and every #fragment to an element id on the target page. External links are not fetched.
//
//   node scripts/check-links.mjs .vitepress/dist
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? '.vitepress/dist');
if (!existsSync(dist)) {
  console.error(`[docs:links] ${dist} does not exist: build first`);
  process.exit(2);
}
const pages = readdirSync(dist, { recursive: true }).map(String).filter((f) => f.endsWith('.html'));
const ids = new Map();
const idsOf = (file) => {
  if (!ids.has(file)) {
    const html = readFileSync(file, 'utf8');
    ids.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]))));
  }
  return ids.get(file);
};
/** The built file a site path maps to (VitePress: /a/b → a/b.html, /a/ → a/index.html). */
function target(path) {
  const p = decodeURIComponent(path);
  for (const c of [p, `${p}.html`, join(p, 'index.html')]) {
    const f = join(dist, c);
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return null;
}
const broken = [];
let checked = 0;
for (const page of pages) {
  const file = join(dist, page);
  const html = readFileSync(file, 'utf8');
  for (const m of html.matchAll(/<(?:a|link|img|script)\b[^>]*?\s(?:href|src)="([^"]*)"/g)) {
    const url = m[1].replaceAll('&amp;', '&');
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url) || url === '') continue; // external, mailto:, data:
    checked++;
    const [pathPart, hash] = url.split('#');
    let dest = file;
    if (pathPart) {
      const abs = pathPart.startsWith('/') ? pathPart : `/${relative(dist, resolve(dirname(file), pathPart))}`;
      dest = target(abs.split('?')[0]);
      if (!dest) {
        broken.push(`${page}: ${url} (no such page)`);
        continue;
      }
    }
    if (hash && dest.endsWith('.html') && !idsOf(dest).has(decodeURIComponent(hash))) broken.push(`${page}: ${url} (no #${hash})`);
  }
}
if (broken.length) {
  console.error(`[docs:links] ${broken.length} broken internal link(s) of ${checked}:\n  ${[...new Set(broken)].join('\n  ')}`);
  process.exit(1);
}
console.log(`[docs:links] ${checked} internal links in ${pages.length} pages: all resolve`);
