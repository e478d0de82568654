/**
 * A table handed to a construct of an npm package that is not the framework's own (src/formats/typescript/packageConstructs.ts,
 * caution `package-construct`): the package may add a resource policy or a zero-ETL integration kmsfix does not read (deploy
 * review of session 60, F2: dynamodb-zero-etl-s3tables adds glue.amazonaws.com to the table's policy). A note, the table
 * stays fixable; said in scan's message, the JSON report's cautions, fix's notes and the commit message.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { commitMessage, commitText } from '../../../src/report/commitMessage.js';

const CDK_HEAD = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DynamoDbZeroEtlToS3Tables } from 'dynamodb-zero-etl-s3tables';
import * as etl from '@acme/etl-constructs';
import { Local } from './local';
import { LambdaToDynamoDB } from '@aws-solutions-constructs/aws-lambda-dynamodb';
import { attachTable, Pipe, withReplication } from 'table-tools';
import { inspect } from 'node:util';
import { NagSuppressions } from 'cdk-nag';
const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
`;

/** The `package-construct` caution of each table of a CDK stack whose constructor holds `body`, by address. */
async function cdk(body: string) {
  const text = `${CDK_HEAD}export class S extends Stack {
  table: dynamodb.Table;
  constructor(scope: Construct, id: string) {
    super(scope, id);
${body}
  }
}
`;
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [t.address, { fixable: t.fixable, note: t.cautions?.find((c) => c.startsWith('Package construct:')) }]),
  );
}

const ZERO_ETL = 'DynamoDbZeroEtlToS3Tables (dynamodb-zero-etl-s3tables)';

describe('a table passed to a construct of an npm package', () => {
  it('shorthand, this.field, a positional argument, an ARN, nested: a note naming the class and package; the table stays fixable', async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    new DynamoDbZeroEtlToS3Tables(this, 'ZeroEtl', { table: orders });
    const users = new dynamodb.Table(this, 'Users', { partitionKey });
    new DynamoDbZeroEtlToS3Tables(this, 'Users2', { table: users });
    this.table = new dynamodb.Table(this, 'Field', { partitionKey });
    new etl.Exporter(this, 'Exp', { source: { tables: [this.table] } });
    const carts = new dynamodb.TableV2(this, 'Carts', { partitionKey });
    new etl.Shared(this, carts);
    const items = new dynamodb.Table(this, 'Items', { partitionKey });
    new etl.Integration(this, 'I', { sourceArn: items.tableArn });`);
    expect(t.Orders).toEqual({
      fixable: true,
      note:
        `Package construct: the table is passed to ${ZERO_ETL}, a construct of an npm package whose source kmsfix does not read: ` +
        'it may give the table a resource policy or a zero-ETL integration (another account, or a service such as glue.amazonaws.com ' +
        "or redshift.amazonaws.com) that the table's key does not let in. Before deploying, run `cdk synth` on the code before this fix, " +
        'then `kmsfix scan cdk.out`: where it reports this table not fixable for a resource policy, a zero-ETL integration or ' +
        "multi-account replication, do not deploy this table's change until its key's policy lets those principals in",
    });
    expect(t.Users.note).toContain(`passed to ${ZERO_ETL}, a construct`);
    expect(t.Field.note).toContain('passed to etl.Exporter (@acme/etl-constructs), a construct');
    expect(t.Carts.note).toContain('passed to etl.Shared (@acme/etl-constructs), a construct');
    expect(t.Items.note).toContain('passed to etl.Integration (@acme/etl-constructs), a construct');
    expect(t.Items.fixable).toBe(true);
  });

  it("the framework's own constructs, AWS Solutions Constructs, the project's own, a table name and another table: no note", async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    new iam.Role(this, 'R', { assumedBy: new iam.AccountRootPrincipal(), description: orders.tableName });
    new dynamodb.Table(this, 'Copy', { partitionKey, tableName: orders.tableName });
    new Local(this, 'L', { table: orders });
    new LambdaToDynamoDB(this, 'LD', { existingTableObj: orders, lambdaFunctionProps: {} as never });
    new etl.Exporter(this, 'Exp', { name: orders.tableName });
    const other = new dynamodb.Table(this, 'Other', { partitionKey });
    new DynamoDbZeroEtlToS3Tables(this, 'Z', { table: other });`);
    expect(t.Orders.note).toBeUndefined();
    expect(t.Copy.note).toBeUndefined();
    expect(t.Other.note).toContain(ZERO_ETL);
  });

  it('a props const, spreads of a const: the object the construct gets', async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    const props = { table: orders };
    new DynamoDbZeroEtlToS3Tables(this, 'Z', props);
    const users = new dynamodb.Table(this, 'Users', { partitionKey });
    const common = { source: { tables: [users] } };
    new etl.Exporter(this, 'E', { ...common, name: 'x' });
    const carts = new dynamodb.Table(this, 'Carts', { partitionKey });
    const base = { tableArn: carts.tableArn };
    const merged = { ...base, name: 'y' };
    new etl.Shared(this, 'S', merged);
    const items = new dynamodb.Table(this, 'Items', { partitionKey });
    const list = [items];
    new etl.Exporter(this, 'L', { tables: [...list] });`);
    expect(t.Orders.note).toContain(`passed to ${ZERO_ETL}, a construct of an npm package`);
    expect(t.Users.note).toContain('passed to etl.Exporter (@acme/etl-constructs), a construct');
    expect(t.Carts.note).toContain('passed to etl.Shared (@acme/etl-constructs), a construct');
    expect(t.Items.note).toContain('passed to etl.Exporter (@acme/etl-constructs), a construct');
    expect(t.Orders.fixable).toBe(true);
  });

  it("a static member of a package's class, a function a package exports: code of an npm package", async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    etl.Exporter.fromTable(this, 'F', orders);
    const users = new dynamodb.Table(this, 'Users', { partitionKey });
    Pipe.create(this, 'P', { source: users.tableStreamArn });
    const carts = new dynamodb.Table(this, 'Carts', { partitionKey });
    attachTable(this, carts);
    const items = new dynamodb.Table(this, 'Items', { partitionKey });
    const options = { table: items };
    withReplication(options);
    etl.share(items.tableArn);`);
    expect(t.Orders).toEqual({
      fixable: true,
      note: expect.stringContaining(
        'Package construct: the table is passed to etl.Exporter.fromTable (@acme/etl-constructs), code of an npm package whose source kmsfix does not read: it may give',
      ),
    });
    expect(t.Users.note).toContain('passed to Pipe.create (table-tools), code of an npm package');
    expect(t.Carts.note).toContain('passed to attachTable (table-tools), code of an npm package');
    expect(t.Items.note).toContain(
      'passed to withReplication (table-tools) and etl.share (@acme/etl-constructs), code of an npm package whose source kmsfix does not read: they may',
    );
  });

  it("a method of a package construct's instance: a const, a field of the class, written in place, a package factory's result", async () => {
    const text = `${CDK_HEAD}export class S extends Stack {
  pipe: Pipe;
  private readonly api = new etl.Api(this, 'Api2');
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    const api = new etl.Api(this, 'Api');
    api.addDataSource('d', orders);
    const users = new dynamodb.Table(this, 'Users', { partitionKey });
    this.pipe = new Pipe(this, 'P', {});
    this.pipe.addSource(users);
    const carts = new dynamodb.Table(this, 'Carts', { partitionKey });
    this.api.addDataSource('c', { table: carts });
    const items = new dynamodb.Table(this, 'Items', { partitionKey });
    new Pipe(this, 'Q', {}).addSource(items);
    const books = new dynamodb.Table(this, 'Books', { partitionKey });
    Pipe.create(this, 'R').addSource(books);
    const notes = new dynamodb.Table(this, 'Notes', { partitionKey });
    const made = Pipe.create(this, 'S');
    made.addSource(notes);
  }
}
`;
    const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
    const note = (address: string) =>
      r.outcomes[0].tables.find((t) => t.address === address)?.cautions?.find((c) => c.startsWith('Package construct:'));
    expect(note('Orders')).toContain('passed to api.addDataSource (etl.Api, @acme/etl-constructs), code of an npm package');
    expect(note('Users')).toContain('passed to this.pipe.addSource (Pipe, table-tools), code of an npm package');
    expect(note('Carts')).toContain('passed to this.api.addDataSource (etl.Api, @acme/etl-constructs), code');
    expect(note('Items')).toContain('passed to new Pipe(...).addSource (Pipe, table-tools), code');
    expect(note('Books')).toContain('passed to Pipe.create(...).addSource (Pipe.create, table-tools), code');
    expect(note('Notes')).toContain('passed to made.addSource (Pipe.create, table-tools), code');
  });

  it('no table passed, framework, built-in and relative code, methods of their instances: no note', async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    new etl.Exporter(this, 'x', { name: 'orders' });
    etl.Exporter.fromName(this, 'y', 'orders');
    attachTable(this, orders.tableName);
    const props = { name: orders.tableName };
    new DynamoDbZeroEtlToS3Tables(this, 'Z', props);
    const api = new etl.Api(this, 'Api');
    api.addDataSource('d', orders.tableName);
    Stack.of(orders);
    inspect(orders);
    const role = new iam.Role(this, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [orders.tableArn] }));
    const local = new Local(this, 'L');
    local.attach(orders);
    Local.fromTable(this, 'F', orders);
    LambdaToDynamoDB.of(orders);
    Object.assign({}, { table: orders });
    NagSuppressions.addResourceSuppressions(orders, [{ id: 'AwsSolutions-DDB3', reason: 'r' }]);`);
    expect(t.Orders).toEqual({ fixable: true, note: undefined });
  });

  it('logging and utility calls, and calls of a package the file does not show as a construct library: no note', async () => {
    const text = `import { Stack, CfnOutput } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import * as _ from 'lodash';
import { z } from 'zod';
import createDebug from 'debug';
import { Logger } from '@aws-lambda-powertools/logger';
import { describeTable, Registry } from 'table-registry';
import { Pipe } from 'pipe-kit';
const debug = createDebug('app:stack');
const logger = new Logger({ serviceName: 'infra' });
const Names = z.object({ tableName: z.string() });
export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    debug('created %s', orders.tableArn);
    logger.info('table', { arn: orders.tableArn });
    _.pick({ orders }, ['orders']);
    Names.parse({ tableName: orders.tableName });
    describeTable(orders);
    const registry = new Registry();
    registry.add(orders.tableArn);
    console.log(Pipe.describe(orders));
    new Pipe(this, 'P', {});
    new CfnOutput(this, 'OrdersArn', { value: orders.tableArn });
  }
}
`;
    const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
    expect(r.outcomes[0].tables.map((t) => [t.address, t.cautions?.find((c) => c.startsWith('Package construct:'))])).toEqual([
      ['Orders', undefined],
    ]);
  });

  it('a let nothing reassigns holds the instance as a const does; one reassigned is not read', async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    let api = new etl.Api(this, 'Api');
    api.addDataSource('d', orders);
    const users = new dynamodb.Table(this, 'Users', { partitionKey });
    let other = new etl.Api(this, 'Other');
    other = new Local(this, 'L') as never;
    other.addDataSource('u', users);`);
    expect(t.Orders.note).toContain('passed to api.addDataSource (etl.Api, @acme/etl-constructs), code of an npm package');
    expect(t.Users.note).toBeUndefined();
  });

  it('many this-field calls and this-field writes in one class: each call reads its own field', async () => {
    const n = 400;
    const writes = Array.from({ length: n }, (_, i) => `    this.g${i} = Pipe.create(this, 'G${i}');`).join('\n');
    const calls = Array.from({ length: n }, (_, i) => `    this.g${i}.go(${i === n - 1 ? 'orders' : 'orders.tableName'}, ${i});`).join(
      '\n',
    );
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
${writes}
${calls}`);
    expect(t.Orders.note).toContain(`passed to this.g${n - 1}.go (Pipe.create, table-tools), code of an npm package`);
    expect(t.Orders.note).not.toContain(`this.g${n - 2}.go`);
  });

  it('two constructs on one table: both named in one note', async () => {
    const t = await cdk(`    const orders = new dynamodb.Table(this, 'Orders', { partitionKey });
    new DynamoDbZeroEtlToS3Tables(this, 'Z', { table: orders });
    new etl.Exporter(this, 'E', orders);`);
    expect(t.Orders.note).toContain(
      `the table is passed to ${ZERO_ETL} and etl.Exporter (@acme/etl-constructs), constructs of an npm package whose source kmsfix does not read: they may`,
    );
  });

  it('CDK for Terraform: cdktf synth and cdktf.out; Pulumi: the package source and pulumi preview', async () => {
    const cdktf = `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Replicator } from 'tf-replicator';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
    new Replicator(this, 'r', { table: orders });
  }
}
`;
    const pulumi = `import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import { ZeroEtl } from '@acme/pulumi-etl';
const orders = new aws.dynamodb.Table('orders', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
new ZeroEtl('etl', { tableArn: orders.arn });
const users = new aws.dynamodb.Table('users', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
new awsx.ec2.Vpc('vpc', { tags: { t: users.name } });
`;
    const r = await processMemory(
      [
        { path: 'main.ts', text: cdktf },
        { path: 'index.ts', text: pulumi },
      ],
      'scan',
    );
    const note = (address: string) =>
      r.outcomes
        .flatMap((o) => o.tables)
        .find((t) => t.address === address)
        ?.cautions?.find((c) => c.startsWith('Package construct:'));
    expect(note('orders')).toContain(
      'passed to Replicator (tf-replicator), a construct of an npm package whose source kmsfix does not read',
    );
    expect(note('orders')).toContain(
      'Before deploying, run `cdktf synth` on the code before this fix, then `kmsfix scan cdktf.out`: where it reports',
    );
    const p = r.outcomes.find((o) => o.file.path === 'index.ts')!.tables;
    expect(p.find((t) => t.address === 'orders')?.cautions?.[0]).toContain(
      "Before deploying, read the package's source for a resource policy or zero-ETL integration it creates on the table " +
        '(`pulumi preview --diff` shows those it would add; `pulumi stack export` those a deployed stack has): where one lets in another account or such a service, do not deploy',
    );
    expect(p.find((t) => t.address === 'users')?.cautions).toBeUndefined();
  });

  it('fix: the table is fixed, and the note is in the commit message, with the table', async () => {
    const text = `${CDK_HEAD}export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new dynamodb.Table(this, 'Orders', { partitionKey });
    new DynamoDbZeroEtlToS3Tables(this, 'ZeroEtl', { table });
  }
}
`;
    const r = await processMemory([{ path: 'stack.ts', text }], 'fix');
    expect(r.output.get('stack.ts')).toContain('encryptionKey');
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    expect(m).toContain(`* Package construct: the table is passed to ${ZERO_ETL}, a construct of an npm package`);
    expect(m).toContain("until its key's policy lets those principals in (Orders).");
  });
});
