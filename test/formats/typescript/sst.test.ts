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

/** The code a step asks to write: its first `...` span. */
const stepCode = (message: string) => /`([^`]+)`/.exec(message)?.[1] ?? '';

/**
 * Follows an SST table's step: `args` (the table's props, `{}` when it has none; an object on the
 * step's path written as `{ marker }`) get the step's code, at their end or in the object it names.
 */
function followStep(message: string, args: string): string {
  const code = stepCode(message);
  const add = / add `[^`]+` to its `[a-z.]+` object/.test(message);
  return add ? args.replace(/\{ marker(, )?/, `{ ${code}, `) : args.replace(/ ?\}$/, `${args === '{}' ? ' ' : ', '}${code} }`);
}

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
    expect(tables[0].message).toContain('`transform: { table: { serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } } }`');
    expect(tables[3].message).toContain('transform.table is a function, which may set the encryption');
    // SST's removal keeps the table and not its key (session 63's deploy review, F1): the step's key is kept as the table is.
    expect(tables[0].message).toContain('`const key = new aws.kms.Key(..., { retainOnDelete: $app.removal !== "remove" })`');
  });

  // Each step written as it says is read back as customer-managed (the function form it gave before was `unknown`).
  const dynamo = (args: string) =>
    v3(`    const key = new aws.kms.Key('TableKey', { enableKeyRotation: true });
    new sst.aws.Dynamo('Orders', ${args});`);
  it.each([
    ['no transform', "{ fields: { id: 'string' }, primaryIndex: { hashKey: 'id' } }"],
    // Added to the object there, never replacing it (its name would be lost: a replaced table).
    ['a transform.table object', "{ fields: { id: 'string' }, transform: { table: { marker, name: 'orders' } } }"],
    ['an empty transform.table object', "{ fields: { id: 'string' }, transform: { table: { marker } } }"],
  ])('sst.aws.Dynamo with %s: the step, followed, is read as customer-managed', async (_, args) => {
    const before = await scan('sst.config.ts', dynamo(args.replace(/marker(, )?/, '')));
    expect(before.map((t) => t.status)).toEqual(['aws-owned']);
    expect(before[0].message).not.toContain('(args) =>');
    const written = followStep(before[0].message ?? '', args);
    // One transform, the one written (a second would replace the first, and its name with it).
    expect(written.split('transform:').length).toBe(2);
    if (args.includes("name: 'orders'")) expect(written).toContain("name: 'orders'");
    const after = await scan('sst.config.ts', dynamo(written));
    expect(after.map((t) => [t.address, t.status])).toEqual([['Orders', 'customer-managed']]);
  });

  it('sst.aws.Dynamo with a transform function: the reason names the object kmsfix reads, which is read as customer-managed', async () => {
    const fn = await scan(
      'sst.config.ts',
      dynamo(
        "{ fields: { id: 'string' }, transform: { table: (args) => { args.serverSideEncryption = { enabled: true, kmsKeyArn: key.arn }; } } }",
      ),
    );
    expect(fn.map((t) => t.status)).toEqual(['unknown']);
    const code = stepCode(fn[0].message ?? '');
    expect(code).toBe('table: { serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } }');
    const after = await scan('sst.config.ts', dynamo(`{ fields: { id: 'string' }, transform: { ${code} } }`));
    expect(after.map((t) => t.status)).toEqual(['customer-managed']);
  });

  it.each([
    ['sst.config.ts', 'sst.config.ts does not take at its top'],
    ['infra/storage.ts', 'infra/storage.ts does not have'],
  ])("SST's global aws in %s: the reason names the file, and the step, followed, is read as customer-managed", async (path, why) => {
    const raw = (extra: string) =>
      `${path === 'sst.config.ts' ? '' : 'export '}const key = new aws.kms.Key('TableKey', { enableKeyRotation: true });
export const table = new aws.dynamodb.Table('Raw', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id'${extra} });
`;
    const before = await scan(path, raw(''));
    expect(before.map((t) => t.status)).toEqual(['aws-owned']);
    expect(before[0].message).toContain(`which ${why}`);
    const after = await scan(path, raw(`, ${stepCode(before[0].message ?? '')}`));
    expect(after.map((t) => t.status)).toEqual(['customer-managed']);
  });

  it("aws.dynamodb.Table through SST's global aws is Pulumi's table, reported and not fixed", async () => {
    const tables = await scan(
      'sst.config.ts',
      v3(`    new aws.dynamodb.Table('Raw', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });`),
    );
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([['Raw', 'aws.dynamodb.Table', 'aws-owned', false]]);
    expect(tables[0].message).toContain("created with SST's global aws (no import)");
    expect(tables[0].message).toContain('{ retainOnDelete: $app.removal !== "remove" }');
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

  // Each step written as it says is read back as customer-managed, added to an object already on its path.
  const v2 = (props: string) => `import { StackContext, Table } from 'sst/constructs';
import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';

export function Database({ stack }: StackContext) {
  const key = new kms.Key(stack, 'NotesKey', { enableKeyRotation: true });
  new Table(stack, 'Notes', ${props});
}
`;
  it.each([
    ['no cdk props', "{ fields: { id: 'string' }, primaryIndex: { partitionKey: 'id' } }"],
    ['a cdk object without table', "{ fields: { id: 'string' }, cdk: { marker, id: 'Notes' } }"],
    ['a cdk.table object', "{ fields: { id: 'string' }, cdk: { table: { marker, timeToLiveAttribute: 'ttl' } } }"],
  ])('Table with %s: the step, followed, is read as customer-managed', async (_, props) => {
    const before = await scan('stacks/Database.ts', v2(props.replace(/marker(, )?/, '')));
    expect(before.map((t) => t.status)).toEqual(['aws-owned']);
    const written = followStep(before[0].message ?? '', props);
    // One cdk (and cdk.table), the one written: a second would replace the first, and what it holds.
    expect([written.split('cdk:').length, written.split('table:').length]).toEqual([2, 2]);
    const after = await scan('stacks/Database.ts', v2(written));
    expect(after.map((t) => [t.address, t.status])).toEqual([['Notes', 'customer-managed']]);
  });

  it('Table given an existing table construct as cdk.table creates none (SST imports it): not reported', async () => {
    const tables = await scan(
      'stacks/Imported.ts',
      `import { StackContext, Table } from 'sst/constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export function Imported({ stack }: StackContext) {
  new Table(stack, 'ByArn', { cdk: { table: dynamodb.Table.fromTableArn(stack, 'A', 'arn:aws:dynamodb:us-east-1:123456789012:table/a') } });
  new Table(stack, 'ByName', { cdk: { table: dynamodb.TableV2.fromTableName(stack, 'B', 'b') } });
  const existing = dynamodb.Table.fromTableAttributes(stack, 'C', { tableName: 'c' });
  new Table(stack, 'ByAttributes', { cdk: { table: existing } });
  new Table(stack, 'Wrapped', { cdk: { table: new dynamodb.Table(stack, 'Inner', { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED }) } });
  new Table(stack, 'Props', { cdk: { table: { timeToLiveAttribute: 'ttl' } } });
  new Table(stack, 'Called', { cdk: { table: makeTable(stack) } });
}
declare function makeTable(stack: unknown): never;
`,
    );
    // The table of a new dynamodb.Table given as cdk.table is that construct's own; an unknown call stays unknown.
    expect(tables.map((t) => [t.address, t.type, t.status])).toEqual([
      ['Inner', 'aws-cdk-lib.aws_dynamodb.Table', 'customer-managed'],
      ['Props', 'sst/constructs.Table', 'aws-owned'],
      ['Called', 'sst/constructs.Table', 'unknown'],
    ]);
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
