/**
 * The bench's floor of a fix (bench/run.mjs) is only as good as what its two helpers measure:
 * bench/write-floor.mjs must do exactly the fix's writes (the changed files, atomically, modes
 * kept), and bench/rescan.mjs must scan the fixed tree after the input one. No timing is checked.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDense } from '../../bench/generate.mjs';
import { runCli, snapshot, scanJson } from '../helpers/cli-helper.js';
import { ROOT } from '../helpers/fixture-cases.js';

const bench = (script: string, ...args: string[]) =>
  JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], { encoding: 'utf8' }));

describe('the bench floor helpers', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-floor-'));
  const input = path.join(work, 'input');
  const fixed = path.join(work, 'fixed');
  const pristine = path.join(work, 'pristine');
  generateDense(input, { seed: 3, scale: 0.01 });
  const first = (dir: string) => {
    const tf = path.join(dir, 'tf');
    const walk = (d: string): string => {
      const e = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))[0];
      return e.isDirectory() ? walk(path.join(d, e.name)) : path.join(d, e.name);
    };
    return walk(tf);
  };
  chmodSync(first(input), 0o664);
  cpSync(input, fixed, { recursive: true });
  cpSync(input, pristine, { recursive: true });
  let written = NaN;
  beforeAll(async () => {
    const fix = await runCli(['fix', '--yes', '--quiet', '.'], fixed);
    written = Number(/(\d+) files? written/.exec(fix.stderr)?.[1]);
  });

  it('write-floor writes exactly the files the fix changed, with their modes, and leaves no temp file', () => {
    expect(written).toBeGreaterThan(10);
    const r = bench('write-floor.mjs', fixed, pristine);
    expect(r.files).toBe(written);
    expect(r.ms).toBeGreaterThan(0);
    expect(snapshot(pristine)).toEqual(snapshot(fixed));
    expect(statSync(first(pristine)).mode & 0o777).toBe(0o664);
  });

  it('rescan times a scan of the fixed tree, made after a scan of the input', async () => {
    const scan = (await scanJson(fixed, ['--quiet', '.'])).summary;
    const before = (await scanJson(input, ['--quiet', '.'])).summary;
    expect(scan.compliant).toBeGreaterThan(before.compliant);
    const r = bench('rescan.mjs', input, fixed);
    expect(r.summary).toEqual(scan);
    expect(r.ms).toBeGreaterThan(0);
  });
});
