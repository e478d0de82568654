#!/usr/bin/env node
// Micro-benchmark of each fast parser against its reference parser (issue 17), on the project's own
// fixtures (the files each parser handles, bad inputs left out), in one process, warm:
//   npm run build && node bench/parsers.mjs [--rounds N]
// For each language: MB/s of the fast parser, of the reference parser, and how many of the texts
// the fast parser handled itself (the rest it leaves to the reference parser, which then decides).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseYamlFast } from '../dist/src/formats/yaml/yamlfast.js';
import { parseJsonFast } from '../dist/src/formats/yaml/jsonfast.js';
import { parseJsonReference, parseYamlReference } from '../dist/src/formats/yaml/tree.js';
import { parseHclFast } from '../dist/src/formats/terraform/hclfast.js';
import { deep, parseHclReference } from '../dist/src/formats/terraform/parse.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');
const arg = process.argv.indexOf('--rounds');
const rounds = arg === -1 ? 30 : Number(process.argv[arg + 1]);

function files(dir, test) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      if (e !== 'bad') out.push(...files(p, test));
    } else if (test(e)) out.push(readFileSync(p, 'utf8').replace(/^\uFEFF/, ''));
  }
  return out;
}

const corpora = {
  yaml: files(root, (n) => /\.ya?ml$/.test(n)),
  json: files(path.join(root, 'cloudformation'), (n) => /\.json$/.test(n)),
  hcl: files(path.join(root, 'terraform'), (n) => /\.tf$/.test(n)),
};

const parsers = {
  yaml: { fast: (t) => parseYamlFast(t), reference: (t) => parseYamlReference(t) },
  json: { fast: (t) => parseJsonFast(t), reference: (t) => parseJsonReference(t) },
  hcl: { fast: (t) => parseHclFast(t, deep), reference: (t) => parseHclReference(t) },
};

async function time(texts, parse) {
  // One round to warm up (JIT, lazy loading of the reference parsers), then the measured rounds.
  for (const t of texts) await parse(t);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of texts) await parse(t);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

console.log(`language  texts  KB   fast MB/s  reference MB/s  speed-up  handled by the fast parser`);
for (const [lang, texts] of Object.entries(corpora)) {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const handled = texts.filter((t) => parsers[lang].fast(t) !== undefined);
  // The fast parser's speed on what it handles; the reference parser's on the same texts.
  const fast = await time(handled, parsers[lang].fast);
  const reference = await time(handled, parsers[lang].reference);
  const mb = (handled.reduce((n, t) => n + Buffer.byteLength(t), 0) * rounds) / 1e6;
  console.log(
    `${lang.padEnd(8)}  ${String(texts.length).padStart(5)}  ${String(Math.round(bytes / 1024)).padStart(3)}  ${(mb / fast).toFixed(1).padStart(9)}  ` +
      `${(mb / reference).toFixed(1).padStart(14)}  ${(reference / fast).toFixed(1).padStart(7)}x  ${handled.length} of ${texts.length}`,
  );
}
