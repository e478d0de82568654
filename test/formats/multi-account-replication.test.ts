/**
 * Tables of a multi-account global table (DynamoDB replicates across accounts as its replication
 * service, replication.dynamodb.amazonaws.com, which each replica's key must let through): the
 * replica (CDK TableV2MultiAccountReplica, CloudFormation GlobalTable with GlobalTableSourceArn) and
 * the source (named by a replica of the file, granted by `grants.multiAccountReplicationTo`, setting
 * globalTableSettingsReplicationMode with no replicas, or a resource policy letting the replication
 * service in) are reported and never fixed; other tables of the file still are. The fixtures
 * typescript/cdk-multi-account-replica, cloudformation/multi-account-global-table and
 * terraform/resource-policy hold the outputs.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [t.address, { status: t.status, fixed: t.fixed === true, blocker: t.blocker }]),
  );
}

const TAIL =
  "replication across accounts runs as DynamoDB's replication service (replication.dynamodb.amazonaws.com), which the table's key " +
  "must let through, and kmsfix neither writes nor checks such a key policy: create a customer-managed key in the table's account " +
  'and Region whose policy allows the replication, and give it to the table by hand';

const cdk = (body: string) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
const pk = { name: 'pk', type: dynamodb.AttributeType.STRING };
export class S extends Stack {
  readonly held: dynamodb.TableV2;
  constructor(scope: Construct, id: string, source: dynamodb.ITableV2) {
    super(scope, id);
${body}
  }
}
`;

describe('multi-account global tables are never fixed', () => {
  it('CDK: the replica, and each way a file says a TableV2 is a source', async () => {
    const v = await verdicts(
      'stack.ts',
      cdk(`    const named = new dynamodb.TableV2(this, 'Named', { partitionKey: pk });
    new dynamodb.TableV2MultiAccountReplica(this, 'NamedReplica', { replicaSourceTable: named });
    this.held = new dynamodb.TableV2(this, 'Held', { partitionKey: pk });
    new dynamodb.TableV2MultiAccountReplica(this, 'HeldReplica', { replicaSourceTable: this.held });
    const granted = new dynamodb.TableV2(this, 'Granted', { partitionKey: pk });
    granted.grants.multiAccountReplicationTo('arn:aws:dynamodb:us-west-2:222222222222:table/Granted');
    new dynamodb.TableV2(this, 'Mode', { partitionKey: pk, globalTableSettingsReplicationMode: dynamodb.GlobalTableSettingsReplicationMode.ALL });
    new dynamodb.TableV2MultiAccountReplica(this, 'Elsewhere', { replicaSourceTable: source });
    new dynamodb.TableV2MultiAccountReplica(this, 'Keyed', {
      replicaSourceTable: source,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(this, 'K')),
    });
    new dynamodb.TableV2(this, 'Alone', { partitionKey: pk });`),
    );
    expect(v.Named.blocker).toBe(`it is the source of a multi-account global table (replicas: NamedReplica): ${TAIL}`);
    expect(v.Held.blocker).toContain('(replicas: HeldReplica)');
    expect(v.Granted.blocker).toContain("(replicas: 'arn:aws:dynamodb:us-west-2:222222222222:table/Granted')");
    expect(v.Mode.blocker).toBe(
      `it sets globalTableSettingsReplicationMode with no replicas of its own, as the source of a multi-account global table does: ${TAIL}`,
    );
    for (const r of ['NamedReplica', 'HeldReplica', 'Elsewhere'])
      expect(v[r], r).toEqual({
        status: 'aws-owned',
        fixed: false,
        blocker: `it is a replica, in another account, of replicaSourceTable's global table: ${TAIL}`,
      });
    for (const t of ['Named', 'Held', 'Granted', 'Mode']) expect(v[t].fixed, t).toBe(false);
    expect(v.Keyed.status).toBe('customer-managed');
    expect(v.Alone).toEqual({ status: 'aws-owned', fixed: true, blocker: undefined });
  });

  it('CloudFormation: GlobalTableSourceArn, and a resource policy (YAML or a JSON string) that lets the replication service in', async () => {
    const table = (policy: string) =>
      `    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n${policy}`;
    const v = await verdicts(
      'template.yaml',
      [
        'Resources:',
        '  Replica:',
        '    Type: AWS::DynamoDB::GlobalTable',
        '    Properties:',
        '      GlobalTableSourceArn: arn:aws:dynamodb:us-east-2:222222222222:table/T',
        '      Replicas: [{ Region: !Ref AWS::Region }]',
        '  Source:',
        table(
          '      ResourcePolicy:\n        PolicyDocument:\n          Statement:\n            - Effect: Allow\n              Principal: { Service: replication.dynamodb.amazonaws.com }\n              Action: dynamodb:ReadDataForReplication\n              Resource: "*"',
        ),
        '  AsString:',
        table(
          `      ResourcePolicy:\n        PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"replication.dynamodb.amazonaws.com"},"Action":"dynamodb:ReplicateSettings","Resource":"*"}]}'`,
        ),
        '  Reader:',
        table(
          '      ResourcePolicy:\n        PolicyDocument:\n          Statement:\n            - Effect: Allow\n              Principal: { Service: lambda.amazonaws.com }\n              Action: dynamodb:GetItem\n              Resource: "*"',
        ),
      ].join('\n'),
    );
    expect(v.Replica.blocker).toBe(`it is a replica, in another account, of the global table its GlobalTableSourceArn names: ${TAIL}`);
    const policy = `its ResourcePolicy lets DynamoDB's cross-account replication in, as the source and each replica of a multi-account global table must: ${TAIL}`;
    expect(v.Source.blocker).toBe(policy);
    expect(v.AsString.blocker).toBe(policy);
    for (const t of ['Replica', 'Source', 'AsString']) expect(v[t].fixed, t).toBe(false);
    expect(v.Reader).toEqual({ status: 'aws-owned', fixed: true, blocker: undefined });
  });

  it('Terraform: an aws_dynamodb_resource_policy naming the replication service (through a policy document: fixtures/terraform/resource-policy)', async () => {
    const table = (name: string) =>
      `resource "aws_dynamodb_table" "${name}" {\n  name     = "${name}"\n  hash_key = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
    const v = await verdicts(
      'main.tf',
      [
        table('inline'),
        'resource "aws_dynamodb_resource_policy" "inline" {',
        '  resource_arn = aws_dynamodb_table.inline.arn',
        '  policy = jsonencode({',
        '    Statement = [{ Effect = "Allow", Principal = { Service = "replication.dynamodb.amazonaws.com" }, Action = "dynamodb:ReadDataForReplication", Resource = "*" }]',
        '  })',
        '}',
        table('plain'),
      ].join('\n'),
    );
    expect(v['aws_dynamodb_table.inline'].blocker).toBe(
      `aws_dynamodb_resource_policy.inline lets DynamoDB's cross-account replication in, as the source and each replica of a multi-account global table must: ${TAIL}`,
    );
    expect(v['aws_dynamodb_table.inline'].fixed).toBe(false);
    expect(v['aws_dynamodb_table.plain']).toEqual({ status: 'aws-owned', fixed: true, blocker: undefined });
  });
});
