/**
 * A table's own settings held in a const the file changes after its declaration (adversarial pass 2 of session 58,
 * F2): Pulumi table args, a CDKTF config, CDK TableProps / TableV2 / CfnTable props, a serverless.ts resource const
 * (or a const that holds the resource deeper) are not read by their initializers. The table is `unknown`, the change's
 * line named (src/formats/typescript/mutatedConsts.ts); a const only read (spread, given to the constructor or to a
 * call that only reads, READERS) is read and fixed as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function tables(path: string, text: string, mode: 'scan' | 'fix' = 'scan') {
  const r = await processMemory([{ path, text }], mode, {});
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [t.address, { status: t.status, message: t.message, fixed: t.fixed === true }]),
  );
}

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('Pulumi table args in a const the file changes after its declaration', () => {
  const pulumi =
    "import * as aws from '@pulumi/aws';\n" +
    "const key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
    "const a1: aws.dynamodb.TableArgs = { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } };\n" +
    "if (process.env.CHEAP === '1') {\n  a1.serverSideEncryption = { enabled: false };\n}\n" +
    "const a2: aws.dynamodb.TableArgs = { hashKey: 'id' };\nObject.assign(a2, { serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } });\n" +
    "const a3: aws.dynamodb.TableArgs = { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } };\ndelete a3.serverSideEncryption;\n" +
    "declare function tune(a: aws.dynamodb.TableArgs): void;\nconst a4: aws.dynamodb.TableArgs = { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } };\ntune(a4);\n" +
    "export const t1 = new aws.dynamodb.Table('t1', a1);\n" +
    "export const t2 = new aws.dynamodb.Table('t2', a2);\n" +
    "export const t3 = new aws.dynamodb.Table('t3', a3);\n" +
    "export const t4 = new aws.dynamodb.Table('t4', a4);\n";

  it('changed by assignment, Object.assign, delete or a call: unknown, the change named, never its initializer', async () => {
    const v = await tables('index.ts', pulumi);
    expect(v.t1.status).toBe('unknown');
    expect(v.t1.message).toContain(
      'props are a1, a const the file changes after its declaration (line 5: a1.serverSideEncryption = { enabled: false }), so kmsfix cannot see their encryption',
    );
    expect(v.t2.status).toBe('unknown');
    expect(v.t2.message).toContain('a2, a const the file changes after its declaration (line 8: Object.assign(a2, {');
    expect(v.t3.status).toBe('unknown');
    expect(v.t3.message).toContain('(line 10: delete a3.serverSideEncryption)');
    expect(v.t4.status).toBe('unknown');
    expect(v.t4.message).toContain('(line 13: tune(a4))');
  });

  it('a const only given to the constructor, spread or logged: read as written, fixed', async () => {
    const v = await tables(
      'index.ts',
      "import * as aws from '@pulumi/aws';\n" +
        "const args: aws.dynamodb.TableArgs = { hashKey: 'id' };\n" +
        "const base: aws.dynamodb.TableArgs = { hashKey: 'id' };\n" +
        "export const plain = new aws.dynamodb.Table('plain', args);\n" +
        "export const spread = new aws.dynamodb.Table('spread', { ...base, billingMode: 'PAY_PER_REQUEST' });\n" +
        'console.log(JSON.stringify(args), base);\n',
      'fix',
    );
    expect(v.plain).toMatchObject({ status: 'aws-owned', fixed: true });
    expect(v.spread).toMatchObject({ status: 'aws-owned', fixed: true });
  });
});

describe('CDKTF and CDK props in a const the file changes after its declaration', () => {
  it('CDKTF DynamodbTable config: unknown', async () => {
    const v = await tables(
      'main.ts',
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\n" +
        "import { DynamodbTable, DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';\n" +
        'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
        `    const config: DynamodbTableConfig = { name: 'orders', hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: '${ARN}' } };\n` +
        '    config.serverSideEncryption = undefined;\n' +
        "    new DynamodbTable(this, 'orders', config);\n  }\n}\n",
    );
    expect(v.orders.status).toBe('unknown');
    expect(v.orders.message).toContain('(line 8: config.serverSideEncryption = undefined)');
  });

  it('CDK Table, TableV2 and CfnTable props: unknown; the same consts unchanged: read (customer-managed)', async () => {
    const text =
      "import * as cdk from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as kms from 'aws-cdk-lib/aws-kms';\n" +
      "import { Construct } from 'constructs';\n" +
      'export class S extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id, { env: { region: "us-east-1" } });\n' +
      "    const key = new kms.Key(this, 'K', { enableKeyRotation: true });\n" +
      "    const p1: dynamodb.TableProps = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key };\n" +
      "    const p2: dynamodb.TablePropsV2 = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryptionV2.customerManagedKey(key) };\n" +
      "    const p3: dynamodb.CfnTableProps = { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: key.keyArn } };\n" +
      '    (p1 as any).encryption = dynamodb.TableEncryption.AWS_MANAGED;\n' +
      '    Object.assign(p2, { encryption: dynamodb.TableEncryptionV2.awsManagedKey() });\n' +
      '    delete (p3 as any).sseSpecification;\n' +
      "    new dynamodb.Table(this, 'T1', p1);\n    new dynamodb.TableV2(this, 'T2', p2);\n    new dynamodb.CfnTable(this, 'T3', p3);\n  }\n}\n";
    const v = await tables('stack.ts', text);
    expect(v.T1.status).toBe('unknown');
    expect(v.T1.message).toContain('p1, a const the file changes after its declaration (line 12: (p1 as any).encryption =');
    expect(v.T2.status).toBe('unknown');
    expect(v.T2.message).toContain('(line 13: Object.assign(p2, {');
    expect(v.T3.status).toBe('unknown');
    expect(v.T3.message).toContain('(line 14: delete (p3 as any).sseSpecification)');
    const still = await tables('stack.ts', text.replace(/ {4}(\(p1|Object\.assign|delete).*\n/g, ''));
    for (const t of ['T1', 'T2', 'T3']) expect([t, still[t].status]).toEqual([t, 'customer-managed']);
  });

  it('a const given to a helper of the file that spreads it: read through the helper, as before; changed besides: unknown', async () => {
    const text = (change: string) =>
      "import * as cdk from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport { Construct } from 'constructs';\n" +
      'export class S extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      '    function createTable(scope: Construct, name: string, customProps?: dynamodb.TableProps) {\n' +
      "      const props: dynamodb.TableProps = customProps || { partitionKey: { name: 'Name', type: dynamodb.AttributeType.STRING } };\n" +
      '      return new dynamodb.Table(scope, name, { pointInTimeRecovery: true, ...props });\n    }\n' +
      "    const history: dynamodb.TableProps = { partitionKey: { name: 'Id', type: dynamodb.AttributeType.STRING } };\n" +
      change +
      "    createTable(this, 'History', history);\n  }\n}\n";
    const read = await tables('stack.ts', text(''));
    expect(read.name).toMatchObject({ status: 'aws-owned' });
    const changed = await tables('stack.ts', text('    (history as any).encryption = dynamodb.TableEncryption.AWS_MANAGED;\n'));
    expect(changed.name.status).toBe('unknown');
  });
});

describe('serverless.ts: a resource in a const the file changes after its declaration', () => {
  const service = (before: string, resources: string, after = '') =>
    "import type { AWS } from '@serverless/typescript';\n" +
    before +
    "const serverlessConfiguration: AWS = {\n  service: 'orders',\n  provider: { name: 'aws', runtime: 'nodejs18.x' },\n" +
    `  resources: { Resources: ${resources} },\n};\n` +
    after +
    'module.exports = serverlessConfiguration;\n';
  const orders =
    "{ Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], " +
    `SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: '${ARN}' } } }`;

  it('the resource const, a const of resources, or the configuration changed where the resource is: unknown, the change named', async () => {
    const own = await tables(
      'serverless.ts',
      service(
        `const ordersTable = ${orders};\nordersTable.Properties.SSESpecification = { SSEEnabled: false } as any;\n`,
        '{ Orders: ordersTable }',
      ),
    );
    expect(own.ordersTable.status).toBe('unknown');
    expect(own.ordersTable.message).toContain(
      "the table's resource is held in ordersTable, a const the file changes after its declaration (line 3: ordersTable.Properties.SSESpecification =",
    );
    const map = await tables(
      'serverless.ts',
      service(
        `const tables = { Orders: ${orders} };\nObject.assign(tables.Orders.Properties.SSESpecification, { SSEEnabled: false });\n`,
        '{ ...tables }',
      ),
    );
    expect(map.Orders.status).toBe('unknown');
    expect(map.Orders.message).toContain(
      'held in tables, a const the file changes after its declaration (line 3: Object.assign(tables.Orders',
    );
    const config = await tables(
      'serverless.ts',
      service(
        '',
        `{ Orders: ${orders} }`,
        "(serverlessConfiguration.resources as any)['Resources'].Orders = { Type: 'AWS::SNS::Topic' };\n",
      ),
    );
    expect(config.Orders.status).toBe('unknown');
    expect(config.Orders.message).toContain('held in serverlessConfiguration, a const the file changes after its declaration (line 7:');
  });

  it('a change elsewhere in the configuration, or its export, leaves the resource read as written', async () => {
    const v = await tables(
      'serverless.ts',
      service(
        '',
        `{ Orders: ${orders} }`,
        "serverlessConfiguration.provider.stage = 'dev';\n(serverlessConfiguration as any).custom = {};\n",
      ),
    );
    expect(v.Orders.status).toBe('customer-managed');
  });

  it('a key const the file changes: its initializer is not read', async () => {
    const text = (after: string) =>
      "import type { AWS } from '@serverless/typescript';\n" +
      "const keyArn = { 'Fn::GetAtt': ['OrdersKey', 'Arn'] };\n" +
      after +
      "const serverlessConfiguration: AWS = {\n  service: 'orders',\n  provider: { name: 'aws', runtime: 'nodejs18.x' },\n  resources: { Resources: {\n" +
      "    OrdersKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },\n" +
      "    Orders: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } } },\n" +
      '  } },\n};\nmodule.exports = serverlessConfiguration;\n';
    expect((await tables('serverless.ts', text(''))).Orders.status).toBe('customer-managed');
    const changed = await tables('serverless.ts', text("keyArn['Fn::GetAtt'] = ['alias/aws/dynamodb', 'Arn'];\n"));
    expect(changed.Orders.status).toBe('unknown');
  });
});
