/**
 * The user documentation's links hold (session 63 moved most of the README into docs/ pages): every relative link of
 * README.md and docs/**\/*.md names a file that exists and a heading of it (scripts/docs-check.mjs), and every
 * README anchor a message of src/ points at (`https://github.com/kmsfix/kmsfix#rolling-back`) is a README heading.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/fixture-cases.js';

it('every relative link of README.md and docs/ names a file and a heading that exist', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'docs-check.mjs')], { encoding: 'utf8' });
  expect(
    r.stdout
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('ok: ')),
  ).toEqual([]);
  expect(r.stdout).toMatch(/^ok: \d+ files/m);
  expect(r.status).toBe(0);
});

it('every README anchor that src/ names in a URL is a heading of README.md', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const headings = new Set(
    readme
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) =>
        l
          .replace(/^#+\s*/, '')
          .toLowerCase()
          .replace(/[^a-z0-9 _-]/g, '')
          .replace(/ /g, '-'),
      ),
  );
  const named: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/github\.com\/kmsfix\/kmsfix#([a-z0-9_-]+)/g)) named.push(m[1]);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  expect(named).toContain('rolling-back');
  expect(named.filter((a) => !headings.has(a))).toEqual([]);
});
