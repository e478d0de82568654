#!/usr/bin/env node
// Lines a fix adds per fixed table, for every fixture pair: how much code a reviewer reads.
// Usage: npm run build && node scripts/added-lines.mjs [--json]
// Counts the `+` lines of a line diff of input -> expected (jsdiff), and the tables the fix made
// customer-managed (from a fix of the input in memory).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { diffLines } from 'diff';
import { processMemory } from '../dist/src/engine/memory.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');
const rows = [];
for (const family of readdirSync(root).sort()) {
  if (family === 'demo') continue;
  for (const name of readdirSync(path.join(root, family)).sort()) {
    if (name === 'bad') continue;
    const dir = path.join(root, family, name);
    const opts = existsSync(path.join(dir, 'options.json')) ? JSON.parse(readFileSync(path.join(dir, 'options.json'), 'utf8')) : {};
    const pairs = [];
    if (existsSync(path.join(dir, 'input')) && statSync(path.join(dir, 'input')).isDirectory()) {
      for (const n of readdirSync(path.join(dir, 'input')).sort()) {
        const out = path.join(dir, 'expected', n);
        pairs.push({
          path: n,
          input: readFileSync(path.join(dir, 'input', n), 'utf8'),
          expected: existsSync(out) ? readFileSync(out, 'utf8') : undefined,
        });
      }
    } else {
      const input = readdirSync(dir).find((n) => n.startsWith('input.'));
      if (!input) continue;
      const ext = input.slice('input'.length);
      pairs.push({
        path: 'template' + ext,
        input: readFileSync(path.join(dir, input), 'utf8'),
        expected: readFileSync(path.join(dir, 'expected' + ext), 'utf8'),
      });
    }
    const r = await processMemory(
      pairs.map((p) => ({ path: p.path, text: p.input })),
      'fix',
      opts,
    );
    const fixed = r.outcomes.flatMap((o) => o.tables).filter((t) => t.fixed).length;
    let added = 0;
    for (const p of pairs) {
      if (p.expected === undefined) continue;
      for (const part of diffLines(p.input, p.expected)) if (part.added) added += part.count ?? 0;
    }
    rows.push({ case: `${family}/${name}`, fixed, added, perTable: fixed ? Math.round((added / fixed) * 10) / 10 : null });
  }
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const w = Math.max(...rows.map((r) => r.case.length));
  console.log(`${'fixture'.padEnd(w)}  tables fixed  lines added  per table`);
  for (const r of rows)
    console.log(
      `${r.case.padEnd(w)}  ${String(r.fixed).padStart(12)}  ${String(r.added).padStart(11)}  ${r.perTable === null ? '-' : String(r.perTable).padStart(9)}`,
    );
  const multi = rows.filter((r) => r.fixed > 1);
  const sum = (xs, k) => xs.reduce((n, r) => n + r[k], 0);
  const all = rows.filter((r) => r.fixed > 0);
  console.log(
    `\nall fixtures: ${sum(all, 'added')} lines for ${sum(all, 'fixed')} tables (${(sum(all, 'added') / sum(all, 'fixed')).toFixed(1)} per table)`,
  );
  console.log(
    `files with several fixed tables: ${sum(multi, 'added')} lines for ${sum(multi, 'fixed')} tables (${(sum(multi, 'added') / sum(multi, 'fixed')).toFixed(1)} per table)`,
  );
}
