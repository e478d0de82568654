/** The README's list of JSON `format` values names every format the code emits, and nothing else. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';

it('README JSON output: the `format` values are exactly those a scan of every fixture reports', async () => {
  const r = await runCli(['scan', '--format', 'json', '.'], FIXTURES);
  const emitted = new Set((JSON.parse(r.stdout).tables as { format: string }[]).map((t) => t.format));
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('- `format`:'));
  expect(line, 'README has a "- `format`:" line under JSON output').toBeDefined();
  const listed = new Set([...line!.split(':')[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1]));
  expect([...listed].sort()).toEqual([...emitted].sort());
  // Every family of the code is among the fixtures (so the scan above sees each format).
  for (const f of ['cloudformation', 'sam', 'serverless', 'pulumi-yaml', 'terraform', 'cdk', 'cdktf', 'pulumi'])
    expect(emitted).toContain(f);
});
