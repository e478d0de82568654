/**
 * A generated key is created where its table is (placement.ts): through the table's provider,
 * whatever its local name, and in the Region of hashicorp/aws 6's resource-level `region` argument;
 * or the table is not fixed, with the step. Fixtures region-argument, region-argument-replicas and
 * provider-local-name hold the outputs.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { templateExpr } from '../../../src/formats/terraform/render.js';

const V6 = 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }\n  }\n}\n\n';
const table = (label: string, extra: string) =>
  `resource "aws_dynamodb_table" "${label}" {\n${extra}  name     = "${label}"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
const ARN = (region: string) => `arn:aws:kms:${region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

async function fix(files: MemoryFile[], options: Record<string, unknown> = {}) {
  const r = await processMemory(files, 'fix', options);
  const tables = r.outcomes.flatMap((o) => o.tables);
  return { r, tables, out: (p: string) => r.output.get(p)! };
}

describe("terraform: a key follows its table's region argument (hashicorp/aws 6)", () => {
  it("--kms-key-arn is checked against the table's own literal region, not the provider's", async () => {
    const text = `${V6}provider "aws" {\n  region = "us-east-1"\n}\n\n${table('orders', '  region   = "eu-west-2"\n')}`;
    const other = await fix([{ path: 'main.tf', text }], { kmsKeyArn: ARN('us-east-1') });
    expect(other.tables[0].fixed).toBeFalsy();
    expect(other.r.output.get('main.tf')).toBe(text);
    expect(other.tables[0].message).toContain(
      '--kms-key-arn names a key in us-east-1, and this table is in eu-west-2 (region = "eu-west-2")',
    );
    const same = await fix([{ path: 'main.tf', text }], { kmsKeyArn: ARN('eu-west-2') });
    expect(same.tables[0].fixed).toBe(true);
    expect(same.out('main.tf')).toContain(`kms_key_arn = "${ARN('eu-west-2')}"`);
  });

  it('a replica resource whose region is an expression is not given a --kms-key-arn kmsfix cannot check', async () => {
    const text =
      `${V6}variable "replica_region" {\n  type = string\n}\n\nresource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n\n` +
      `${table('orders', '').replace('  name', '  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.k.arn\n  }\n\n  name')}\n` +
      'resource "aws_dynamodb_table_replica" "orders" {\n  region           = var.replica_region\n  global_table_arn = aws_dynamodb_table.orders.arn\n}\n';
    const r = await fix([{ path: 'main.tf', text }], { kmsKeyArn: ARN('eu-west-2'), recreateReplicas: true });
    const replica = r.tables.find((t) => t.address === 'aws_dynamodb_table_replica.orders')!;
    expect(replica.fixed).toBeFalsy();
    expect(r.r.output.get('main.tf')).toBe(text);
  });

  it('the replica resource is named by its region in the recreation step', async () => {
    const text =
      `${V6}resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n\n` +
      `${table('orders', '').replace('  name', '  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.k.arn\n  }\n\n  name')}\n` +
      'resource "aws_dynamodb_table_replica" "orders" {\n  region           = "us-east-2"\n  global_table_arn = aws_dynamodb_table.orders.arn\n}\n';
    const r = await processMemory([{ path: 'main.tf', text }], 'scan');
    const replica = r.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table_replica.orders')!;
    expect(replica.message).toContain('terraform apply replaces the replica (region us-east-2)');
  });

  it("a table with a region argument and a replica in the provider's Region is fixable: no provider alias is needed", async () => {
    const text = `${V6}provider "aws" {\n  region = "us-west-2"\n}\n\n${table('orders', '  region   = "eu-west-1"\n').replace(
      '  attribute',
      '  replica {\n    region_name = "us-west-2"\n  }\n\n  attribute',
    )}`;
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan', { recreateReplicas: true });
    expect(scan.outcomes[0].tables[0].fixable).toBe(true);
    const r = await fix([{ path: 'main.tf', text }], { recreateReplicas: true });
    expect(r.out('main.tf')).toContain('resource "aws_kms_replica_key" "orders_us_west_2" {\n  region = "us-west-2"\n');
    expect(r.out('main.tf')).toContain('values   = ["dynamodb.us-west-2.amazonaws.com"]');
  });

  it('--key-strategy shared gives each Region its own shared key', async () => {
    const text = `${V6}${table('a', '  region   = "eu-west-2"\n')}\n${table('b', '  region   = "eu-west-2"\n')}\n${table('c', '')}`;
    const r = await fix([{ path: 'main.tf', text }], { keyStrategy: 'shared' });
    const out = r.out('main.tf');
    expect([...out.matchAll(/resource "aws_kms_key" "([\w-]+)"/g)].map((m) => m[1])).toEqual(['dynamodb_eu_west_2', 'dynamodb']);
    expect(out).toContain('resource "aws_kms_key" "dynamodb_eu_west_2" {\n  region = "eu-west-2"\n');
    expect(out.match(/kms_key_arn = aws_kms_key\.dynamodb_eu_west_2\.arn/g)).toHaveLength(2);
    // A later run finds that key for a new table of the Region.
    const again = await fix([{ path: 'main.tf', text: `${out}\n${table('d', '  region   = "eu-west-2"\n')}` }], { keyStrategy: 'shared' });
    const later = again.out('main.tf');
    expect([...later.matchAll(/resource "aws_kms_key" "([\w-]+)"/g)]).toHaveLength(2);
    expect(later).toContain('kms_key_arn = aws_kms_key.dynamodb_eu_west_2.arn\n  }\n}\n');
  });

  it('a later run reuses the key policy an earlier run wrote for the Region', async () => {
    const first = await fix([{ path: 'main.tf', text: `${V6}${table('a', '  region   = "eu-west-2"\n')}` }]);
    const again = await fix([{ path: 'main.tf', text: `${first.out('main.tf')}\n${table('b', '  region   = "eu-west-2"\n')}` }]);
    const out = again.out('main.tf');
    expect(out.match(/data "aws_iam_policy_document"/g)).toHaveLength(1);
    expect(out).toContain('resource "aws_kms_key" "b" {\n  region = "eu-west-2"\n');
    expect(out.match(/policy {18}= data\.aws_iam_policy_document\.dynamodb_kms_eu_west_2\.json/g)).toHaveLength(2);
  });

  it("a .tf.json table's region is given to its key and alias", async () => {
    const text = JSON.stringify(
      { resource: { aws_dynamodb_table: { orders: { region: '${var.region}', name: 'orders', hash_key: 'id' } } } },
      null,
      2,
    );
    const r = await fix([{ path: 'main.tf.json', text }]);
    const doc = JSON.parse(r.out('main.tf.json')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      data: Record<string, Record<string, { statement: { condition?: { variable: string; values: string[] }[] }[] }>>;
    };
    expect(doc.resource.aws_kms_key.orders.region).toBe('${var.region}');
    expect(doc.resource.aws_kms_alias.orders.region).toBe('${var.region}');
    const via = Object.values(doc.data.aws_iam_policy_document)[0]
      .statement.flatMap((s) => s.condition ?? [])
      .find((c) => c.variable === 'kms:ViaService');
    expect(via?.values).toEqual(['dynamodb.${coalesce(var.region, data.aws_region.current.name)}.amazonaws.com']);
  });

  it("an override file that sets the table's region keeps it from being fixed", async () => {
    const files = [
      { path: 'main.tf', text: `${V6}${table('orders', '')}` },
      { path: 'override.tf', text: 'resource "aws_dynamodb_table" "orders" {\n  region = "eu-west-2"\n}\n' },
    ];
    const scan = await processMemory(files, 'scan');
    const t = scan.outcomes.flatMap((o) => o.tables)[0];
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('the override file override.tf:1 sets region of aws_dynamodb_table.orders, which a fix would follow');
  });

  it("an override file's server_side_encryption replaces the table's: read, the table not fixed (real-world round 28: Toyeeb29/cgep-app-starter)", async () => {
    const override = (sse: string) => `resource "aws_dynamodb_table" "orders" {\n  server_side_encryption {\n${sse}  }\n}\n`;
    const status = async (sse: string) => {
      const files = [
        { path: 'main.tf', text: `${V6}${table('orders', '')}` },
        { path: 'dynamodb_override.tf', text: override(sse) },
      ];
      return (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables)[0];
    };
    const cmk = await status('    enabled     = true\n    kms_key_arn = aws_kms_key.phi.arn\n');
    expect([cmk.status, cmk.fixable]).toEqual(['customer-managed', false]);
    expect(cmk.message).toContain('aws_kms_key.phi.arn (the override file dynamodb_override.tf:1)');
    const managed = await status('    enabled = true\n');
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', false]);
    expect(managed.message).toContain('give the table its key there by hand (kmsfix does not write override files)');
  });

  it("a local module's override file: one row per call, with the override's server_side_encryption (real-world round 29)", async () => {
    const files = [
      { path: 'modules/t/main.tf', text: `${V6}${table('t', '')}` },
      {
        path: 'modules/t/main_override.tf',
        text: 'resource "aws_dynamodb_table" "t" {\n  server_side_encryption {\n    enabled = false\n  }\n}\n',
      },
      { path: 'root/main.tf', text: 'module "t" {\n  source = "../modules/t"\n}\n' },
    ];
    const rows = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables);
    const calls = rows.filter((t) => t.address.startsWith('module.'));
    expect(calls.map((t) => [t.address, t.status, t.fixable])).toEqual([['module.t', 'aws-owned', false]]);
    expect(calls[0].message).toContain('the override file ../modules/t/main_override.tf:1 sets server_side_encryption');
    // An override that sets only tags keeps nothing from a fix (adversarial pass).
    files[1].text = 'resource "aws_dynamodb_table" "t" {\n  tags = { team = "data" }\n}\n';
    const tagged = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables).filter((t) => t.address.startsWith('module.'));
    expect(tagged.map((t) => t.address)).toEqual(['module.t']);
    expect(tagged[0].message).not.toContain('override file');
  });

  it('a registry module that takes no region input, called with one, is not fixed', async () => {
    const text =
      'module "orders" {\n  source  = "cloudposse/dynamodb/aws"\n  version = "0.37.0"\n\n  region   = "eu-west-2"\n  name     = "orders"\n  hash_key = "id"\n}\n';
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan');
    const t = scan.outcomes[0].tables[0];
    expect(t.fixable).toBe(false);
    expect(t.message).toContain(
      'the call sets region = "eu-west-2", which kmsfix does not know cloudposse/dynamodb to create its table in',
    );
  });

  it('a call of a local module whose table sets its own region is not fixed', async () => {
    const files = [
      {
        path: 'modules/table/main.tf',
        text:
          'variable "region" {\n  type = string\n}\n\nvariable "kms_key_arn" {\n  type    = string\n  default = null\n}\n\n' +
          'resource "aws_dynamodb_table" "this" {\n  region   = var.region\n  name     = "orders"\n  hash_key = "id"\n\n' +
          '  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.kms_key_arn\n  }\n}\n',
      },
      { path: 'main.tf', text: 'module "orders" {\n  source = "./modules/table"\n  region = "eu-west-2"\n}\n' },
    ];
    const scan = await processMemory(files, 'scan');
    const call = scan.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'module.orders')!;
    expect(call.status).toBe('aws-managed');
    expect(call.fixable).toBe(false);
    expect(call.message).toContain('aws_dynamodb_table.this (modules/table/main.tf:10) sets region = var.region');
  });
});

describe("terraform: a key goes through the table's provider, whatever its local name", () => {
  it('a local name required_providers does not map to hashicorp/aws keeps the table from being fixed', async () => {
    const text =
      'terraform {\n  required_providers {\n    awsalternate = {\n      source = "someone/aws"\n    }\n  }\n}\n\n' +
      table('orders', '  provider = awsalternate\n');
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan');
    const t = scan.outcomes[0].tables[0];
    expect(t.fixable).toBe(false);
    expect(t.message).toContain("this module's required_providers does not map awsalternate to hashicorp/aws");
  });

  it("an instance of OpenTofu's provider for_each (aws.by_region[each.key]) keeps the table from being fixed: lookups outside the loop cannot name it", async () => {
    const text =
      'variable "regions" {\n  type = map(string)\n}\n\nprovider "aws" {\n  alias    = "by_region"\n  for_each = var.regions\n  region   = each.value\n}\n\n' +
      table('sessions', '  for_each = var.regions\n  provider = aws.by_region[each.key]\n');
    const r = await fix([{ path: 'main.tofu', text }]);
    expect([r.tables[0].fixable, r.out('main.tofu')]).toEqual([false, text]);
    expect(r.tables[0].message).toContain('provider aws.by_region[each.key], an instance of a provider configuration with for_each');
  });

  it('the required_providers of another file of the module count', async () => {
    const files = [
      {
        path: 'versions.tf',
        text: 'terraform {\n  required_providers {\n    awsalternate = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n',
      },
      { path: 'main.tf', text: table('orders', '  provider = awsalternate.west\n') },
    ];
    const r = await fix(files);
    expect(r.tables.find((t) => t.address === 'aws_dynamodb_table.orders')?.fixed).toBe(true);
    expect(r.out('main.tf')).toContain('resource "aws_kms_key" "orders" {\n  provider = awsalternate.west\n');
    expect(r.out('main.tf')).toContain('data "aws_region" "awsalternate_west" {\n  provider = awsalternate.west\n}');
  });
});

describe('the key policy template', () => {
  it('writes a literal Region into the text, and interpolates an expression', () => {
    const exprs = { account: 'data.aws_caller_identity.current.account_id', partition: 'p', region: '"eu-west-2"' };
    expect(templateExpr('dynamodb.{region}.amazonaws.com', exprs)).toBe('"dynamodb.eu-west-2.amazonaws.com"');
    expect(templateExpr('dynamodb.{region}.amazonaws.com', { ...exprs, region: 'var.region' })).toBe(
      '"dynamodb.${var.region}.amazonaws.com"',
    );
    expect(templateExpr('dynamodb.{region}.amazonaws.com', { ...exprs, region: '"${var.r}"' })).toBe(
      '"dynamodb.${"${var.r}"}.amazonaws.com"',
    );
  });
});

describe('a replica region no provider alias serves, in a module that requires hashicorp/aws 6', () => {
  const main = `provider "aws" {\n  region = "us-east-1"\n}\n\n${table('orders', '').replace('  attribute', '  replica {\n    region_name = "us-west-2"\n  }\n\n  attribute')}`;
  const versions = (constraint: string) =>
    `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${constraint}"\n    }\n  }\n}\n`;

  it("its key is created with the key's own region argument (required_providers in another file of the module)", async () => {
    const r = await fix(
      [
        { path: 'main.tf', text: main },
        { path: 'versions.tf', text: versions('>= 6.0') },
      ],
      { recreateReplicas: true },
    );
    expect(r.tables[0].fixed).toBe(true);
    expect(r.out('main.tf')).toContain('resource "aws_kms_replica_key" "orders_us_west_2" {\n  region = "us-west-2"\n');
    expect(r.out('main.tf')).toContain('    kms_key_arn = aws_kms_replica_key.orders_us_west_2.arn\n');
  });

  it('before 6 (no region argument): a provider alias is still asked for', async () => {
    const r = await fix(
      [
        { path: 'main.tf', text: main },
        { path: 'versions.tf', text: versions('~> 5.0') },
      ],
      { recreateReplicas: true },
    );
    expect(r.tables[0].fixed).toBeFalsy();
    expect(r.tables[0].message).toContain('no provider "aws" configuration with an alias for replica region "us-west-2"');
  });
});

it("a region argument that may be null (region = var.region, default null): the key policy falls back to the provider's Region", async () => {
  const text = `${V6}provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "region" {\n  type    = string\n  default = null\n}\n\n${table('t', '  region   = var.region\n')}`;
  const r = await fix([{ path: 'main.tf', text }]);
  expect(r.tables[0].fixed).toBe(true);
  // A template cannot interpolate null (terraform plan: "Invalid template interpolation value").
  expect(r.out('main.tf')).toContain('values   = ["dynamodb.${coalesce(var.region, data.aws_region.current.region)}.amazonaws.com"]');
  expect(r.out('main.tf')).toContain('data "aws_region" "current" {}');
});
