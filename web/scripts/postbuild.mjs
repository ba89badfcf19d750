// After `vite build`: writes a .gz beside every compressible file (tickler serve sends it to
// clients that accept gzip) and checks the budget: the initial JavaScript (the entry chunk and
// the chunks it imports statically) must stay at or under 200 KB gzipped.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 200 * 1024;
const out = new URL('../../build/web/', import.meta.url).pathname;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

const gzSize = {};
for (const file of files(out)) {
  if (!/\.(js|css|html|svg|json|webmanifest)$/.test(file)) continue;
  const gz = gzipSync(readFileSync(file), { level: 9 });
  gzSize[relative(out, file)] = gz.length;
  writeFileSync(file + '.gz', gz);
}

// The initial scripts are the ones index.html loads: <script type="module"> and modulepreload.
const html = readFileSync(join(out, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const total = initial.reduce((sum, f) => sum + (gzSize[f] ?? 0), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`web: initial JS ${initial.join(', ')}: ${kb(total)} gzipped (budget ${kb(BUDGET)})`);
if (initial.length === 0 || total > BUDGET) {
  console.error('web: the initial JavaScript is over budget (or missing)');
  process.exit(1);
}
