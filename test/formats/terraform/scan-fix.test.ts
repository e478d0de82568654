/**
 * `fixable` in scan is exactly what fix does, for Terraform modules of random shapes: replicas with
 * and without a provider alias for their region (declared in the table's file, another file, or a
 * file with no table), dynamic replicas, module calls, replica resources, and resource policies
 * granting this or another account; with and without --recreate-replicas. Run on disk: the module's other files are part of the answer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';

const RUNS = Number(process.env.KMSFIX_PROPERTY_RUNS ?? 30);
const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);
const REGIONS = ['eu-west-1', 'ap-southeast-2', 'us-west-2'];
const FILES = ['a.tf', 'b.tf', 'providers.tf'];

type Principal = 'own' | 'role' | 'literal' | 'allowed' | 'var' | 'star' | 'deny-star' | 'unreadable';
interface TableSpec {
  kind: 'table' | 'module' | 'table-replica';
  sse: 'none' | 'off' | 'managed' | 'cmk';
  replicas: string[];
  dynamicReplica: boolean;
  count: boolean;
  file: number;
  policy?: { principal: Principal; file: number; doc: boolean };
}
interface ModuleSpec {
  tables: TableSpec[];
  providers: { region: string; file: number }[];
  /** --recreate-replicas: replicas may get new keys (terraform apply re-creates them). */
  recreate: boolean;
}

const principalArb = fc.constantFrom<Principal>('own', 'role', 'literal', 'allowed', 'var', 'star', 'deny-star', 'unreadable');
/** True once in `n` times. */
const rarely = (n: number) => fc.integer({ min: 1, max: n }).map((x) => x === 1);
const tableArb: fc.Arbitrary<TableSpec> = fc.record({
  kind: fc.constantFrom<TableSpec['kind']>('table', 'table', 'table', 'module', 'table-replica'),
  sse: fc.constantFrom<TableSpec['sse']>('none', 'off', 'managed', 'none', 'cmk'),
  replicas: fc.oneof(fc.constant<string[]>([]), fc.subarray(REGIONS, { maxLength: 2 })),
  dynamicReplica: rarely(8),
  count: rarely(3),
  file: fc.integer({ min: 0, max: 1 }),
  policy: fc.option(fc.record({ principal: principalArb, file: fc.integer({ min: 0, max: 2 }), doc: fc.boolean() }), {
    nil: undefined,
    freq: 2,
  }),
});
const moduleArb: fc.Arbitrary<ModuleSpec> = fc.record({
  tables: fc.array(tableArb, { minLength: 1, maxLength: 4 }),
  providers: fc.uniqueArray(fc.record({ region: fc.constantFrom(...REGIONS), file: fc.integer({ min: 0, max: 2 }) }), {
    selector: (p) => p.region,
    maxLength: 3,
  }),
  recreate: rarely(4).map((x) => !x),
});

const ACCOUNT = '111122223333';

function principalText(p: Principal): string {
  switch (p) {
    case 'own':
      return '"arn:aws:iam::${data.aws_caller_identity.me.account_id}:root"';
    case 'role':
      return 'aws_iam_role.reader.arn';
    case 'literal':
      return '"arn:aws:iam::444455556666:role/reader"';
    case 'allowed':
      return `"arn:aws:iam::${ACCOUNT}:role/reader"`;
    case 'var':
      return 'var.partner_arn';
    default:
      return '"*"';
  }
}

/** The module's files, and what fix must do with each table (by address). */
function render(spec: ModuleSpec): { files: Map<string, string>; expected: Map<string, boolean> } {
  const parts: string[][] = [[], [], []];
  const expected = new Map<string, boolean>();
  parts[2].push('provider "aws" {\n  region              = "us-east-1"\n  allowed_account_ids = ["' + ACCOUNT + '"]\n}\n');
  for (const p of spec.providers)
    parts[p.file].push(`provider "aws" {\n  alias  = "${p.region.replace(/-/g, '_')}"\n  region = "${p.region}"\n}\n`);
  parts[0].push('data "aws_caller_identity" "me" {}\n\nvariable "partner_arn" {\n  type = string\n}\n');
  spec.tables.forEach((t, i) => {
    const label = `t${i}`;
    const count = t.count ? '  count = 2\n\n' : '';
    let address: string;
    let arnRef: string;
    let fixable = t.sse !== 'cmk';
    if (t.kind === 'module') {
      address = `module.${label}`;
      arnRef = `module.${label}.dynamodb_table_arn`;
      const sse =
        t.sse === 'none'
          ? ''
          : t.sse === 'off'
            ? '  server_side_encryption_enabled = false\n'
            : t.sse === 'managed'
              ? '  server_side_encryption_enabled = true\n'
              : '  server_side_encryption_enabled     = true\n  server_side_encryption_kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"\n';
      const replicas = t.replicas.length ? `  replica_regions = [${t.replicas.map((r) => `{ region_name = "${r}" }`).join(', ')}]\n` : '';
      if (t.replicas.length) fixable = false;
      parts[t.file].push(
        `module "${label}" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n  name   = "${label}"\n${sse}${replicas}}\n`,
      );
    } else if (t.kind === 'table-replica') {
      address = `aws_dynamodb_table_replica.${label}`;
      arnRef = `aws_dynamodb_table_replica.${label}.arn`;
      const key = t.sse === 'cmk' ? '  kms_key_arn      = "arn:aws:kms:eu-west-1:111122223333:key/k"\n' : '';
      parts[t.file].push(
        `resource "aws_dynamodb_table_replica" "${label}" {\n  global_table_arn = "arn:aws:dynamodb:us-east-1:111122223333:table/g"\n${key}}\n`,
      );
      // Its table is another stack's, read as encrypted with the AWS managed key: a customer-managed key for the replica
      // alone would fail at apply, --recreate-replicas or not (its key type must match its table's).
      fixable = false;
    } else {
      address = `aws_dynamodb_table.${label}`;
      arnRef = `aws_dynamodb_table.${label}${t.count ? '[0]' : ''}.arn`;
      const sse =
        t.sse === 'none'
          ? ''
          : t.sse === 'off'
            ? '\n  server_side_encryption {\n    enabled = false\n  }\n'
            : t.sse === 'managed'
              ? '\n  server_side_encryption {\n    enabled = true\n  }\n'
              : '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"\n  }\n';
      let replicas = t.replicas.map((r) => `\n  replica {\n    region_name = "${r}"\n  }\n`).join('');
      if (t.dynamicReplica) {
        replicas += '\n  dynamic "replica" {\n    for_each = var.regions\n    content {\n      region_name = replica.value\n    }\n  }\n';
        fixable = false;
      }
      if (t.replicas.some((r) => !spec.providers.some((p) => p.region === r))) fixable = false;
      // New replica keys re-create the replicas: only with --recreate-replicas.
      if (t.replicas.length > 0 && !spec.recreate) fixable = false;
      parts[t.file].push(
        `resource "aws_dynamodb_table" "${label}" {\n${count}  name     = "${label}"\n  hash_key = "id"\n${sse}${replicas}}\n`,
      );
    }
    if (t.policy) {
      const { principal, doc } = t.policy;
      if (!['own', 'role', 'allowed', 'deny-star'].includes(principal)) fixable = false;
      const effect = principal === 'deny-star' ? 'Deny' : 'Allow';
      let policy: string;
      if (principal === 'unreadable') policy = 'file("${path.module}/policy.json")';
      else if (doc) {
        parts[t.policy.file].push(
          `data "aws_iam_policy_document" "p${i}" {\n  statement {\n    effect    = "${effect}"\n    actions   = ["dynamodb:GetItem"]\n    resources = ["*"]\n\n    principals {\n      type        = "AWS"\n      identifiers = [${principalText(principal)}]\n    }\n  }\n}\n`,
        );
        policy = `data.aws_iam_policy_document.p${i}.json`;
      } else {
        policy = `jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "${effect}"\n      Principal = { AWS = ${principalText(principal)} }\n      Action    = "dynamodb:GetItem"\n      Resource  = "*"\n    }]\n  })`;
      }
      parts[t.policy.file].push(
        `resource "aws_dynamodb_resource_policy" "p${i}" {\n  resource_arn = ${arnRef}\n  policy       = ${policy}\n}\n`,
      );
    }
    expected.set(address, fixable);
  });
  parts[0].push('resource "aws_iam_role" "reader" {\n  name               = "reader"\n  assume_role_policy = "{}"\n}\n');
  const files = new Map<string, string>();
  parts.forEach((p, i) => {
    files.set(FILES[i], p.join('\n'));
  });
  return { files, expected };
}

async function scanAndFix(files: Map<string, string>, recreateReplicas: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-agree-'));
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
  const opts = { cwd: dir, workers: 0, keyStrategy: 'per-table' as const, acceptAwsManaged: false, recreateReplicas };
  const scan = await run(['.'], { ...opts, mode: 'scan' });
  const fix = await run(['.'], { ...opts, mode: 'fix' });
  return { scan, fix };
}

describe('terraform: scan says fixable exactly when fix fixes', () => {
  it('a table with a replica whose region has no provider alias: not fixable in scan, with the reason', async () => {
    const text =
      'resource "aws_dynamodb_table" "g" {\n  name     = "g"\n  hash_key = "id"\n\n  replica {\n    region_name = "eu-west-1"\n  }\n}\n';
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan');
    const t = scan.outcomes[0].tables[0];
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('no provider "aws" configuration with an alias for replica region "eu-west-1"');
  });

  it('on random modules: scan fixable == fix fixed == what the module allows', async () => {
    const seen = { fixed: 0, blocked: 0, replicaFixed: 0, replicaKept: 0, policyBlocked: 0, policyFixed: 0 };
    await fc.assert(
      fc.asyncProperty(moduleArb, async (spec) => {
        const { files, expected } = render(spec);
        const { scan, fix } = await scanAndFix(files, spec.recreate);
        expect(scan.outcomes.map((o) => o.error).filter(Boolean)).toEqual([]);
        expect(fix.outcomes.map((o) => o.error).filter(Boolean)).toEqual([]);
        const scanned = new Map(scan.outcomes.flatMap((o) => o.tables).map((t) => [t.address, t.fixable]));
        const fixed = new Map(fix.outcomes.flatMap((o) => o.tables).map((t) => [t.address, !!t.fixed]));
        const fixable = new Map(fix.outcomes.flatMap((o) => o.tables).map((t) => [t.address, t.fixable]));
        expect(scanned).toEqual(expected);
        expect(fixed).toEqual(expected);
        expect(fixable).toEqual(expected);
        spec.tables.forEach((t, i) => {
          const ok = [...expected.values()][i];
          seen[ok ? 'fixed' : 'blocked']++;
          if (ok && t.kind === 'table' && t.replicas.length > 0) seen.replicaFixed++;
          if (!spec.recreate && t.sse !== 'cmk' && t.kind !== 'module' && (t.kind === 'table-replica' || t.replicas.length > 0))
            seen.replicaKept++;
          if (t.policy && t.sse !== 'cmk') seen[ok ? 'policyFixed' : 'policyBlocked']++;
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The runs met every kind of answer.
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
  });
});
