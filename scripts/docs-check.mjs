#!/usr/bin/env node
// The user documentation's links, and (after moving text between files) that nothing was lost.
//
//   node scripts/docs-check.mjs                  every relative link of README.md and docs/**/*.md
//                                                names a file that exists and, for a .md file, an
//                                                anchor its headings give (GitHub's slugs)
//   node scripts/docs-check.mjs --old FILE       also: every non-empty line of FILE (an earlier
//                                                README.md, `git show <commit>:README.md > FILE`) is
//                                                a line of README.md or of a docs/**/*.md file
//
// Lines are compared with heading marks taken off (a section moved to its own page goes up a
// level) and link targets emptied (a moved link points from its new folder); nothing else.
// Prints one line per problem and exits 1 when there is any. test/report/docs-links.test.ts runs
// the first form.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function docs() {
  const out = ['README.md'];
  const walk = (dir) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk('docs');
  return out;
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function prose(text) {
  const out = [];
  let fence = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fence = !fence;
    else if (!fence) out.push({ line, n: i + 1 });
  });
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation out, spaces to hyphens, repeats numbered. */
function anchors(text) {
  const seen = new Map();
  const out = new Set();
  for (const { line } of prose(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .replace(/<[^>]*>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    out.add(k === 0 ? base : `${base}-${k}`);
  }
  return out;
}

export function linkProblems() {
  const problems = [];
  const cache = new Map();
  const anchorsOf = (file) => {
    if (!cache.has(file)) cache.set(file, anchors(readFileSync(file, 'utf8')));
    return cache.get(file);
  };
  for (const doc of docs()) {
    const abs = path.join(ROOT, doc);
    for (const { line, n } of prose(readFileSync(abs, 'utf8'))) {
      const text = line.replace(/``[^`]*``|`[^`]*`/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [file, anchor] = target.split('#');
        const dest = file ? path.resolve(path.dirname(abs), file) : abs;
        if (!dest.startsWith(ROOT) || !existsSync(dest)) {
          problems.push(`${doc}:${n}: ${target}: no such file`);
          continue;
        }
        if (anchor === undefined || !dest.endsWith('.md') || statSync(dest).isDirectory()) continue;
        if (!anchorsOf(dest).has(anchor)) problems.push(`${doc}:${n}: ${target}: no such heading`);
      }
    }
  }
  return problems;
}

const norm = (line) =>
  line
    .replace(/^#{1,6}\s+/, '')
    .replace(/\]\([^)\s]*\)/g, ']()')
    .trimEnd();

export function lostLines(oldText) {
  const have = new Set();
  for (const doc of docs()) for (const line of readFileSync(path.join(ROOT, doc), 'utf8').split('\n')) have.add(norm(line));
  const lost = [];
  oldText.split('\n').forEach((line, i) => {
    if (line.trim() !== '' && !have.has(norm(line))) lost.push(`${i + 1}: ${line.length > 160 ? `${line.slice(0, 160)}...` : line}`);
  });
  return lost;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = linkProblems();
  const i = process.argv.indexOf('--old');
  if (i !== -1) {
    const lost = lostLines(readFileSync(process.argv[i + 1], 'utf8'));
    problems.push(...lost.map((l) => `lost: ${process.argv[i + 1]}:${l}`));
  }
  for (const p of problems) console.log(p);
  if (problems.length > 0) process.exit(1);
  console.log(`ok: ${docs().length} files${i !== -1 ? ', every line of the old file kept' : ''}`);
}
