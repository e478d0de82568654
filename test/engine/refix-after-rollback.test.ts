/**
 * A fix after the roll back's step 1 (docs/rolling-back.md) (the tables set back, their keys and aliases kept until step 2):
 * the new key's alias would have the name of the kept one, which KMS refuses (`AlreadyExistsException`; cfn-lint
 * E3019 in a template). The new alias is named apart (`-2`), in every format (adversarial pass, session 46).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function fixTwice(path: string, text: string, rollBack: (fixed: string) => string) {
  const first = (await processMemory([{ path, text }], 'fix')).outcomes[0].newText!;
  const back = rollBack(first);
  expect(back).not.toBe(first);
  const again = (await processMemory([{ path, text: back }], 'fix')).outcomes[0].newText!;
  const third = (await processMemory([{ path, text: again }], 'fix')).outcomes[0].newText;
  // Idempotent: the second fix's output is compliant.
  expect(third === undefined || third === again).toBe(true);
  return again;
}

const count = (text: string, s: string) => text.split(s).length - 1;

describe('a fix after roll back step 1 names its alias apart from the kept one', () => {
  it('CloudFormation', async () => {
    const text =
      'Resources:\n  OrdersTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: orders\n      BillingMode: PAY_PER_REQUEST\n';
    const out = await fixTwice('template.yaml', text, (f) =>
      f.replace(
        /SSESpecification:\n(\s+)SSEEnabled: true\n\s+SSEType: KMS\n\s+KMSMasterKeyId: !GetAtt OrdersTableKey.Arn/,
        'SSESpecification:\n$1SSEEnabled: false',
      ),
    );
    expect(count(out, "AliasName: !Sub 'alias/dynamodb/${OrdersTable}'")).toBe(1);
    expect(count(out, "AliasName: !Sub 'alias/dynamodb/${OrdersTable}-2'")).toBe(1);
    expect(out).toContain('KMSMasterKeyId: !GetAtt OrdersTableKey2.Arn');
  });

  it('Terraform', async () => {
    const text = 'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n}\n';
    const out = await fixTwice('main.tf', text, (f) =>
      f.replace(
        /server_side_encryption \{\n\s+enabled\s+= true\n\s+kms_key_arn = aws_kms_key.orders.arn\n\s+\}/,
        'server_side_encryption {\n    enabled = false\n  }',
      ),
    );
    expect(count(out, 'name          = "alias/dynamodb/${aws_dynamodb_table.orders.name}"')).toBe(1);
    expect(count(out, 'name          = "alias/dynamodb/${aws_dynamodb_table.orders.name}-2"')).toBe(1);
  });

  it('AWS CDK and Pulumi (TypeScript), Pulumi YAML', async () => {
    const cdk = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Orders', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  }
}
`;
    const c = await fixTwice('lib/s.ts', cdk, (f) =>
      f.replace(/encryption: TableEncryption.CUSTOMER_MANAGED,\s+encryptionKey: ordersKey/, 'encryption: TableEncryption.DEFAULT'),
    );
    expect(count(c, 'ordersKey.addAlias(`alias/dynamodb/${orders.tableName}`)')).toBe(1);
    expect(count(c, 'ordersKey2.addAlias(`alias/dynamodb/${orders.tableName}-2`)')).toBe(1);

    const pulumi = `import * as aws from '@pulumi/aws';

export const orders = new aws.dynamodb.Table('orders', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
});
`;
    const p = await fixTwice('index.ts', pulumi, (f) =>
      f.replace(/serverSideEncryption: \{ enabled: true, kmsKeyArn: ordersKey.arn \}/, 'serverSideEncryption: { enabled: false }'),
    );
    expect(count(p, 'name: pulumi.interpolate`alias/dynamodb/${orders.name}`')).toBe(1);
    expect(count(p, 'name: pulumi.interpolate`alias/dynamodb/${orders.name}-2`')).toBe(1);

    const yaml = 'name: p\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n';
    const y = await fixTwice('Pulumi.yaml', yaml, (f) =>
      f.replace(/enabled: true\n(\s+)kmsKeyArn: '?\$\{ordersKey.arn\}'?/, 'enabled: false'),
    );
    expect(y.match(/name: '?alias\/dynamodb\/\$\{orders.name\}'?\n/g)).toHaveLength(1);
    expect(y.match(/name: '?alias\/dynamodb\/\$\{orders.name\}-2'?\n/g)).toHaveLength(1);
  });

  it("a kept alias that writes the table's literal name, or spaces inside ${ } (adversarial pass)", async () => {
    const fix = async (path: string, text: string) => (await processMemory([{ path, text }], 'fix')).outcomes[0].newText!;
    const tf = (name: string) =>
      'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n\nresource "aws_kms_key" "t" {}\n\n' +
      `resource "aws_kms_alias" "t" {\n  name          = ${name}\n  target_key_id = aws_kms_key.t.key_id\n}\n`;
    for (const kept of ['"alias/dynamodb/t"', '"alias/dynamodb/${ aws_dynamodb_table.t.name }"'])
      expect(await fix('main.tf', tf(kept)), kept).toContain('"alias/dynamodb/${aws_dynamodb_table.t.name}-2"');
    const cfn =
      'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: orders\n' +
      '  OrdersKeyAlias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/dynamodb/orders\n      TargetKeyId: k\n';
    expect(await fix('template.yaml', cfn)).toMatch(/AliasName: !Sub .alias\/dynamodb\/\$\{Orders\}-2./);
    // A table name and a kept alias written with the same Sub (round 29: `orders-${Stage}`).
    const staged = cfn
      .replace('TableName: orders', 'TableName: !Sub orders-${Stage}')
      .replace('AliasName: alias/dynamodb/orders', 'AliasName: !Sub alias/dynamodb/orders-${Stage}');
    expect(await fix('template.yaml', `Parameters:\n  Stage:\n    Type: String\n${staged}`)).toContain("!Sub 'alias/dynamodb/${Orders}-2'");
  });
});
