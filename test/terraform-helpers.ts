/** Shared by the Terraform tests: running `terraform fmt -check` on a text. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TERRAFORM = process.env.TERRAFORM ?? 'terraform';
export const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' };

/** Is this HCL text `terraform fmt` clean? (fmt wants a `.tf` file name.) Throws if terraform cannot run. */
export function fmtClean(text: string): { clean: boolean; diff: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-fmt-'));
  writeFileSync(path.join(dir, 'main.tf'), text);
  const r = spawnSync(TERRAFORM, ['fmt', '-check', '-diff', 'main.tf'], { cwd: dir, env: TF_ENV, encoding: 'utf8' });
  if (r.error) throw new Error(`terraform is required for this test and could not be run (${r.error.message}); install it or set TERRAFORM`);
  return { clean: r.status === 0, diff: r.stdout + r.stderr };
}
