/**
 * A table whose deploy tool is told to ignore changes to its encryption (Terraform's
 * `lifecycle.ignore_changes`, CDKTF's `lifecycle.ignoreChanges`, Pulumi's `ignoreChanges` option)
 * would keep its key whatever the code says: a fix would turn the scanners green and change
 * nothing deployed. Such a table is reported, not fixed, naming the entry; other entries change
 * nothing. (Pulumi YAML: fixtures/pulumi-yaml/resource-options.)
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', { recreateReplicas: true });
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { fixed: t.fixed === true, blocker: t.blocker }]));
}

const tf = (name: string, lifecycle: string, body = '') =>
  `resource "aws_dynamodb_table" "${name}" {\n  name     = "${name}"\n  hash_key = "id"\n${body}\n  lifecycle {\n${lifecycle}\n  }\n}\n`;

describe('deploy options that ignore changes to encryption', () => {
  it('Terraform: server_side_encryption (or a path under it) and all block the fix; tags does not; replica only when replicas need keys', async () => {
    const providers = 'provider "aws" {\n  alias  = "ohio"\n  region = "us-east-2"\n}\n';
    const replica = '\n  replica {\n    region_name = "us-east-2"\n  }\n';
    const v = await verdicts(
      'main.tf',
      [
        providers,
        tf('listed', '    ignore_changes = [\n      tags, # the platform tags them\n      server_side_encryption,\n    ]'),
        tf('path', '    ignore_changes = [server_side_encryption[0].kms_key_arn]'),
        tf('everything', '    ignore_changes = all'),
        tf('tags', '    ignore_changes = [tags]'),
        tf('replicas', '    ignore_changes = [replica]', replica),
        tf('no_replicas', '    ignore_changes = [replica]'),
      ].join('\n'),
    );
    expect(v['aws_dynamodb_table.listed'].blocker).toBe(
      "lifecycle.ignore_changes lists server_side_encryption, so terraform apply would leave the deployed table's encryption as it is: " +
        'a fix would change only the code. Take server_side_encryption out of lifecycle.ignore_changes, then run kmsfix again ' +
        '(or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(v['aws_dynamodb_table.path'].blocker).toContain('lists server_side_encryption[0].kms_key_arn, so terraform apply');
    expect(v['aws_dynamodb_table.everything'].blocker).toContain('List only the attributes to ignore in lifecycle.ignore_changes');
    expect(v['aws_dynamodb_table.replicas'].blocker).toContain('lifecycle.ignore_changes lists replica');
    for (const a of ['listed', 'path', 'everything', 'replicas']) expect(v[`aws_dynamodb_table.${a}`].fixed, a).toBe(false);
    for (const a of ['tags', 'no_replicas']) expect(v[`aws_dynamodb_table.${a}`], a).toEqual({ fixed: true, blocker: undefined });
  });

  it('Terraform JSON and a replica resource', async () => {
    const json = JSON.stringify({
      resource: {
        aws_dynamodb_table: { t: { name: 't', hash_key: 'id', lifecycle: { ignore_changes: ['server_side_encryption'] } } },
        aws_dynamodb_table_replica: {
          r: { global_table_arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t', lifecycle: { ignore_changes: ['kms_key_arn'] } },
        },
      },
    });
    const v = await verdicts('main.tf.json', json);
    expect(v['aws_dynamodb_table.t'].blocker).toMatch(/^lifecycle\.ignore_changes lists "server_side_encryption", so terraform apply/);
    expect(v['aws_dynamodb_table_replica.r'].blocker).toMatch(/^lifecycle\.ignore_changes lists "kms_key_arn", so terraform apply/);
  });

  it('CDKTF lifecycle.ignoreChanges and Pulumi ignoreChanges', async () => {
    const cdktf =
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    new DynamodbTable(this, 'all', { name: 'all', hashKey: 'id', lifecycle: { ignoreChanges: 'all' } });\n" +
      "    new DynamodbTable(this, 'sse', { name: 'sse', hashKey: 'id', lifecycle: { ignoreChanges: ['server_side_encryption'] } });\n" +
      "    new DynamodbTable(this, 'tags', { name: 'tags', hashKey: 'id', lifecycle: { ignoreChanges: ['tags'] } });\n  }\n}\n";
    const c = await verdicts('main.ts', cdktf);
    expect(c.all.blocker).toMatch(/^lifecycle\.ignoreChanges lists 'all', so terraform apply \(cdktf deploy\) would leave/);
    expect(c.all.blocker).toContain('List only the attributes to ignore');
    expect(c.sse.blocker).toContain("lifecycle.ignoreChanges lists 'server_side_encryption'");
    expect(c.tags).toEqual({ fixed: true, blocker: undefined });

    const pulumi =
      "import * as aws from '@pulumi/aws';\n\n" +
      "export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { ignoreChanges: ['serverSideEncryption.kmsKeyArn'] });\n" +
      "export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, { ignoreChanges: ['tags'] });\n";
    const p = await verdicts('index.ts', pulumi);
    expect(p.a.blocker).toMatch(/^the resource option ignoreChanges lists 'serverSideEncryption\.kmsKeyArn', so pulumi up would leave/);
    expect(p.b).toEqual({ fixed: true, blocker: undefined });
  });
});
