/**
 * A replica resource without kms_key_arn uses its table's kind of encryption (globalTables.ts
 * replicasOfTables): aws-owned when its table uses the AWS owned key, aws-managed (alias/aws/dynamodb)
 * when the table uses KMS. fixtures/terraform/replica-aws-owned-table is the reported case.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const PROVIDERS = `provider "aws" {\n  region = "us-west-2"\n}\n\nprovider "aws" {\n  alias  = "alt"\n  region = "us-east-2"\n}\n`;

const table = (sse: string) => `
resource "aws_dynamodb_table" "example" {
  name             = "TestTable"
  hash_key         = "k"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "k"
    type = "S"
  }
${sse}}
`;

const REPLICA = `
resource "aws_dynamodb_table_replica" "example" {
  provider         = aws.alt
  global_table_arn = aws_dynamodb_table.example.arn
}
`;

async function replica(files: MemoryFile[], acceptAwsManaged = false) {
  const r = await processMemory(files, 'scan', { acceptAwsManaged });
  return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table_replica.example')!;
}

describe("a replica resource without kms_key_arn: its table's kind of encryption", () => {
  it('the table without server_side_encryption: aws-owned, naming the table; --accept-aws-managed does not pass it', async () => {
    const files = [{ path: 'main.tf', text: PROVIDERS + table('') + REPLICA }];
    const t = await replica(files);
    expect(t.status).toBe('aws-owned');
    expect(t.message).toContain(
      'no kms_key_arn: the replica uses the encryption of its table aws_dynamodb_table.example, which uses the AWS owned key (no server_side_encryption block)',
    );
    const accepted = await replica(files, true);
    expect([accepted.status, accepted.compliant]).toEqual(['aws-owned', false]);
  });

  it('the table with enabled = false, in another file of the module: aws-owned', async () => {
    const files = [
      { path: 'table.tf', text: PROVIDERS + table('\n  server_side_encryption {\n    enabled = false\n  }\n') },
      { path: 'replica.tf', text: REPLICA },
    ];
    const t = await replica(files);
    expect(t.status).toBe('aws-owned');
    expect(t.message).toContain('(server_side_encryption.enabled = false)');
  });

  it('the table with KMS (its key or the AWS managed one), a null kms_key_arn, a replica of its own key: as before', async () => {
    const kms = table('\n  server_side_encryption {\n    enabled = true\n  }\n');
    expect((await replica([{ path: 'main.tf', text: PROVIDERS + kms + REPLICA }])).status).toBe('aws-managed');
    const nullKey = REPLICA.replace('aws_dynamodb_table.example.arn\n', 'aws_dynamodb_table.example.arn\n  kms_key_arn      = null\n');
    expect((await replica([{ path: 'main.tf', text: PROVIDERS + table('') + nullKey }])).status).toBe('aws-owned');
    const ownKey = REPLICA.replace(
      'aws_dynamodb_table.example.arn\n',
      'aws_dynamodb_table.example.arn\n  kms_key_arn      = aws_kms_key.k.arn\n',
    );
    expect((await replica([{ path: 'main.tf', text: PROVIDERS + table('') + ownKey }])).status).toBe('customer-managed');
  });

  it('the table decided at plan time: unknown', async () => {
    const files = [{ path: 'main.tf', text: PROVIDERS + table('\n  server_side_encryption {\n    enabled = var.sse\n  }\n') + REPLICA }];
    const t = await replica(files);
    expect(t.status).toBe('unknown');
    expect(t.message).toContain('which is decided at plan time');
  });

  it('the table declared elsewhere (global_table_arn = var.x): aws-managed as the provider documents, and the reason says so', async () => {
    const external = REPLICA.replace('aws_dynamodb_table.example.arn', 'var.global_table_arn');
    const t = await replica([{ path: 'main.tf', text: PROVIDERS + external }]);
    expect(t.status).toBe('aws-managed');
    expect(t.message).toContain(
      'no kms_key_arn, and its table (`var.global_table_arn`) is not declared in this module: read as a table encrypted with KMS, ' +
        'whose replicas use the AWS managed key (if that table uses the AWS owned key, so does this replica)',
    );
    // The table found in the module: its own words, not these.
    expect((await replica([{ path: 'main.tf', text: PROVIDERS + table('') + REPLICA }])).message).not.toContain('not declared');
  });
});

describe('the same rule in Pulumi (aws.dynamodb.TableReplica, src/rule/replicaResource.ts): one rule for every format', () => {
  const program = (sse: string) => `import * as aws from "@pulumi/aws";

const usw2 = new aws.Provider("usw2", { region: "us-west-2" });

export const orders = new aws.dynamodb.Table("orders", {
    attributes: [{ name: "pk", type: "S" }],
    hashKey: "pk",
    billingMode: "PAY_PER_REQUEST",
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",${sse}
});

const replica = new aws.dynamodb.TableReplica("orders-usw2", {
    globalTableArn: orders.arn,
}, { provider: usw2 });
`;
  const replicaOf = async (sse: string) => {
    const r = await processMemory([{ path: 'index.ts', text: program(sse) }], 'scan', {});
    return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'orders-usw2')!;
  };

  it('a replica of a table on the AWS owned key is aws-owned, naming its table, as in Terraform (it said aws-managed)', async () => {
    const t = await replicaOf('');
    expect(t.status).toBe('aws-owned');
    expect(t.message).toContain(
      'no kmsKeyArn: the replica uses the encryption of its table orders, which uses the AWS owned key (No serverSideEncryption)',
    );
  });

  it('a replica of a table encrypted with KMS reads as before: the AWS managed key', async () => {
    const t = await replicaOf('\n    serverSideEncryption: { enabled: true },');
    expect(t.status).toBe('aws-managed');
  });
});

it('Pulumi YAML (aws:dynamodb:TableReplica): the same rule', async () => {
  const program = `name: rep
runtime: yaml
resources:
  usw2:
    type: pulumi:providers:aws
    properties:
      region: us-west-2
  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: pk
          type: S
      hashKey: pk
      billingMode: PAY_PER_REQUEST
      streamEnabled: true
      streamViewType: NEW_AND_OLD_IMAGES
  ordersUsw2:
    type: aws:dynamodb:TableReplica
    properties:
      globalTableArn: \${orders.arn}
    options:
      provider: \${usw2}
`;
  const r = await processMemory([{ path: 'Pulumi.yaml', text: program }], 'scan', {});
  const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'ordersUsw2')!;
  expect(t.status).toBe('aws-owned');
  expect(t.message).toContain('no kmsKeyArn: the replica uses the encryption of its table orders, which uses the AWS owned key');
});
