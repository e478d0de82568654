/**
 * The worked examples of docs/typescript.md and docs/terraform.md are what the tool prints: their
 * outputs are compared with a run on the input they show (an adversarial pass found both had drifted:
 * a stale message, a helper without its return type, a hunk header whose count made `git apply` drop
 * two data sources).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';
import { ROOT } from '../helpers/fixture-cases.js';

/** The old side of a diff's one hunk that starts at line 1: the input file, when the hunk ends where it does. */
function oldSide(diff: string, rest: string): string {
  const body = diff
    .slice(diff.indexOf('\n@@') + 1)
    .split('\n')
    .slice(1);
  return (
    body
      .filter((l) => l.startsWith(' ') || l.startsWith('-'))
      .map((l) => `${l.slice(1)}\n`)
      .join('') + rest
  );
}

it('docs/typescript.md "Example": the scan line and the dry run are the tool\'s', async () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'typescript.md'), 'utf8');
  const block = /## Example\n\n```\n([\s\S]*?)```/.exec(doc)![1];
  const [scanPart, fixPart] = block.split('\n$ kmsfix fix --dry-run\n');
  const diff = fixPart;
  // The hunk covers the file up to its last line (`}`).
  const input = oldSide(diff.trimEnd(), '}\n');
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-docs-ts-'));
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'lib', 'orders-stack.ts'), input);
  const scan = await runCli(['scan'], dir);
  expect(`$ kmsfix scan\n${scan.stdout}`).toBe(scanPart);
  const fix = await runCli(['fix', '--dry-run'], dir);
  expect(fix.stdout).toBe(diff);
});

it('every hunk of a diff the README and docs show counts the lines it holds (git apply stops early otherwise)', () => {
  const files = [
    'README.md',
    ...[
      'typescript.md',
      'terraform.md',
      'performance.md',
      'development.md',
      'bulk-migration.md',
      'rolling-back.md',
      'key-policy.md',
      'safety.md',
      'limitations.md',
      'real-world.md',
      'benchmark.md',
      'scanner-parity.md',
      'formats/cloudformation.md',
      'formats/pulumi-yaml.md',
    ].map((f) => path.join('docs', f)),
  ];
  let hunks = 0;
  for (const f of files) {
    // Each fenced block's lines (any language: a dry run's diff is shown in plain blocks too).
    const blocks: string[][] = [];
    let open: string[] | undefined;
    for (const l of readFileSync(path.join(ROOT, f), 'utf8').split('\n')) {
      if (/^\s*```/.test(l)) {
        if (open) blocks.push(open);
        open = open ? undefined : [];
      } else open?.push(l);
    }
    for (const lines of blocks) {
      for (let i = 0; i < lines.length; i++) {
        const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[i]);
        if (!h) continue;
        hunks++;
        let old = 0;
        let neu = 0;
        let j = i + 1;
        for (; j < lines.length && /^[ +\-\\]/.test(lines[j]) && !lines[j].startsWith('--- '); j++) {
          if (lines[j][0] !== '+' && lines[j][0] !== '\\') old++;
          if (lines[j][0] !== '-' && lines[j][0] !== '\\') neu++;
        }
        expect([old, neu], `${f}: ${lines[i]}`).toEqual([Number(h[1] ?? 1), Number(h[2] ?? 1)]);
      }
    }
  }
  expect(hunks).toBeGreaterThanOrEqual(3);
});
