/**
 * A registry module call pinned to versions older than the first that has what a fix writes or
 * reads (moduleVersion.ts, registryModules.ts `since`): cloudposse/dynamodb before 0.22.0 (no
 * server_side_encryption_kms_key_arn), terraform-aws-modules/dynamodb-table before 1.0.0 (no
 * dynamodb_table_id output), mineiros-io/dynamodb before 0.1.2 (no kms_type). Such a call is not
 * fixed: terraform plan would fail on the input or output. A pin that allows a version with it is
 * fixed as before (fixtures/terraform/module-cloudposse: 0.37.0).
 */
import { describe, expect, it } from 'vitest';
import { pinnedBelow } from '../../../src/formats/terraform/moduleVersion.js';
import { processMemory } from '../../../src/engine/memory.js';

describe('pinnedBelow', () => {
  it.each([
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=tags/0.15.0', undefined, 'ref=tags/0.15.0'],
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=0.21.0', undefined, 'ref=0.21.0'],
    ['git::https://github.com/x/terraform-aws-dynamodb.git?ref=refs/tags/v0.21.0&depth=1', undefined, 'ref=refs/tags/v0.21.0'],
    // The query before the folder (terragrunt's `//.`), as go-getter and gitOrigin.ts read it: the ref is 0.15.0, not `0.15.0//.`.
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=0.15.0//.', undefined, 'ref=0.15.0'],
    ['github.com/cloudposse/terraform-aws-dynamodb?ref=tags/0.21.0//modules/x', undefined, 'ref=tags/0.21.0'],
    ['cloudposse/dynamodb/aws', '0.21.0', 'version = "0.21.0"'],
    ['cloudposse/dynamodb/aws', '= 0.20.1', 'version = "= 0.20.1"'],
    ['cloudposse/dynamodb/aws', '~> 0.21.0', 'version = "~> 0.21.0"'],
    ['cloudposse/dynamodb/aws', '>= 0.10, < 0.22', 'version = ">= 0.10, < 0.22"'],
    ['cloudposse/dynamodb/aws', '<= 0.21.9', 'version = "<= 0.21.9"'],
  ])('%s %s: every version it allows is older', (source, version, pin) => {
    expect(pinnedBelow(source, version, '0.22.0')).toBe(pin);
  });

  it.each([
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=tags/0.22.0', undefined],
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=main', undefined],
    ['git::https://github.com/cloudposse/terraform-aws-dynamodb.git', undefined],
    ['cloudposse/dynamodb/aws', undefined],
    ['cloudposse/dynamodb/aws', '~> 0.21'],
    ['cloudposse/dynamodb/aws', '>= 0.15'],
    ['cloudposse/dynamodb/aws', '< 0.23'],
    ['cloudposse/dynamodb/aws', '0.37.0'],
    ['cloudposse/dynamodb/aws', 'latest'],
  ])('%s %s: a version it allows has it, or kmsfix cannot tell', (source, version) => {
    expect(pinnedBelow(source, version, '0.22.0')).toBeUndefined();
  });
});

describe('registry module calls pinned to older versions', () => {
  it('are reported with their status, not fixable, naming the version to upgrade to', async () => {
    const r = await processMemory(
      [
        {
          path: 'main.tf',
          text: `provider "aws" {}

module "cp" {
  source = "git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=tags/0.15.0"
  name   = "cp"
}

module "tam" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 0.13.0"
  name    = "tam-\${terraform.workspace}"
}

module "mi" {
  source   = "mineiros-io/dynamodb/aws"
  version  = "0.1.1"
  name     = "mi"
  hash_key = "id"
}
`,
        },
      ],
      'scan',
    );
    const tables = Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
    expect(tables['module.cp'].status).toBe('aws-managed');
    expect(tables['module.tam'].status).toBe('aws-owned');
    expect(tables['module.mi'].status).toBe('aws-owned');
    for (const t of Object.values(tables)) expect(t.fixable).toBe(false);
    expect(tables['module.cp'].message).toContain(
      'the call pins cloudposse/dynamodb to ref=tags/0.15.0, a version without the input server_side_encryption_kms_key_arn',
    );
    expect(tables['module.cp'].message).toContain('upgrade the module to 0.22.0 or later');
    expect(tables['module.tam'].message).toContain('without the output dynamodb_table_id (named this_dynamodb_table_id before)');
    expect(tables['module.tam'].message).toContain('upgrade the module to 1.0.0 or later');
    expect(tables['module.mi'].message).toContain('without the input kms_type');
    expect(tables['module.mi'].message).toContain('upgrade the module to 0.1.2 or later');
  });
});
