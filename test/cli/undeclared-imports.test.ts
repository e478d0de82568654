/**
 * An AWS CDK v1 fix imports @aws-cdk/aws-kms (the key) and @aws-cdk/aws-iam (its policy), which a
 * project often does not declare (npm installs them as @aws-cdk/aws-dynamodb's dependencies; pnpm and
 * Yarn PnP do not). What the project's package.json lacks is a caution (`Undeclared imports:`): in
 * scan's message and JSON, a `note:` of the fix, and the commit message (cdk-patterns/serverless: 12
 * fixed stacks, none declaring @aws-cdk/aws-kms, said only in a commit message before).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli, scanJson } from '../helpers/cli-helper.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function project(deps: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-v1-deps-'));
  copyFileSync(path.join(FIXTURES, 'typescript', 'cdk-v1-named', 'input.ts'), path.join(dir, 'stack.ts'));
  const all = { '@aws-cdk/core': '^1.204.0', '@aws-cdk/aws-dynamodb': '^1.204.0', ...deps };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: all }, null, 2));
  return dir;
}

const notes = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('note: ') && l.includes('Undeclared imports'));

describe('undeclared imports of a CDK v1 fix', () => {
  it('neither declared: a note of the dry run names both, and scan says it in the JSON cautions', async () => {
    const dir = project({});
    const fix = await runCli(['fix', '--dry-run', '.'], dir);
    expect(notes(fix.stderr).length).toBeGreaterThan(0);
    expect(notes(fix.stderr)[0]).toContain(
      "Undeclared imports: the fix imports @aws-cdk/aws-kms and @aws-cdk/aws-iam, which the project's package.json does not declare: declare them there at the version of @aws-cdk/aws-dynamodb",
    );
    const scan = await scanJson(dir, ['.']);
    expect(scan.tables.every((t: { cautions?: string[] }) => t.cautions?.some((c) => c.startsWith('Undeclared imports:')))).toBe(true);
  });

  it('both declared: nothing said; only the key policy missing: only @aws-cdk/aws-iam, and nothing with --kms-key-arn', async () => {
    expect(
      notes((await runCli(['fix', '--dry-run', '.'], project({ '@aws-cdk/aws-kms': '^1.204.0', '@aws-cdk/aws-iam': '^1.204.0' }))).stderr),
    ).toEqual([]);
    const kmsOnly = project({ '@aws-cdk/aws-kms': '^1.204.0' });
    const some = notes((await runCli(['fix', '--dry-run', '.'], kmsOnly)).stderr);
    expect(some.length).toBeGreaterThan(0);
    expect(some[0]).toContain('the fix imports @aws-cdk/aws-iam, which');
    expect(notes((await runCli(['fix', '--dry-run', '--kms-key-arn', ARN, '.'], kmsOnly)).stderr)).toEqual([]);
  });
});
