/**
 * Tables a resource policy shares with other accounts, in code (src/formats/typescript/resourcePolicy.ts,
 * src/formats/pulumi-yaml/resourcePolicy.ts): a generated key lets only the table's own account use it
 * (kms:CallerAccount), so such a table is not fixed, as CloudFormation's and Terraform's are not.
 * Fixture: typescript/cdk-resource-policy.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function tablesOf(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables.map((t) => ({ address: t.address, fixable: t.fixable, message: t.message }));
}

/** [address, fixable, the accounts (or what cannot be read) the message names] of a CDK stack's tables. */
async function cdk(body: string) {
  const text = `import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Table, TableV2, CfnTable, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
const partitionKey = { name: 'id', type: AttributeType.STRING };
declare function makePolicy(): iam.PolicyDocument;
export class S extends cdk.Stack {
  constructor(scope: Construct, id: string, fn: { role: iam.IRole }) {
    super(scope, id);
${body}
  }
}
`;
  return (await tablesOf('stack.ts', text)).map((t) => [t.address, t.fixable, grantsIn(t.message)]);
}

function grantsIn(message: string): string {
  const m = /its resource policy (.*?) (grants principals of (.*?), and|is `(.*?)`, which kmsfix cannot read)/.exec(message);
  return m ? (m[3] ?? `unreadable ${m[4]}`) : '';
}

describe('AWS CDK: a table shared with another account is not fixed', () => {
  it('the resourcePolicy prop: another account blocks, this account does not', async () => {
    expect(
      await cdk(`    new Table(this, 'Shared', { partitionKey, resourcePolicy: new iam.PolicyDocument({ statements: [
      new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('111122223333')], actions: ['dynamodb:GetItem'], resources: ['*'] }),
    ] }) });
    const reader = new iam.Role(this, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    new TableV2(this, 'Own', { partitionKey, resourcePolicy: new iam.PolicyDocument({ statements: [
      new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal(), new iam.AccountPrincipal(this.account), reader,
        new iam.ArnPrincipal(\`arn:aws:iam::\${cdk.Stack.of(this).account}:role/app\`), new iam.ServicePrincipal('lambda.amazonaws.com')],
        actions: ['dynamodb:GetItem'], resources: ['*'] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['dynamodb:DeleteTable'], resources: ['*'] }),
    ] }) });`),
    ).toEqual([
      ['Shared', false, 'account 111122223333'],
      ['Own', true, ''],
    ]);
  });

  it('addToResourcePolicy on the table (not on another construct), with principals added to the statement later', async () => {
    expect(
      await cdk(`    const a = new Table(this, 'A', { partitionKey });
    const b = new Table(this, 'B', { partitionKey });
    const bucket = new s3.Bucket(this, 'Bucket');
    const st = new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: ['*'] });
    st.addArnPrincipal('arn:aws:iam::444455556666:role/analytics');
    a.addToResourcePolicy(st);
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['*'] }));`),
    ).toEqual([
      ['A', false, 'account 444455556666'],
      ['B', true, ''],
    ]);
  });

  it("this.<field> of another class is another object (wasedatime-backend: a bucket's public-read policy in a sibling class)", async () => {
    const text = `import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
export class SyllabusPipeline extends Construct {
  readonly dataWarehouse: Table;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dataWarehouse = new Table(this, 'Syllabus', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  }
}
export class ThumbnailPipeline extends Construct {
  readonly dataWarehouse: s3.Bucket;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dataWarehouse = new s3.Bucket(this, 'Thumbnails');
    this.dataWarehouse.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal('*')], actions: ['s3:GetObject'], resources: ['*'] }));
  }
}
`;
    const [t] = await tablesOf('pipelines.ts', text);
    expect(t.fixable, t.message).toBe(true);
    // In the table's own class, as before.
    const own = text.replace(
      "this.dataWarehouse = new Table(this, 'Syllabus', { partitionKey: { name: 'id', type: AttributeType.STRING } });",
      "this.dataWarehouse = new Table(this, 'Syllabus', { partitionKey: { name: 'id', type: AttributeType.STRING } });\n    this.dataWarehouse.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('444455556666')], actions: ['dynamodb:Query'], resources: ['*'] }));",
    );
    expect((await tablesOf('pipelines.ts', own))[0].fixable).toBe(false);
  });

  it('a grant to a principal of another account (CDK writes it into the resource policy), not to a role of the app', async () => {
    expect(
      await cdk(`    const a = new Table(this, 'A', { partitionKey });
    a.grantReadData(new iam.AccountPrincipal('111122223333'));
    const b = new Table(this, 'B', { partitionKey });
    b.grantReadWriteData(fn.role);
    b.grantStreamRead(new iam.Role(this, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    const c = new Table(this, 'C', { partitionKey });
    c.grant(new iam.AnyPrincipal(), 'dynamodb:GetItem');`),
    ).toEqual([
      ['A', false, 'account 111122223333'],
      ['B', true, ''],
      ['C', false, 'any account ("*")'],
    ]);
  });

  it('a policy the file does not show blocks the table (it may grant another account)', async () => {
    expect(await cdk(`    new Table(this, 'A', { partitionKey, resourcePolicy: makePolicy() });`)).toEqual([
      ['A', false, 'unreadable makePolicy()'],
    ]);
  });

  it("a TableV2's stream policy: streamResourcePolicy (prop or setter), addToStreamResourcePolicy (real-world round 25)", async () => {
    const other = `new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('111122223333')], actions: ['dynamodb:GetRecords'], resources: ['*'] })`;
    expect(
      await cdk(`    new TableV2(this, 'Prop', { partitionKey, dynamoStream: cdk.aws_dynamodb.StreamViewType.NEW_IMAGE,
      streamResourcePolicy: new iam.PolicyDocument({ statements: [${other}] }) });
    const set = new TableV2(this, 'Set', { partitionKey, dynamoStream: cdk.aws_dynamodb.StreamViewType.NEW_IMAGE });
    set.streamResourcePolicy = new iam.PolicyDocument({ statements: [${other}] });
    const added = new TableV2(this, 'Added', { partitionKey, dynamoStream: cdk.aws_dynamodb.StreamViewType.NEW_IMAGE });
    added.addToStreamResourcePolicy(${other});`),
    ).toEqual([
      ['Prop', false, 'account 111122223333'],
      ['Set', false, 'account 111122223333'],
      ['Added', false, 'account 111122223333'],
    ]);
  });

  it("a resource policy letting DynamoDB's cross-account replication in (a multi-account global table)", async () => {
    const text = `import * as iam from 'aws-cdk-lib/aws-iam';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
export function make(scope: any) {
  const t = new Table(scope, 'Source', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  t.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('replication.dynamodb.amazonaws.com')], actions: ['dynamodb:*'], resources: ['*'] }));
}
`;
    const [t] = await tablesOf('stack.ts', text);
    expect([t.fixable, t.message]).toEqual([false, expect.stringContaining("lets DynamoDB's cross-account replication in")]);
  });

  it("a CfnTable's resourcePolicy written as a policy document", async () => {
    expect(
      await cdk(`    new CfnTable(this, 'A', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], resourcePolicy: { policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: 'dynamodb:GetItem', Resource: '*' }],
    } } });`),
    ).toEqual([['A', false, 'account 111122223333']]);
  });
});

describe('Pulumi and CDK for Terraform: a resource policy resource naming the table', () => {
  it('Pulumi TypeScript: aws.dynamodb.ResourcePolicy, the policy through apply and JSON.stringify', async () => {
    const text = `import * as aws from '@pulumi/aws';
const current = aws.getCallerIdentityOutput();
const shared = new aws.dynamodb.Table('shared', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
new aws.dynamodb.ResourcePolicy('shared-policy', {
  resourceArn: shared.arn,
  policy: shared.arn.apply((arn) => JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'dynamodb:GetItem', Resource: arn }] })),
});
const own = new aws.dynamodb.Table('own', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
new aws.dynamodb.ResourcePolicy('own-policy', {
  resourceArn: own.streamArn,
  policy: pulumi.jsonStringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: pulumi.interpolate\`arn:aws:iam::\${current.accountId}:root\` }, Action: 'dynamodb:GetItem', Resource: own.arn }] }),
});
`;
    const tables = await tablesOf('index.ts', text);
    expect(tables.map((t) => [t.address, t.fixable, grantsIn(t.message)])).toEqual([
      ['shared', false, 'account 111122223333'],
      // pulumi.interpolate is not read: the principal may be another account's.
      ['own', false, expect.stringContaining('current.accountId')],
    ]);
  });

  it('CDK for Terraform: DynamodbResourcePolicy with Fn.jsonencode', async () => {
    const text = `import { Construct } from 'constructs';
import { Fn, TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const t = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
    new DynamodbResourcePolicy(this, 'orders-policy', { resourceArn: t.arn, policy: Fn.jsonencode({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'dynamodb:GetItem', Resource: t.arn }] }) });
  }
}
`;
    const tables = await tablesOf('main.ts', text);
    expect(tables.map((t) => [t.address, t.fixable, grantsIn(t.message)])).toEqual([['orders', false, 'any account ("*")']]);
  });

  it('Pulumi YAML: aws:dynamodb:ResourcePolicy with fn::toJSON; the caller identity is this account', async () => {
    const text = `name: shared
runtime: yaml
variables:
  current:
    fn::invoke:
      function: aws:getCallerIdentity
resources:
  shared:
    type: aws:dynamodb:Table
    properties: { attributes: [{ name: id, type: S }], hashKey: id }
  sharedPolicy:
    type: aws:dynamodb:ResourcePolicy
    properties:
      resourceArn: \${shared.arn}
      policy:
        fn::toJSON:
          Statement:
            - Effect: Allow
              Principal:
                AWS: arn:aws:iam::111122223333:root
              Action: dynamodb:GetItem
              Resource: \${shared.arn}
  own:
    type: aws:dynamodb:Table
    properties: { attributes: [{ name: id, type: S }], hashKey: id }
  ownPolicy:
    type: aws:dynamodb:ResourcePolicy
    properties:
      resourceArn: \${own.arn}
      policy: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\${current.accountId}:root"},"Action":"dynamodb:GetItem","Resource":"*"}]}'
`;
    const tables = await tablesOf('Pulumi.yaml', text);
    expect(tables.map((t) => [t.address, t.fixable, grantsIn(t.message)])).toEqual([
      ['shared', false, 'account 111122223333'],
      ['own', true, ''],
    ]);
  });
});

describe('Pulumi: the policy returned from a callback block', () => {
  it('reads `return JSON.stringify(...)` in an apply callback', async () => {
    const text = `import * as aws from '@pulumi/aws';
const t = new aws.dynamodb.Table('t', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
new aws.dynamodb.ResourcePolicy('p', {
  resourceArn: t.arn,
  policy: t.arn.apply((arn) => {
    const doc = { Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/r'] }, Action: 'dynamodb:GetItem', Resource: arn }] };
    return JSON.stringify(doc);
  }),
});
`;
    const tables = await tablesOf('index.ts', text);
    expect(tables.map((x) => [x.address, x.fixable, grantsIn(x.message)])).toEqual([['t', false, 'account 111122223333']]);
  });
});

describe('a zero-ETL source table in code: its resource policy lets Redshift or Glue in as their service (real-world round 25)', () => {
  it('AWS CDK: a ServicePrincipal in addToResourcePolicy or resourcePolicy; a grant to one; lambda.amazonaws.com changes nothing', async () => {
    const statement = (service: string) =>
      `new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('${service}')], actions: ['dynamodb:ExportTableToPointInTime'], resources: ['*'] })`;
    expect(
      await cdk(`    const redshift = new Table(this, 'Redshift', { partitionKey });
    redshift.addToResourcePolicy(${statement('redshift.amazonaws.com')});
    new TableV2(this, 'Glue', { partitionKey, resourcePolicy: new iam.PolicyDocument({ statements: [${statement('glue.amazonaws.com')}] }) });
    const granted = new Table(this, 'Granted', { partitionKey });
    granted.grant(new iam.ServicePrincipal('redshift.amazonaws.com'), 'dynamodb:ExportTableToPointInTime');
    const lambda = new Table(this, 'Lambda', { partitionKey });
    lambda.addToResourcePolicy(${statement('lambda.amazonaws.com')});
    const added = new Table(this, 'Added', { partitionKey });
    const st = new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: ['*'] });
    st.addServicePrincipal('glue.amazonaws.com');
    added.addToResourcePolicy(st);
    const REDSHIFT = 'redshift.amazonaws.com';
    const byConst = new Table(this, 'ByConst', { partitionKey });
    byConst.grant(new iam.ServicePrincipal(REDSHIFT), 'dynamodb:DescribeTable');`),
    ).toEqual([
      ['Redshift', false, ''],
      ['Glue', false, ''],
      ['Granted', false, ''],
      ['Lambda', true, ''],
      ['Added', false, ''],
      ['ByConst', false, ''],
    ]);
    const [t] = await tablesOf(
      'stack.ts',
      `import * as iam from 'aws-cdk-lib/aws-iam';\nimport { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';\n` +
        `declare const stack: any;\nconst t = new Table(stack, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING } });\n` +
        `t.addToResourcePolicy(${statement('redshift.amazonaws.com')});\n`,
    );
    expect(t.message).toContain('grants the service redshift.amazonaws.com, and a key kmsfix generates');
  });

  it('Pulumi TypeScript (getPolicyDocument, type "Service") and Pulumi YAML (Principal: Service)', async () => {
    const ts = `import * as aws from "@pulumi/aws";
const orders = new aws.dynamodb.Table("orders", { hashKey: "pk", attributes: [{ name: "pk", type: "S" }] });
new aws.dynamodb.ResourcePolicy("etl", {
    resourceArn: orders.arn,
    policy: aws.iam.getPolicyDocumentOutput({
        statements: [{ principals: [{ type: "Service", identifiers: ["redshift.amazonaws.com"] }], actions: ["dynamodb:DescribeTable"], resources: ["*"] }],
    }).json,
});
`;
    expect((await tablesOf('index.ts', ts)).map((t) => [t.address, t.fixable])).toEqual([['orders', false]]);
    const yaml = `name: etl
runtime: yaml
resources:
  orders:
    type: aws:dynamodb:Table
    properties: { attributes: [{ name: pk, type: S }], hashKey: pk }
  etl:
    type: aws:dynamodb:ResourcePolicy
    properties:
      resourceArn: \${orders.arn}
      policy:
        fn::toJSON:
          Statement:
            - Effect: Allow
              Principal:
                Service: glue.amazonaws.com
              Action: dynamodb:ExportTableToPointInTime
              Resource: "*"
`;
    const [y] = await tablesOf('Pulumi.yaml', yaml);
    expect([y.fixable, y.message.includes('grants the service glue.amazonaws.com')]).toEqual([false, true]);
  });

  it('an integration resource whose sourceArn is the table: CDK CfnIntegration, Pulumi redshift.Integration, CDKTF, Pulumi YAML (adversarial pass)', async () => {
    const cdkText = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as redshift from 'aws-cdk-lib/aws-redshift';
export class S extends cdk.Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const orders = new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const other = new dynamodb.Table(this, 'Other', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new redshift.CfnIntegration(this, 'ZeroEtl', { sourceArn: orders.tableArn, targetArn: 'arn:aws:redshift-serverless:eu-west-1:111122223333:namespace/n' });
  }
}
`;
    expect((await tablesOf('stack.ts', cdkText)).map((t) => [t.address, t.fixable])).toEqual([
      ['Orders', false],
      ['Other', true],
    ]);
    const [orders] = await tablesOf('stack.ts', cdkText);
    expect(orders.message).toMatch(/then set encryption(Key)? to it/);
    expect(orders.message).not.toContain('undefined');
    const pulumiText = `import * as aws from "@pulumi/aws";
const orders = new aws.dynamodb.Table("orders", { hashKey: "pk", attributes: [{ name: "pk", type: "S" }] });
export const etl = new aws.redshift.Integration("etl", { integrationName: "etl", sourceArn: orders.arn, targetArn: "arn:aws:redshift:x" });
`;
    const [p] = await tablesOf('index.ts', pulumiText);
    expect([p.fixable, p.message.includes('the zero-ETL integration etl (line 3)')]).toEqual([false, true]);
    const cdktfText = `import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { RedshiftIntegration } from "@cdktf/provider-aws/lib/redshift-integration";
class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new DynamodbTable(this, "orders", { name: "orders", hashKey: "pk", attribute: [{ name: "pk", type: "S" }] });
    new RedshiftIntegration(this, "etl", { integrationName: "etl", sourceArn: orders.arn, targetArn: "arn:aws:redshift:x" });
  }
}
`;
    expect((await tablesOf('main.ts', cdktfText)).map((t) => t.fixable)).toEqual([false]);
    const yaml = `name: etl
runtime: yaml
resources:
  orders:
    type: aws:dynamodb:Table
    properties: { attributes: [{ name: pk, type: S }], hashKey: pk }
  etl:
    type: aws:redshift:Integration
    properties:
      integrationName: etl
      sourceArn: \${orders.arn}
      targetArn: arn:aws:redshift:x
`;
    expect((await tablesOf('Pulumi.yaml', yaml)).map((t) => t.fixable)).toEqual([false]);
    // Through a variable of the program, and a template literal holding the ARN alone.
    const viaVariable = yaml
      .replace('resources:\n', 'variables:\n  source: ${orders.arn}\nresources:\n')
      .replace('sourceArn: ${orders.arn}', 'sourceArn: ${source}');
    expect((await tablesOf('Pulumi.yaml', viaVariable)).map((t) => t.fixable)).toEqual([false]);
    const template = cdkText.replace('sourceArn: orders.tableArn', 'sourceArn: `${orders.tableArn}`');
    expect((await tablesOf('stack.ts', template)).map((t) => t.fixable)).toEqual([false, true]);
  });
});
