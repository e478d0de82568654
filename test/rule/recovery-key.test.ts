/**
 * Point-in-time recovery: DynamoDB keeps a deleted table's backup for 35 days, encrypted under the
 * table's key, while the delete that removes the table also schedules the fix's key for deletion (in at
 * most 30 days): the backup could then never be restored. A table with point-in-time recovery on keeps
 * its key where the format can keep a key without failing a delete (CloudFormation Retain, CDK's
 * RETAIN default, Pulumi retainOnDelete); Terraform and CDK for Terraform, whose only way to keep a key
 * (prevent_destroy) fails every destroy, say so in a `Backups` caution. With recovery off, nothing.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const CAUTION = "Backups: point-in-time recovery is on, so DynamoDB keeps a deleted table's backup for 35 days";

async function fixOne(path: string, text: string) {
  const scanned = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  const r = await processMemory([{ path, text }], 'fix');
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  return { message: scanned.message, out: r.output.get(path)! };
}

const cfn = (props: string, policy = '') =>
  `Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n${policy}    Properties:\n      BillingMode: PAY_PER_REQUEST\n${props}`;
const globalTable = (replica: string) =>
  `Resources:\n  Orders:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      Replicas:\n        - Region: !Ref AWS::Region\n${replica}`;

describe('CloudFormation: the key is retained', () => {
  it.each([
    ['recovery on', cfn('      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n'), true],
    [
      'recovery on, the table deleted with its stack',
      cfn('      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n', '    DeletionPolicy: Delete\n'),
      true,
    ],
    [
      'recovery from a condition',
      cfn('      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: !If [Prod, true, false]\n'),
      true,
    ],
    [
      'a global table replica with recovery',
      globalTable('          PointInTimeRecoverySpecification:\n            PointInTimeRecoveryEnabled: true\n'),
      true,
    ],
    ['recovery off', cfn('      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: false\n'), false],
    ['no recovery', cfn(''), false],
  ])('%s', async (_, text, retained) => {
    const { out } = await fixOne('template.yaml', text);
    const key = out.slice(out.indexOf('  OrdersKey:'), out.indexOf('    Properties:', out.indexOf('  OrdersKey:')));
    expect(key.includes('DeletionPolicy: Retain') && key.includes('UpdateReplacePolicy: Retain')).toBe(retained);
  });
});

const CDK = (props: string) =>
  `import * as cdk from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\n\nexport class S extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n    super(scope, id);\n    new dynamodb.Table(this, 'Orders', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n      removalPolicy: cdk.RemovalPolicy.DESTROY,\n${props}    });\n  }\n}\n`;

describe('AWS CDK: the key keeps kms.Key’s default, RETAIN, over the table’s DESTROY', () => {
  it.each([
    ['pointInTimeRecovery', '      pointInTimeRecovery: true,\n', true],
    ['pointInTimeRecoverySpecification', '      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },\n', true],
    ['recovery off', '      pointInTimeRecovery: false,\n', false],
    ['recovery left unset', '      pointInTimeRecoverySpecification: undefined,\n', false],
    ['no recovery', '', false],
  ])('%s', async (_, props, retained) => {
    const { out } = await fixOne('stack.ts', CDK(props));
    const key = out.slice(out.indexOf('new kms.Key('), out.indexOf('});', out.indexOf('new kms.Key(')));
    expect(key.includes('RemovalPolicy.DESTROY')).toBe(!retained);
  });
});

const PULUMI = (props: string) =>
  `import * as aws from '@pulumi/aws';\n\nexport const orders = new aws.dynamodb.Table('orders', {\n  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n${props}});\n`;
const PULUMI_YAML = (props: string) =>
  `name: app\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n${props}`;

describe('Pulumi: the key gets retainOnDelete', () => {
  it.each([
    ['TypeScript, recovery on', 'index.ts', PULUMI('  pointInTimeRecovery: { enabled: true },\n'), true],
    ['TypeScript, recovery off', 'index.ts', PULUMI('  pointInTimeRecovery: { enabled: false },\n'), false],
    ['YAML, recovery on', 'Pulumi.yaml', PULUMI_YAML('      pointInTimeRecovery:\n        enabled: true\n'), true],
    ['YAML, recovery off', 'Pulumi.yaml', PULUMI_YAML('      pointInTimeRecovery:\n        enabled: false\n'), false],
  ])('%s', async (_, path, text, retained) => {
    const { out } = await fixOne(path, text);
    expect(out.includes('retainOnDelete: true')).toBe(retained);
  });
});

const TF = (block: string) =>
  `resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n${block}}\n`;
const MODULE = (source: string, inputs: string) =>
  `module "orders" {\n  source   = "${source}"\n  name     = "orders"\n  hash_key = "id"\n${inputs}}\n`;
const TAM = 'terraform-aws-modules/dynamodb-table/aws';
const CLOUDPOSSE = 'cloudposse/dynamodb/aws';
const MINEIROS = 'mineiros-io/dynamodb/aws';
const CDKTF = (props: string) =>
  `import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\nexport class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new DynamodbTable(this, 'orders', {\n      name: 'orders',\n      hashKey: 'id',\n      attribute: [{ name: 'id', type: 'S' }],\n${props}    });\n  }\n}\n`;

describe('Terraform and CDK for Terraform: a Backups caution, and no prevent_destroy', () => {
  it.each([
    ['Terraform, recovery on', 'main.tf', TF('\n  point_in_time_recovery {\n    enabled = true\n  }\n'), true],
    ['Terraform, recovery from an input', 'main.tf', TF('\n  point_in_time_recovery {\n    enabled = var.pitr\n  }\n'), true],
    ['Terraform, recovery off', 'main.tf', TF('\n  point_in_time_recovery {\n    enabled = false\n  }\n'), false],
    [
      'Terraform, recovery on and the table protected literally (the key gets prevent_destroy)',
      'main.tf',
      TF('\n  point_in_time_recovery {\n    enabled = true\n  }\n\n  deletion_protection_enabled = true\n'),
      false,
    ],
    ['terraform-aws-modules, recovery on', 'main.tf', MODULE(TAM, '  point_in_time_recovery_enabled = true\n'), true],
    ['terraform-aws-modules, recovery from an input', 'main.tf', MODULE(TAM, '  point_in_time_recovery_enabled = var.pitr\n'), true],
    ['terraform-aws-modules, recovery unset (the module defaults it to false)', 'main.tf', MODULE(TAM, ''), false],
    [
      'terraform-aws-modules, recovery on and the table protected literally (the key gets prevent_destroy)',
      'main.tf',
      MODULE(TAM, '  point_in_time_recovery_enabled = true\n  deletion_protection_enabled    = true\n'),
      false,
    ],
    ['cloudposse, recovery unset (the module defaults it to true)', 'main.tf', MODULE(CLOUDPOSSE, ''), true],
    ['cloudposse, recovery null (the default)', 'main.tf', MODULE(CLOUDPOSSE, '  enable_point_in_time_recovery = null\n'), true],
    ['cloudposse, recovery off', 'main.tf', MODULE(CLOUDPOSSE, '  enable_point_in_time_recovery = false\n'), false],
    ['mineiros-io, recovery on', 'main.tf', MODULE(MINEIROS, '  point_in_time_recovery_enabled = true\n'), true],
    ['mineiros-io, recovery unset (the module defaults it to false)', 'main.tf', MODULE(MINEIROS, ''), false],
    ['CDK for Terraform, recovery on', 'stack.ts', CDKTF('      pointInTimeRecovery: { enabled: true },\n'), true],
    ['CDK for Terraform, recovery off', 'stack.ts', CDKTF('      pointInTimeRecovery: { enabled: false },\n'), false],
  ])('%s', async (_, path, text, caution) => {
    const { message, out } = await fixOne(path, text);
    expect(message.includes(CAUTION)).toBe(caution);
    if (caution) expect(out).not.toMatch(/prevent_destroy|preventDestroy/);
  });
});
