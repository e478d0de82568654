/** What `npm pack` puts in the package: the CLI and its build, the license and the README, nothing of the sources or tests. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/fixture-cases.js';

it('npm pack holds bin, dist, LICENSE, README and package.json, and no tests, fixtures or sources', () => {
  // --ignore-scripts: no `prepare` rebuild here (`npm test` has just built dist).
  expect(existsSync(path.join(ROOT, 'dist', 'bundle', 'cli.js')), 'run npm run build first').toBe(true);
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const f of [
    'bin/kmsfix.cjs',
    'bin/kmsfix.js',
    'dist/bundle/start.cjs',
    'dist/bundle/cli.cjs',
    'dist/bundle/cli.js',
    'LICENSE',
    'README.md',
    'package.json',
  ])
    expect(files, f).toContain(f);
  const bad = files.filter(
    (f) => /^(src|test|fixtures|bench|scripts|docs|node_modules)\//.test(f) || /\.test\.[jt]s$/.test(f) || f.startsWith('.'),
  );
  expect(bad).toEqual([]);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.bin).toEqual({ kmsfix: 'bin/kmsfix.cjs' });
  expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
  expect(pkg.homepage).toMatch(/^https:\/\//);
  expect(pkg.bugs.url).toMatch(/^https:\/\//);
  expect(pkg.keywords).toEqual(expect.arrayContaining(['dynamodb', 'kms']));
  expect(pkg.license).toBe('Apache-2.0');
  expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
});
