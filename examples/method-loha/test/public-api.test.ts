import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const files = ['src', 'test'].flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.ts')).map((f) => join(root, d, f)));

it('imports @adapters/core only through its public entry points (root and /testing)', () => {
  const bad: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/from\s+'([^']+)'|import\s+'([^']+)'/g)) {
      const spec = m[1] ?? m[2]!;
      const ok = !spec.startsWith('@adapters/core') || spec === '@adapters/core' || spec === '@adapters/core/testing';
      if (!ok || spec.includes('packages/')) bad.push(`${f}: ${spec}`);
    }
  }
  expect(bad).toEqual([]);
});
