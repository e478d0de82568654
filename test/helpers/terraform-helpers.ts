/** Shared by the Terraform tests: running `terraform fmt -check` on a text. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TERRAFORM = process.env.TERRAFORM ?? 'terraform';
export const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' };

/** Is this HCL text `terraform fmt` clean? (fmt wants a `.tf` file name.) Throws if terraform cannot run. */
export function fmtClean(text: string): { clean: boolean; diff: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-fmt-'));
  writeFileSync(path.join(dir, 'main.tf'), text);
  const r = spawnSync(TERRAFORM, ['fmt', '-check', '-diff', 'main.tf'], { cwd: dir, env: TF_ENV, encoding: 'utf8' });
  if (r.error)
    throw new Error(`terraform is required for this test and could not be run (${r.error.message}); install it or set TERRAFORM`);
  return { clean: r.status === 0, diff: r.stdout + r.stderr };
}

/**
 * References in a module's .tf files to resources and data sources that no file of the module
 * declares (`aws_kms_key.x`, `data.aws_partition.y`): what a half-written or misplanned module shows.
 */
export function undeclaredReferences(dir: string): string[] {
  const texts = readdirSync(dir)
    .filter((n) => n.endsWith('.tf') && !n.startsWith('.kmsfix-tmp-'))
    .map((n) => readFileSync(path.join(dir, n), 'utf8'));
  const declared = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/^\s*resource\s+"([\w-]+)"\s+"([\w-]+)"/gm)) declared.add(`${m[1]}.${m[2]}`);
    for (const m of t.matchAll(/^\s*data\s+"([\w-]+)"\s+"([\w-]+)"/gm)) declared.add(`data.${m[1]}.${m[2]}`);
  }
  const missing = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/\b(data\.aws_[a-z0-9_]+\.[\w-]+|aws_[a-z0-9_]+\.[\w-]+)(?=[.[\s,)}\]]|$)/gm)) {
      if (!m[1].startsWith('data.') && t[m.index! - 1] === '.') continue; // data.aws_x.y seen as aws_x.y
      if (!declared.has(m[1])) missing.add(m[1]);
    }
  }
  return [...missing].sort();
}
