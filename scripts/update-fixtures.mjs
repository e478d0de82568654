#!/usr/bin/env node
// Writes fixtures/<family>/<case>/expected* from the current build's output, for a human to
// review with `git diff` before committing. Usage: npm run build && node scripts/update-fixtures.mjs [family] [case]
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processMemory } from '../dist/src/engine/memory.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');
const [onlyFamily, onlyCase] = process.argv.slice(2);
for (const family of readdirSync(root)) {
  if (family === 'demo' || (onlyFamily && family !== onlyFamily)) continue;
  for (const name of readdirSync(path.join(root, family))) {
    if (name === 'bad' || (onlyCase && name !== onlyCase)) continue;
    const dir = path.join(root, family, name);
    const opts = existsSync(path.join(dir, 'options.json')) ? JSON.parse(readFileSync(path.join(dir, 'options.json'), 'utf8')) : {};
    const inDir = path.join(dir, 'input');
    if (existsSync(inDir) && statSync(inDir).isDirectory()) {
      const files = filesUnder(inDir).map((n) => ({ path: n, text: readFileSync(path.join(inDir, n), 'utf8') }));
      const r = await processMemory(files, 'fix', opts);
      for (const [p, t] of r.output) {
        mkdirSync(path.dirname(path.join(dir, 'expected', p)), { recursive: true });
        writeFileSync(path.join(dir, 'expected', p), t);
      }
      report(family, name, r);
    } else {
      const input = readdirSync(dir).find((n) => n.startsWith('input.'));
      if (!input) continue;
      const ext = input.slice('input'.length);
      const r = await processMemory([{ path: 'template' + ext, text: readFileSync(path.join(dir, input), 'utf8') }], 'fix', opts);
      writeFileSync(path.join(dir, 'expected' + ext), [...r.output.values()][0]);
      report(family, name, r);
    }
  }
}

function filesUnder(folder, prefix = '') {
  return readdirSync(path.join(folder, prefix))
    .sort()
    .flatMap((n) => {
      const rel = prefix ? `${prefix}/${n}` : n;
      return statSync(path.join(folder, rel)).isDirectory() ? filesUnder(folder, rel) : [rel];
    });
}

function report(family, name, r) {
  const errs = r.outcomes.flatMap((o) => (o.error ? [o.error] : []));
  const tables = r.outcomes.flatMap((o) => o.tables.map((t) => `${t.address}=${t.status}${t.fixed ? '(fixed)' : ''}`));
  console.log(`${family}/${name}: ${tables.join(' ')}${errs.length ? ' ERRORS ' + JSON.stringify(errs) : ''}`);
}
