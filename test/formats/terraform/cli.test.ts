/** The Terraform family end to end through the built CLI (run `npm run build` first). */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';
import { fmtClean } from '../../helpers/terraform-helpers.js';

const MODULE = path.join(FIXTURES, 'terraform', 'module-dir', 'input');

function tempModule(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-'));
  cpSync(MODULE, path.join(dir, 'infra'), { recursive: true });
  // A module under .terraform/ is never touched.
  cpSync(MODULE, path.join(dir, 'infra', '.terraform', 'modules', 'copy'), { recursive: true });
  return dir;
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else if (!e.name.endsWith('.diff')) out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('kmsfix on a Terraform module', () => {
  it('fix --yes writes the module, then scan exits 0; .terraform/ is untouched', async () => {
    const dir = tempModule();
    const before = snapshot(dir);
    const scan0 = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(scan0.code, scan0.stderr).toBe(1);
    const s0 = JSON.parse(scan0.stdout);
    expect(s0.tables.map((t: { address: string; status: string }) => `${t.address}=${t.status}`).sort()).toEqual([
      'aws_dynamodb_table.orders=aws-owned',
      'aws_dynamodb_table.users=aws-managed',
    ]);

    const fix = await runCli(['fix', '--yes', '.'], dir);
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    const after = snapshot(dir);
    const expectedDir = path.join(FIXTURES, 'terraform', 'module-dir', 'expected');
    for (const name of readdirSync(expectedDir)) {
      expect(after.get(path.join('infra', name)), name).toBe(readFileSync(path.join(expectedDir, name), 'utf8'));
    }
    for (const [p, text] of before) if (p.includes('.terraform')) expect(after.get(p), p).toBe(text);
    for (const [p, text] of after) if (p.endsWith('.tf') && !p.includes('.terraform')) expect(fmtClean(text).diff, p).toBe('');

    const scan1 = await runCli(['scan', '.'], dir);
    expect(scan1.code, scan1.stdout + scan1.stderr).toBe(0);
  });

  it('fix --patch writes a diff that git apply turns into the same bytes, touching no source file', async () => {
    const a = tempModule();
    const b = tempModule();
    await runCli(['fix', '--yes', '.'], a);
    execFileSync('git', ['init', '-q', '.'], { cwd: b });
    const before = snapshot(b);
    const r = await runCli(['fix', '--patch', 'p.diff', '.'], b);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(snapshot(b)).toEqual(before);
    execFileSync('git', ['apply', 'p.diff'], { cwd: b });
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('a file that does not parse: exit 2 with file, line and column; the rest of the module is not written (its declarations are unknown)', async () => {
    const dir = tempModule();
    const before = snapshot(dir);
    const bad = 'resource "aws_dynamodb_table" "broken" {\n  name = "x\\qy"\n}\n';
    writeFileSync(path.join(dir, 'infra', 'broken.tf'), bad);
    const r = await runCli(['fix', '--yes', '--format', 'json', '.'], dir);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    const broken = out.errors.find((e: { file: string }) => e.file === 'infra/broken.tf');
    expect(broken).toEqual(expect.objectContaining({ line: 2, column: 12 }));
    expect(broken.message).toContain('invalid escape sequence');
    for (const f of ['infra/main.tf', 'infra/users.tf']) {
      expect(out.errors.find((e: { file: string }) => e.file === f)?.message).toMatch(
        /^fix not written: infra\/broken\.tf, a file of the same group, could not be read \(HCL: invalid escape sequence/,
      );
    }
    expect(readFileSync(path.join(dir, 'infra', 'broken.tf'), 'utf8')).toBe(bad);
    before.set('infra/broken.tf', bad);
    expect(snapshot(dir)).toEqual(before);
  });
});
