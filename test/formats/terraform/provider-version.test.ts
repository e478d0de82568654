/**
 * A module pinned to a hashicorp/aws version without `kms_key_arn` in `server_side_encryption`, or to
 * Terraform 0.11, cannot take what a fix writes (terraform plan would fail): its tables are reported
 * and not fixed, scan and fix alike, with the upgrade to make first (src/formats/terraform/versionObstacles.ts
 * olderProvider; a Terraform 0.11 root of justincasali/solace pins `version = "~> 1.60"`).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = `resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

async function table(files: Record<string, string>) {
  const all = [{ path: 'main.tf', text: TABLE }, ...Object.entries(files).map(([path, text]) => ({ path, text }))];
  const [scan, fix] = await Promise.all([processMemory(all, 'scan'), processMemory(all, 'fix')]);
  const of = (r: typeof scan) => r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table.t')!;
  expect(of(fix).fixed === true).toBe(of(scan).fixable);
  return { fixable: of(scan).fixable, blocker: of(scan).blocker ?? '' };
}

describe('a module pinned to a provider or Terraform version a fix cannot use', () => {
  it('the legacy version of a provider "aws" block (Terraform 0.11 code)', async () => {
    const t = await table({ 'providers.tf': 'provider "aws" {\n  version = "~> 1.60"\n  region  = "${var.region}"\n}\n' });
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('the module pins hashicorp/aws with provider "aws" version = "~> 1.60", a version without kms_key_arn');
    expect(t.blocker).toContain('upgrade the provider to 2.49.0 or later, then run kmsfix again');
  });

  it('a required_providers constraint, in either form, and the lock file', async () => {
    const legacy = await table({ 'versions.tf': 'terraform {\n  required_providers {\n    aws = "<= 2.40"\n  }\n}\n' });
    expect(legacy.blocker).toContain('required_providers aws version = "<= 2.40"');
    const object = await table({
      'versions.tf':
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "2.30.0"\n    }\n  }\n}\n',
    });
    expect(object.blocker).toContain('required_providers aws version = "2.30.0"');
    const lock = await table({
      '.terraform.lock.hcl': 'provider "registry.terraform.io/hashicorp/aws" {\n  version     = "2.30.0"\n  constraints = ">= 2.0.0"\n}\n',
    });
    expect(lock.blocker).toContain('.terraform.lock.hcl (version 2.30.0)');
  });

  it('Terraform 0.11 in required_version', async () => {
    const t = await table({ 'versions.tf': 'terraform {\n  required_version = "~> 0.11.0"\n}\n' });
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('the module requires Terraform 0.11 (required_version = "~> 0.11.0")');
  });

  it('versions that have kms_key_arn, or no pin, change nothing', async () => {
    for (const files of <Record<string, string>[]>[
      {},
      { 'providers.tf': 'provider "aws" {\n  version = "~> 2.0"\n}\n' },
      { 'versions.tf': 'terraform {\n  required_version = ">= 0.12"\n  required_providers {\n    aws = ">= 2.49"\n  }\n}\n' },
      { '.terraform.lock.hcl': 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n}\n' },
      // Another provider's pin is not hashicorp/aws's.
      { 'versions.tf': 'terraform {\n  required_providers {\n    random = "~> 1.0"\n  }\n}\n' },
    ])
      expect(await table(files)).toEqual({ fixable: true, blocker: '' });
  });
  it('Terraform 0.11 code that pins nothing, told by a block tags { } (ONSdigital/eq-terraform-dynamodb)', async () => {
    const old = TABLE.replace('  hash_key     = "id"\n', '  hash_key     = "id"\n\n  tags {\n    Name = "t"\n  }\n');
    const all = [{ path: 'main.tf', text: old }];
    const [scan, fix] = await Promise.all([processMemory(all, 'scan'), processMemory(all, 'fix')]);
    const [t] = scan.outcomes[0].tables;
    expect([t.fixable, fix.outcomes[0].tables[0].fixed ?? false]).toEqual([false, false]);
    expect(t.blocker).toContain('written for Terraform 0.11 (aws_dynamodb_table.t has a block tags { } at line 6');
    // The 0.12 map, and a non-AWS resource's block of that name, say nothing of the version.
    const now = TABLE.replace('  hash_key     = "id"\n', '  hash_key     = "id"\n  tags = {\n    Name = "t"\n  }\n');
    expect((await processMemory([{ path: 'main.tf', text: now }], 'scan')).outcomes[0].tables[0].fixable).toBe(true);
    const other = `${TABLE}\nresource "other_thing" "x" {\n  tags {\n    a = 1\n  }\n}\n`;
    expect((await processMemory([{ path: 'main.tf', text: other }], 'scan')).outcomes[0].tables[0].fixable).toBe(true);
  });

  it('told by a block tags { } on another AWS resource, of the table file or another (shridharMe/terraform-modules)', async () => {
    const bucket =
      'resource "aws_s3_bucket" "state" {\n  bucket = "state"\n  region = "${var.region}"\n\n  tags {\n    Name = "state"\n  }\n}\n';
    const sibling = await table({ 'state.tf': bucket });
    expect(sibling.fixable).toBe(false);
    expect(sibling.blocker).toContain('written for Terraform 0.11 (aws_s3_bucket.state in state.tf has a block tags { }');
    const same = (await processMemory([{ path: 'main.tf', text: `${TABLE}\n${bucket}` }], 'scan')).outcomes[0].tables[0];
    expect([same.fixable, same.blocker]).toEqual([false, expect.stringContaining('aws_s3_bucket.state in main.tf has a block tags { }')]);
    // The 0.12 map on the bucket, and the block on a resource of another provider: nothing of the version.
    expect((await table({ 'state.tf': bucket.replace('  tags {', '  tags = {') })).fixable).toBe(true);
    expect((await table({ 'state.tf': bucket.replace('aws_s3_bucket', 'google_storage_bucket') })).fixable).toBe(true);
    // A block tags { } commented out says nothing of the version.
    expect((await table({ 'state.tf': `/*\n${bucket}*/\n` })).fixable).toBe(true);
    expect(
      (await table({ 'state.tf': bucket.replace('  tags {\n    Name = "state"\n  }\n', '  # tags {\n  #   Name = "state"\n  # }\n') }))
        .fixable,
    ).toBe(true);
  });

  it('Terraform 0.11 code pinned ~> 0.11 (which 0.12 would satisfy), told by what 0.12 rejects (hyprnz/terraform-aws-dynamodb)', async () => {
    const scan = async (text: string) => (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    const pin = 'terraform {\n  required_version = "~> 0.11"\n\n  required_providers = {\n    aws = ">= 2.6.0"\n  }\n}\n\n';
    const providers = await scan(pin + TABLE);
    expect([providers.fixable, providers.blocker]).toEqual([
      false,
      expect.stringContaining('its terraform block sets required_providers = { ... } at line 4'),
    ]);
    const listed = await scan(
      TABLE.replace('  hash_key     = "id"\n', '  hash_key     = "id"\n\n  attribute = [{\n    name = "id"\n    type = "S"\n  }]\n'),
    );
    expect(listed.blocker).toContain('aws_dynamodb_table.t assigns its attribute blocks as an argument at line 6');
    // The 0.12 block, and blocks written as blocks: nothing of the version.
    expect((await scan(pin.replace('required_providers = {', 'required_providers {') + TABLE)).fixable).toBe(true);
  });
});

/**
 * A fix that gives `replica` blocks their keys writes `multi_region = true` and `aws_kms_replica_key`
 * (hashicorp/aws 3.64.0) and changes `replica.*.kms_key_arn`, which before 4.52.0 failed at apply
 * (hashicorp/terraform-provider-aws#29102). A module pinned below 4.52.0, as the 2.49.0 pins are read
 * (a constraint all of whose versions are older, a legacy provider version, the lock file), keeps such a
 * table unfixed, --recreate-replicas or not; a module that says nothing is fixed as before.
 */
describe('a module pinned below 4.52.0, for a table whose fix gives its replicas keys', () => {
  const PROVIDERS = 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "oregon"\n  region = "us-west-2"\n}\n\n';
  const replica = (key = '') => `\n  replica {\n    region_name = "us-west-2"\n${key}  }\n`;
  const GLOBAL = PROVIDERS + TABLE.replace(/\n}\n$/, `\n${replica()}}\n`);
  const required = (constraint: string) =>
    `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${constraint}"\n    }\n  }\n}\n`;
  const lock = (version: string) =>
    `provider "registry.terraform.io/hashicorp/aws" {\n  version     = "${version}"\n  constraints = ">= 3.0.0"\n}\n`;

  async function global(files: Record<string, string>, main = GLOBAL) {
    const all = [{ path: 'main.tf', text: main }, ...Object.entries(files).map(([path, text]) => ({ path, text }))];
    const [scan, fix] = await Promise.all([processMemory(all, 'scan'), processMemory(all, 'fix', { recreateReplicas: true })]);
    const of = (r: typeof scan) =>
      r.outcomes.find((o) => o.file.path === 'main.tf')!.tables.find((t) => t.address === 'aws_dynamodb_table.t')!;
    return { scan: of(scan), fix: of(fix), out: fix.output.get('main.tf') ?? main };
  }

  it('~> 3.40.0 (the repro), a legacy provider version, the lock file: declined with --recreate-replicas too, naming the version; scan does not advise the flag', async () => {
    for (const [files, pin] of [
      [{ 'versions.tf': required('~> 3.40.0') }, 'required_providers aws version = "~> 3.40.0"'],
      [{ 'versions.tf': required('>= 3.0, < 4.0') }, 'required_providers aws version = ">= 3.0, < 4.0"'],
      [{ 'versions.tf': required('~> 4.51.0') }, 'required_providers aws version = "~> 4.51.0"'],
      [{ 'providers.tf': 'provider "aws" {\n  alias   = "legacy"\n  version = "~> 3.0"\n}\n' }, 'provider "aws" version = "~> 3.0"'],
      [{ 'versions.tf': required('>= 3.0'), '.terraform.lock.hcl': lock('4.40.0') }, '.terraform.lock.hcl (version 4.40.0)'],
    ] as const) {
      const r = await global(files);
      expect(r.fix.fixed, pin).toBeUndefined();
      expect(r.out, pin).toBe(GLOBAL);
      for (const t of [r.scan, r.fix]) {
        expect(t.fixable, pin).toBe(false);
        expect(t.blocker).toBe(
          `the module pins hashicorp/aws with ${pin}, and a fix of its replicas needs 4.52.0 or later, with --recreate-replicas too: ` +
            "the key's multi_region and the aws_kms_replica_key resource came in 3.64.0, and before 4.52.0 a changed replica kms_key_arn " +
            'fails at apply ("KMSMasterKeyId must be specified for each replica", hashicorp/terraform-provider-aws#29102): ' +
            'upgrade the provider to 4.52.0 or later, then run kmsfix again',
        );
      }
    }
  });

  it('no pin, a constraint that allows 4.52.0 (>= 3.0, ~> 4.0: terraform init takes the newest), a recent lock file: fixed with the flag as before', async () => {
    for (const files of <Record<string, string>[]>[
      {},
      { 'versions.tf': required('>= 3.0') },
      { 'versions.tf': required('~> 4.0') },
      { 'versions.tf': required('~> 5.0') },
      { 'versions.tf': required('>= 3.0'), '.terraform.lock.hcl': lock('4.52.0') },
    ]) {
      const r = await global(files);
      expect(r.fix.fixed, JSON.stringify(files)).toBe(true);
      expect(r.out).toContain('resource "aws_kms_replica_key" "t_oregon"');
      // Without the flag, the step is the flag's (what apply does to the replicas).
      expect(r.scan.blocker).toMatch(/^with a new key, terraform apply deletes and re-creates the replica in us-west-2/);
    }
  });

  it('a table whose fix needs no replica key (none, or each replica with its own key) is fixed under ~> 3.40.0', async () => {
    const versions = { 'versions.tf': required('~> 3.40.0') };
    const keyed = PROVIDERS + TABLE.replace(/\n}\n$/, `\n${replica('    kms_key_arn = "arn:aws:kms:us-west-2:111122223333:key/k"\n')}}\n`);
    for (const main of [PROVIDERS + TABLE, keyed]) {
      const r = await global(versions, main);
      expect(r.fix.fixed).toBe(true);
      expect(r.out).not.toContain('aws_kms_replica_key');
    }
  });
});
