/**
 * SST's tables (src/formats/typescript/sst.ts), a silent miss before: SST v3's `sst.aws.Dynamo` and
 * `aws.dynamodb.Table` through SST's global `aws` (no import), SST v2's `Table` from `sst/constructs`
 * or `@serverless-stack/resources`. Read where their encryption is written (`transform.table`,
 * `cdk.table`), reported with a step, never fixed.
 */
import { describe, expect, it } from 'vitest';
import { tablesLeftAsWritten } from '../../helpers/unfixed.js';

const scan = tablesLeftAsWritten;

const v3 = (body: string) => `/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app(input) {
    return { name: 'shop', home: 'aws' };
  },
  async run() {
${body}
  },
});
`;

describe('SST v3', () => {
  it('sst.aws.Dynamo: AWS owned unless transform.table sets a key; a transform function is unknown', async () => {
    const tables = await scan(
      'sst.config.ts',
      v3(`    const plain = new sst.aws.Dynamo('Plain', { fields: { id: 'string' }, primaryIndex: { hashKey: 'id' } });
    const key = new aws.kms.Key('TableKey', { enableKeyRotation: true });
    new sst.aws.Dynamo('Keyed', {
      fields: { id: 'string' },
      primaryIndex: { hashKey: 'id' },
      transform: { table: { serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } } },
    });
    new sst.aws.Dynamo('Managed', {
      fields: { id: 'string' },
      primaryIndex: { hashKey: 'id' },
      transform: { table: { serverSideEncryption: { enabled: true } } },
    });
    new sst.aws.Dynamo('Transformed', {
      fields: { id: 'string' },
      primaryIndex: { hashKey: 'id' },
      transform: { table: (args) => { args.billingMode = 'PROVISIONED'; } },
    });
    return { table: plain.name };`),
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['Plain', 'sst.aws.Dynamo', 'aws-owned', false],
      ['Keyed', 'sst.aws.Dynamo', 'customer-managed', false],
      ['Managed', 'sst.aws.Dynamo', 'aws-managed', false],
      ['Transformed', 'sst.aws.Dynamo', 'unknown', false],
    ]);
    expect(tables[0].message).toContain(
      'transform: { table: (args) => { args.serverSideEncryption = { enabled: true, kmsKeyArn: key.arn }; } }',
    );
    expect(tables[3].message).toContain('transform.table is a function, which may set the encryption');
  });

  it("aws.dynamodb.Table through SST's global aws is Pulumi's table, reported and not fixed", async () => {
    const tables = await scan(
      'sst.config.ts',
      v3(`    new aws.dynamodb.Table('Raw', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });`),
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([['Raw', 'aws.dynamodb.Table', 'aws-owned', false]]);
    expect(tables[0].message).toContain("created with SST's global aws (no import)");
  });

  it('a file that declares aws or sst itself is not read through the globals', async () => {
    const tables = await scan(
      'lib.ts',
      `export function make(aws: any, sst: any) {
  new aws.dynamodb.Table('Raw', {});
  new sst.aws.Dynamo('D', {});
}
`,
    );
    expect(tables).toEqual([]);
  });
});

describe('SST v2', () => {
  it('Table from sst/constructs: cdk.table holds the CDK props', async () => {
    const tables = await scan(
      'stacks/Database.ts',
      `import { StackContext, Table } from 'sst/constructs';
import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';

export function Database({ stack }: StackContext) {
  new Table(stack, 'Notes', { fields: { id: 'string' }, primaryIndex: { partitionKey: 'id' } });
  new Table(stack, 'Keyed', {
    fields: { id: 'string' },
    primaryIndex: { partitionKey: 'id' },
    cdk: { table: { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: new kms.Key(stack, 'K') } },
  });
  new Table(stack, 'Imported', { cdk: { table: existing } });
}
declare const existing: never;
`,
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['Notes', 'sst/constructs.Table', 'aws-owned', false],
      ['Keyed', 'sst/constructs.Table', 'customer-managed', false],
      ['Imported', 'sst/constructs.Table', 'unknown', false],
    ]);
    expect(tables[0].message).toContain('cdk: { table: { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } }');
  });

  it('Table from @serverless-stack/resources, also through a namespace import', async () => {
    const tables = await scan(
      'stacks/Legacy.ts',
      `import * as sst from '@serverless-stack/resources';
export function Legacy({ stack }: sst.StackContext) {
  new sst.Table(stack, 'Notes', { fields: { id: 'string' }, primaryIndex: { partitionKey: 'id' } });
}
`,
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['Notes', '@serverless-stack/resources.Table', 'aws-owned', false],
    ]);
  });
});
