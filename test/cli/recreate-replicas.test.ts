/**
 * --recreate-replicas from the command line: scan refuses it (an option of fix); a fix without it
 * leaves a Terraform table whose replicas need new keys as it is, and with it writes the fixture's
 * output and says, per table, what terraform apply will do to the replicas (a note on stderr,
 * `notes` in JSON). The rule and the commit message: test/formats/terraform/replica-recreation.test.ts.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scanJson } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

const CASE = path.join(FIXTURES, 'terraform/replica-providers');

function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-replicas-'));
  cpSync(path.join(CASE, 'input.tf'), path.join(dir, 'main.tf'));
  return dir;
}

const EFFECT =
  "main.tf:15 aws_dynamodb_table.global: terraform apply deletes and re-creates the replicas in us-east-2 and us-west-2 (the AWS provider changes a replica's key no other way)";

describe('--recreate-replicas', () => {
  it('scan refuses it (an option of fix), and reports the table not fixable, naming the flag', async () => {
    const dir = tree();
    const refused = await runCli(['scan', '--recreate-replicas'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--recreate-replicas is an option of fix');
    const out = (await scanJson(dir)) as {
      tables: { address: string; fixable: boolean; message: string }[];
    };
    expect(out.tables.map((t) => [t.address, t.fixable])).toEqual([['aws_dynamodb_table.global', false]]);
    expect(out.tables[0].message).toContain(
      'Not fixable automatically: with a new key, terraform apply deletes and re-creates the replicas',
    );
    expect(out.tables[0].message).toContain('Run fix with --recreate-replicas to accept that');
  });

  it('fix without it changes nothing; with it, writes the fixture output and notes what apply does to the replicas', async () => {
    const dir = tree();
    const before = readFileSync(path.join(dir, 'main.tf'), 'utf8');
    await runCli(['fix', '--yes', '-q'], dir);
    expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe(before);
    const json = await runCli(['fix', '--dry-run', '--format', 'json', '--recreate-replicas'], dir);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toEqual([expect.stringContaining(EFFECT)]);
    const r = await runCli(['fix', '--yes', '-q', '--recreate-replicas'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: ${EFFECT}. They are out of service until DynamoDB has copied the table into them again`);
    expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe(readFileSync(path.join(CASE, 'expected.tf'), 'utf8'));
  });

  it('recreate_replicas: true in .kmsfix.yml does the same for fix, and scan ignores it', async () => {
    const dir = tree();
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.kmsfix.yml'), 'recreate_replicas: true\n');
    expect((await runCli(['scan', '-q'], dir)).code).toBe(1);
    // --force: the folder is no git work tree (.git is empty), only where the file is looked for.
    const r = await runCli(['fix', '--yes', '-q', '--force'], dir);
    expect(r.stderr).toContain(`note: ${EFFECT}`);
    expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe(readFileSync(path.join(CASE, 'expected.tf'), 'utf8'));
  });

  it("declines what would fail at apply, flag or not: a replica of another stack's table, a module pinned below hashicorp/aws 4.52.0", async () => {
    // The two repros of real-world round 33: each file is left as it is, and scan advises no flag.
    const external =
      'provider "aws" {\n  alias  = "secondary"\n  region = "us-west-2"\n}\n\nvariable "primary_region" {\n  default = "us-east-1"\n}\n\n' +
      'data "aws_caller_identity" "current" {}\n\nresource "aws_dynamodb_table_replica" "this" {\n  for_each = toset(["orders", "customers"])\n' +
      '  provider = aws.secondary\n\n  global_table_arn = "arn:aws:dynamodb:${var.primary_region}:${data.aws_caller_identity.current.account_id}:table/${each.key}"\n}\n';
    const old =
      'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 3.40.0"\n    }\n  }\n}\n\n' +
      'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "secondary"\n  region = "us-west-2"\n}\n\n' +
      'resource "aws_dynamodb_table" "vault" {\n  name     = "vault"\n  hash_key = "Path"\n\n  server_side_encryption {\n    enabled = true\n  }\n\n' +
      '  attribute {\n    name = "Path"\n    type = "S"\n  }\n\n  replica {\n    region_name = "us-west-2"\n  }\n}\n';
    for (const [text, step] of [
      [external, "a replica's key must be of its table's kind"],
      [
        old,
        'the module pins hashicorp/aws with required_providers aws version = "~> 3.40.0", and a fix of its replicas needs 4.52.0 or later',
      ],
    ]) {
      const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-replicas-'));
      writeFileSync(path.join(dir, 'main.tf'), text);
      const scan = (await scanJson(dir)) as {
        tables: { fixable: boolean; message: string }[];
      };
      expect(scan.tables.map((t) => t.fixable)).toEqual([false]);
      expect(scan.tables[0].message).toContain(step);
      expect(scan.tables[0].message).not.toContain('Run fix with --recreate-replicas');
      const r = await runCli(['fix', '--yes', '--recreate-replicas'], dir);
      expect(r.stdout + r.stderr).toContain('0 fixed in 0 files, nothing written');
      expect(r.stdout + r.stderr).toContain(step);
      expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe(text);
    }
  });
});
