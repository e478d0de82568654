/**
 * A new key for a replica is a replica deleted and created again: the AWS provider changes a
 * `replica` block's kms_key_arn only so ("like ForceNew for the replica"), and kms_key_arn forces a
 * new `aws_dynamodb_table_replica`. Such tables are fixed only with --recreate-replicas, which the
 * report, the notes and the commit message then spell out; without it they are left as they are,
 * with the consequence and the flag named.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { commitMessage, commitText } from '../../../src/report/commitMessage.js';

const PROVIDERS =
  'provider "aws" {\n  alias  = "ohio"\n  region = "us-east-2"\n}\n\nprovider "aws" {\n  alias  = "oregon"\n  region = "us-west-2"\n}\n';
const table = (name: string, body = '') =>
  `resource "aws_dynamodb_table" "${name}" {\n  name             = "${name}"\n  hash_key         = "id"\n  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n${body}}\n`;
const replica = (region: string, key = '') => `\n  replica {\n    region_name = "${region}"\n${key}  }\n`;
const GLOBAL = table('orders', replica('us-east-2') + replica('us-west-2'));
const REPLICA_RESOURCE =
  'resource "aws_dynamodb_table_replica" "orders_ohio" {\n  provider         = aws.ohio\n  global_table_arn = aws_dynamodb_table.events.arn\n}\n';
const LOCAL = table('local');

async function fix(text: string, recreateReplicas?: boolean) {
  const r = await processMemory([{ path: 'main.tf', text }], 'fix', recreateReplicas ? { recreateReplicas } : {});
  expect(r.outcomes[0].error).toBeUndefined();
  return { r, tables: new Map(r.outcomes[0].tables.map((t) => [t.address, t])), out: r.output.get('main.tf') ?? text };
}

describe('terraform: a fix that would re-create replicas', () => {
  it('is not made without --recreate-replicas: the table is left byte for byte, its blocker says what apply would do and names the flag', async () => {
    const text = `${PROVIDERS}\n${GLOBAL}\n${LOCAL}`;
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan');
    const scanned = scan.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table.orders')!;
    expect(scanned.fixable).toBe(false);
    const { tables, out } = await fix(text);
    const orders = tables.get('aws_dynamodb_table.orders')!;
    expect(orders.fixable).toBe(false);
    expect(orders.fixed).toBeUndefined();
    expect(orders.blocker).toBe(scanned.blocker);
    expect(orders.blocker).toBe(
      "with a new key, terraform apply deletes and re-creates the replicas in us-east-2 and us-west-2 (the AWS provider changes a replica's key no other way). " +
        'They are out of service until DynamoDB has copied the table into them again (hours for a large table), and their streams get new ARNs. ' +
        'Run fix with --recreate-replicas to accept that, and deploy when those Regions can do without their replicas (then re-point stream consumers)',
    );
    expect(out).toContain(GLOBAL);
    expect(out).not.toContain('aws_kms_replica_key');
    // The other tables of the file are fixed as ever.
    expect(tables.get('aws_dynamodb_table.local')!.fixed).toBe(true);
  });

  it('is made with --recreate-replicas, and the table says so (the note a fix prints)', async () => {
    const { tables, out } = await fix(`${PROVIDERS}\n${GLOBAL}`, true);
    const orders = tables.get('aws_dynamodb_table.orders')!;
    expect(orders.fixed).toBe(true);
    expect(orders.blocker).toBeUndefined();
    expect(orders.message).toMatch(
      /\. Fixed with --recreate-replicas: terraform apply deletes and re-creates the replicas in us-east-2 and us-west-2 \(.*\)\. They are out of service until/,
    );
    expect(out).toContain('kms_key_arn = aws_kms_replica_key.orders_ohio.arn');
    expect(out).toContain('kms_key_arn = aws_kms_replica_key.orders_oregon.arn');
  });

  it('a replica resource: replaced, so fixed only with the flag; its provider is named', async () => {
    const text = `${PROVIDERS}\n${table('events', '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.events.arn\n  }\n\n  lifecycle {\n    ignore_changes = [replica]\n  }\n')}\nresource "aws_kms_key" "events" {\n  enable_key_rotation = true\n}\n\n${REPLICA_RESOURCE}`;
    const without = await fix(text);
    const kept = without.tables.get('aws_dynamodb_table_replica.orders_ohio')!;
    expect(kept.fixable).toBe(false);
    expect(kept.blocker).toMatch(
      /^with a new key, terraform apply replaces the replica \(provider aws\.ohio\): its kms_key_arn forces a new resource\. It is out of service/,
    );
    expect(kept.blocker).toContain('deploy when that Region can do without its replica');
    expect(without.out).toBe(text);
    const withFlag = await fix(text, true);
    expect(withFlag.tables.get('aws_dynamodb_table_replica.orders_ohio')!.fixed).toBe(true);
    expect(withFlag.out).toMatch(
      /resource "aws_dynamodb_table_replica" "orders_ohio" \{\n {2}provider {9}= aws\.ohio\n {2}global_table_arn = aws_dynamodb_table\.events\.arn\n {2}kms_key_arn {6}= aws_kms_key\.orders_ohio_replica\.arn\n\}/,
    );
  });

  it("a replica resource of another stack's table (global_table_arn built from variables): declined, flag or not; scan does not advise the flag", async () => {
    // /tmp/rw33 real-world round: the table, read as encrypted with the AWS managed key, would refuse a
    // customer-managed key for the replica ("All replica keys must either be Customer Managed CMK or AWS Managed CMK").
    const arn = '"arn:aws:dynamodb:${var.primary_region}:${data.aws_caller_identity.current.account_id}:table/${each.key}"';
    const text =
      `${PROVIDERS}\nvariable "primary_region" {\n  default = "us-east-1"\n}\n\ndata "aws_caller_identity" "current" {}\n\n` +
      `resource "aws_dynamodb_table_replica" "this" {\n  for_each = toset(["orders", "customers"])\n  provider = aws.ohio\n\n  global_table_arn = ${arn}\n}\n`;
    const step =
      "is not declared in this module, and a replica's key must be of its table's kind " +
      '(DynamoDB: "All replica keys must either be Customer Managed CMK or AWS Managed CMK"): a customer-managed key for this ' +
      'replica alone would fail at deploy, with --recreate-replicas too. Give that table a customer-managed key first, where it is ' +
      "declared (its own stack), with a key of this replica's Region for this replica (DynamoDB changes a global table's " +
      "encryption for every replica at once), then set this replica's kms_key_arn to that key, by hand";
    const scan = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    expect([scan.status, scan.fixable]).toEqual(['aws-managed', false]);
    expect(scan.blocker).toBe(`its table (\`"arn:aws:dynamodb:\${var.primary_region}:\${data.aws_caller...\`) ${step}`);
    expect(scan.message).not.toContain('Run fix with --recreate-replicas');
    for (const flag of [false, true]) {
      const { tables, out } = await fix(text, flag);
      const t = tables.get('aws_dynamodb_table_replica.this')!;
      expect(t.fixed).toBeUndefined();
      expect(t.blocker).toBe(scan.blocker);
      expect(out).toBe(text);
    }
    // global_table_arn = var.x, or a module output kmsfix does not read: the same.
    const byVariable = REPLICA_RESOURCE.replace('aws_dynamodb_table.events.arn', 'var.table_arn');
    expect((await fix(`${PROVIDERS}\n${byVariable}`, true)).tables.get('aws_dynamodb_table_replica.orders_ohio')!.blocker).toBe(
      `its table (\`var.table_arn\`) ${step}`,
    );
    const byOutput = REPLICA_RESOURCE.replace('aws_dynamodb_table.events.arn', 'module.tables.arn');
    expect((await fix(`${PROVIDERS}\n${byOutput}`, true)).tables.get('aws_dynamodb_table_replica.orders_ohio')!.blocker).toBe(
      `its table (\`module.tables.arn\`) ${step.replace('is not declared in', 'is not one kmsfix reads in')}`,
    );
  });

  it('replicas that keep their customer-managed keys are not re-created: the table is fixed without the flag', async () => {
    const keyed = (alias: string) => `    kms_key_arn = "arn:aws:kms:${alias}:111122223333:key/k"\n`;
    const text = `${PROVIDERS}\n${table('orders', replica('us-east-2', keyed('us-east-2')) + replica('us-west-2', keyed('us-west-2')))}`;
    const { tables, out } = await fix(text);
    const orders = tables.get('aws_dynamodb_table.orders')!;
    expect(orders.fixed).toBe(true);
    expect(orders.message).not.toContain('--recreate-replicas');
    expect(out).toContain('  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.orders.arn\n  }\n');
    expect(out).not.toContain('aws_kms_replica_key');
  });

  it('a missing provider alias is still the first step named, flag or not', async () => {
    for (const flag of [false, true]) {
      const { tables } = await fix(GLOBAL, flag);
      expect(tables.get('aws_dynamodb_table.orders')!.blocker).toMatch(
        /^no provider "aws" configuration with an alias for replica region "us-east-2"/,
      );
    }
  });

  it('the commit message does not promise no downtime: it names the tables whose replicas apply re-creates, and how their replicas are rolled back', async () => {
    const { r } = await fix(`${PROVIDERS}\n${GLOBAL}\n${LOCAL}`, true);
    const text = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
    // Lines are wrapped at 72 columns: read as one line.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      '* aws_dynamodb_table.orders (main.tf:11), was aws-owned key: a new customer-managed KMS key of its own (rotation on, alias alias/dynamodb/<table name>) ' +
        "deploy: terraform apply deletes and re-creates the replicas in us-east-2 and us-west-2 (the AWS provider changes a replica's key no other way).",
    );
    expect(flat).not.toContain('No downtime');
    expect(flat).toContain(
      '* Replicas re-created (--recreate-replicas): to give the replicas of aws_dynamodb_table.orders their keys, terraform apply deletes and re-creates them.',
    );
    expect(flat).toContain('The other tables switch keys in place, with no downtime.');
    expect(flat).toContain('* Roll back in two deploys; reverting this commit alone is not a roll back:');
    expect(flat).toContain(
      'A replica that --recreate-replicas gave a key keeps it until it is re-created without one (remove its replica, apply, add it back, apply): do that before step 2.',
    );
    // A fix without replicas keeps the usual note.
    const plain = await fix(LOCAL);
    expect(commitText(commitMessage(plain.r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ')).toContain(
      '* No downtime (for a table with no replicas made outside the code): DynamoDB switches',
    );
  });

  it('a replica resource whose global table is in another file of the module: fixed only when that table is customer-managed (on disk)', async () => {
    const replicaFile = `${PROVIDERS}\n${REPLICA_RESOURCE.replace('aws_dynamodb_table.events', 'aws_dynamodb_table.orders')}`;
    const cmk = '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"\n  }\n';
    for (const [tableBody, fixable] of [
      ['', false],
      [cmk, true],
    ] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-global-'));
      writeFileSync(path.join(dir, 'tables.tf'), table('orders', tableBody));
      writeFileSync(path.join(dir, 'replicas.tf'), replicaFile);
      const opts = { cwd: dir, workers: 0, keyStrategy: 'per-table' as const, acceptAwsManaged: false, recreateReplicas: true };
      const r = await run(['.'], { ...opts, mode: 'scan' });
      const replica = r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table_replica.orders_ohio')!;
      expect(replica.fixable, tableBody ? 'table customer-managed' : 'table aws-owned').toBe(fixable);
      if (!fixable)
        expect(replica.message).toContain('its global table aws_dynamodb_table.orders is not encrypted with a customer-managed key');
    }
  });
});
