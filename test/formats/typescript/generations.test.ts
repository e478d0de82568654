/**
 * Older generations of the frameworks' packages (issue 18): AWS CDK v1 (`@aws-cdk/aws-dynamodb`, also
 * as `import x = require(...)`), and @cdktf/provider-aws before its `lib/<resource>` layout (one
 * namespace per service). Their tables are found and reported as the current ones are; a limit is a
 * reason (`fixable: false`), never a skipped table. The fixes are in fixtures/typescript/cdk-v1-* and
 * cdktf-namespaced-*.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables;
}

describe('AWS CDK v1', () => {
  it('finds Table and CfnTable in every import style, reported under v1 names', async () => {
    const tables = await scan(`import dynamodb = require('@aws-cdk/aws-dynamodb');
import * as ddb from '@aws-cdk/aws-dynamodb';
import { Table as T, TableEncryption } from '@aws-cdk/aws-dynamodb';
import * as cdk from '@aws-cdk/core';
export class S extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new ddb.CfnTable(this, 'B', { keySchema: [] });
    new T(this, 'C', { partitionKey: { name: 'id', type: ddb.AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
  }
}
`);
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['A', '@aws-cdk/aws-dynamodb.Table', 'aws-owned', true],
      ['B', '@aws-cdk/aws-dynamodb.CfnTable', 'aws-owned', true],
      ['C', '@aws-cdk/aws-dynamodb.Table', 'aws-managed', true],
    ]);
  });

  it('the CDK before 1.0 (@aws-cdk/cdk): reported, not fixable, with the reason', async () => {
    const [t] = await scan(`import dynamodb = require('@aws-cdk/aws-dynamodb');
import cdk = require('@aws-cdk/cdk');
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'Items', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`);
    expect([t.address, t.status, t.fixable]).toEqual(['Items', 'aws-owned', false]);
    expect(t.blocker).toMatch(/@aws-cdk\/cdk, the AWS CDK before 1\.0.*no TableEncryption/);
  });
});

describe('AWS CDK v1 as one package (monocdk), aws-cdk-lib 2.0.0-rc deep paths, and v1 GlobalTable (real-world round 15)', () => {
  async function fix(text: string) {
    const r = await processMemory([{ path: 'stack.ts', text }], 'fix');
    expect(r.outcomes[0].error).toBeUndefined();
    return { tables: r.outcomes[0].tables, out: r.output.get('stack.ts') ?? text };
  }

  it('monocdk (dingcheng/open-tesla-dash): its submodules and its root, read as CDK v1 and fixed with monocdk imports', async () => {
    const sub = await fix(`import { AttributeType, Table, TableEncryption } from 'monocdk/aws-dynamodb';
import { Construct } from 'monocdk';
export class Tables extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Users', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    new Table(this, 'Tokens', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
  }
}
`);
    expect(sub.tables.map((t) => [t.address, t.type, t.status, t.fixed])).toEqual([
      ['Users', 'monocdk.aws_dynamodb.Table', 'aws-owned', true],
      ['Tokens', 'monocdk.aws_dynamodb.Table', 'aws-managed', true],
    ]);
    expect(sub.out).toContain("import { Aws, Construct } from 'monocdk';");
    expect(sub.out).toContain("import { Key } from 'monocdk/aws-kms';");
    expect(sub.out).toContain("from 'monocdk/aws-iam';");
    expect(sub.out).not.toMatch(/aws-cdk-lib|@aws-cdk\//);
    const root = await fix(`import { Stack, StackProps, aws_dynamodb as dynamodb } from 'monocdk';
export class S extends Stack {
  constructor(scope: Stack, id: string, props?: StackProps) {
    super(scope, id, props);
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`);
    expect(root.tables.map((t) => [t.address, t.status, t.fixed])).toEqual([['Orders', 'aws-owned', true]]);
    expect(root.out).toMatch(/from 'monocdk(\/aws-kms)?';/);
    expect(root.out).not.toMatch(/aws-cdk-lib|@aws-cdk\//);
  });

  it("aws-cdk-lib 2.0.0-rc's deep path (cdkbook/examples): read, and new imports written by the same path", async () => {
    const rc = await fix(`import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/lib/aws-dynamodb';
export class S extends Stack {
  constructor(scope: Stack, id: string) {
    super(scope, id);
    new Table(this, 'SomeTable', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  }
}
`);
    expect(rc.tables.map((t) => [t.address, t.status, t.fixed])).toEqual([['SomeTable', 'aws-owned', true]]);
    expect(rc.out).toContain("import { Key } from 'aws-cdk-lib/lib/aws-kms';");
    expect(rc.out).toContain("import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/lib/aws-dynamodb';");
  });

  it("@aws-cdk/aws-dynamodb-global's GlobalTable: one row, its props' status, never fixed (global tables 2017.11.29)", async () => {
    const global = await fix(`import { AttributeType } from '@aws-cdk/aws-dynamodb';
import { GlobalTable } from '@aws-cdk/aws-dynamodb-global';
import { App } from '@aws-cdk/core';
const app = new App();
new GlobalTable(app, 'globdynamodb', {
  partitionKey: { name: 'hashKey', type: AttributeType.STRING },
  tableName: 'GlobalTable',
  regions: ['us-east-1', 'us-east-2', 'us-west-2'],
});
`);
    expect(global.tables.map((t) => [t.address, t.type, t.status, t.fixable, t.fixed ?? false])).toEqual([
      ['globdynamodb', '@aws-cdk/aws-dynamodb-global.GlobalTable', 'aws-owned', false, false],
    ]);
    expect(global.tables[0].blocker).toMatch(/GlobalTable creates this table in each Region.*version 2017\.11\.29/);
  });
});

describe('AWS CDK v1: the version the project declares (package.json)', () => {
  // Read in the packages' typings (npm pack): TableEncryption and Table's encryption/encryptionKey since
  // @aws-cdk/aws-dynamodb 1.39.0, sid in @aws-cdk/aws-iam's PolicyStatement props since 1.28.0, CfnTable's
  // sseSpecification.kmsMasterKeyId since 1.8.0. fixtures/typescript/cdk-v1-before-1.39: 1.22.0, nothing fixed.
  const stack = `import cdk = require('@aws-cdk/core');
import dynamodb = require('@aws-cdk/aws-dynamodb');
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'Settings', { serverSideEncryption: true, partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new dynamodb.CfnTable(this, 'Registrations', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }] });
  }
}
`;
  async function scanWith(packages: Record<string, object>) {
    const files = Object.entries(packages).map(([p, pkg]) => ({ path: p, text: JSON.stringify(pkg) }));
    const r = await processMemory([{ path: 'app/lib/stack.ts', text: stack }, ...files], 'scan');
    const o = r.outcomes.find((x) => x.file.path === 'app/lib/stack.ts')!;
    return Object.fromEntries(o.tables.map((t) => [t.address, t.fixable ? 'fixable' : t.blocker]));
  }
  const dynamodb = (range: string) => ({ dependencies: { '@aws-cdk/aws-dynamodb': range, '@aws-cdk/core': range } });

  it('1.22.0 (aws-solutions/smart-product-solution): neither fixable, the step names the version to upgrade to', async () => {
    const r = await scanWith({ 'app/package.json': dynamodb('1.22.0') });
    expect(r.Settings).toMatch(
      /@aws-cdk\/aws-dynamodb 1\.22\.0, whose CDK v1 has no TableEncryption.*\(added in 1\.39\.0\), nor sid .*\(added in 1\.28\.0\).*upgrade @aws-cdk\/aws-dynamodb, @aws-cdk\/aws-kms, @aws-cdk\/aws-iam and @aws-cdk\/core to 1\.39\.0 or later.*addPropertyOverride\('SSESpecification'/,
    );
    expect(r.Registrations).toMatch(
      /no sid \(the key policy's statement ids\) in @aws-cdk\/aws-iam's PolicyStatement props \(added in 1\.28\.0\).*to 1\.28\.0 or later/,
    );
    expect(r.Registrations).not.toMatch(/TableEncryption|kmsMasterKeyId/);
  });

  it('1.6.1: CfnTable also lacks sseSpecification.kmsMasterKeyId', async () => {
    expect((await scanWith({ 'package.json': dynamodb('~1.6.1') })).Registrations).toMatch(
      /no sid .*\(added in 1\.28\.0\), nor sseType nor kmsMasterKeyId in CfnTable's sseSpecification \(added in 1\.8\.0\).*to 1\.28\.0 or later/,
    );
  });

  it('the first versions that have it: 1.38.0 and 1.39.0 for Table, 1.27.0 and 1.28.0 for CfnTable', async () => {
    expect(await scanWith({ 'package.json': dynamodb('1.38.0') })).toEqual({
      Settings: expect.stringContaining('1.39.0'),
      Registrations: 'fixable',
    });
    expect(await scanWith({ 'package.json': dynamodb('1.39.0') })).toEqual({ Settings: 'fixable', Registrations: 'fixable' });
    expect((await scanWith({ 'package.json': dynamodb('1.27.0') })).Registrations).toMatch(/1\.28\.0 or later/);
    expect((await scanWith({ 'package.json': dynamodb('1.28.0') })).Registrations).toBe('fixable');
  });

  it('a range by its lowest version; the nearest package.json that lists it; none, or no floor: fixed as before', async () => {
    expect((await scanWith({ 'package.json': dynamodb('^1.30.0') })).Settings).toMatch(/\^1\.30\.0, whose CDK v1 has no TableEncryption/);
    expect((await scanWith({ 'package.json': dynamodb('>=1.38.0 <2') })).Settings).toMatch(/1\.39\.0 or later/);
    expect((await scanWith({ 'package.json': dynamodb('^1.39.0') })).Settings).toBe('fixable');
    expect((await scanWith({ 'package.json': { devDependencies: { '@aws-cdk/aws-dynamodb': '^1.100.0' } } })).Settings).toBe('fixable');
    // The nearest that lists it wins, from the file's folder up.
    const nested = { 'package.json': dynamodb('1.22.0'), 'app/package.json': dynamodb('1.120.0') };
    expect(await scanWith(nested)).toEqual({ Settings: 'fixable', Registrations: 'fixable' });
    const unlisted = { 'package.json': dynamodb('1.22.0'), 'app/package.json': { name: 'app' } };
    expect((await scanWith(unlisted)).Settings).toMatch(/1\.22\.0/);
    for (const none of [{}, { 'package.json': { name: 'app' } }, { 'package.json': dynamodb('*') }, { 'package.json': 'not json' }])
      expect(await scanWith(none as Record<string, object>)).toEqual({ Settings: 'fixable', Registrations: 'fixable' });
  });
});

describe('CDK for Terraform, provider layouts before lib/<resource>', () => {
  it('finds DynamodbTable through lib/dynamodb, a named dynamodb namespace and the root namespace', async () => {
    const tables = await scan(`import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import * as aws from '@cdktf/provider-aws/lib/dynamodb';
import { dynamodb } from '@cdktf/provider-aws';
import * as provider from '@cdktf/provider-aws';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws.DynamodbTable(this, 'a', { name: 'a', hashKey: 'id' });
    new dynamodb.DynamodbTable(this, 'b', { name: 'b', serverSideEncryption: { enabled: true } });
    new provider.dynamodb.DynamodbTable(this, 'c', { name: 'c', serverSideEncryption: { enabled: true, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/x' } });
  }
}
`);
    expect(tables.map((t) => [t.address, t.type, t.status])).toEqual([
      ['a', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'aws-owned'],
      ['b', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'aws-managed'],
      ['c', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'customer-managed'],
    ]);
  });
});
