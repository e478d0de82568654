/**
 * A serverless.ts `Resources` entry whose value is a call that makes a table (real-world round 42, F1 and F2):
 * `UsersTable: createTable({ Properties: {...} })`. With the function in another file (imported), the file was not
 * read at all: 0 tables, exit 0. With it in the file, its tables were one row named after the function. Each entry is
 * a row of its own now, named by its logical ID, never fixed: `unknown` for another file's function, read as the
 * function's table is (through its calls) for the file's own.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PROPS = (name: string) =>
  `{\n        Properties: {\n          TableName: '${name}',\n          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],\n        },\n      }`;
const SERVICE = (head: string, make: string) =>
  `import type { AWS } from '@serverless/typescript';\n${head}\nconst serverlessConfiguration: AWS = {\n  service: 's',\n  provider: { name: 'aws', runtime: 'nodejs18.x' },\n  resources: {\n    Resources: {\n      UsersTable: ${make}(${PROPS('users')}),\n      OrdersTable: ${make}(${PROPS('orders')}),\n      Bucket: makeBucket({ BucketName: 'b' }),\n    },\n  },\n};\nmodule.exports = serverlessConfiguration;\n`;
const HELPER = "import { makeBucket } from './helpers/s3';\n";

async function rows(files: { path: string; text: string }[]) {
  const r = await processMemory(files, 'scan');
  return r.outcomes.flatMap((o) =>
    o.tables.map((t) => ({ address: t.address, line: t.line, status: t.status, reason: JSON.stringify(t) })),
  );
}

it('a function imported from another file: one unknown row per Resources entry, by logical ID', async () => {
  const text = SERVICE(`import { create_dynamodb_table_resource } from './helpers/dynamo';\n${HELPER}`, 'create_dynamodb_table_resource');
  const helper = "export const create_dynamodb_table_resource = (r: object) => ({ Type: 'AWS::DynamoDB::Table', ...r });\n";
  const got = await rows([
    { path: 'serverless.ts', text },
    { path: 'helpers/dynamo.ts', text: helper },
  ]);
  expect(got.map((t) => [t.address, t.status])).toEqual([
    ['UsersTable', 'unknown'],
    ['OrdersTable', 'unknown'],
  ]);
  expect(got[0].line).toBe(text.split('\n').findIndex((l) => l.includes('UsersTable:')) + 1);
  expect(got[0].reason).toContain('the resource is what create_dynamodb_table_resource(...) returns, a function of another file');
});

it("a neutral name with a table's arguments (KeySchema) is reported too; a bucket maker is not", async () => {
  const text = SERVICE(`import { resource } from './helpers/cfn';\n${HELPER}`, 'resource');
  expect((await rows([{ path: 'serverless.ts', text }])).map((t) => t.address)).toEqual(['UsersTable', 'OrdersTable']);
});

it('a function of the file called by two entries: two rows named by their logical IDs, not one named after it', async () => {
  const make = "const createTable = (r: object) => {\n  return { Type: 'AWS::DynamoDB::Table', ...r };\n};\n";
  const text = SERVICE(`${HELPER}${make}`, 'createTable');
  const got = await rows([{ path: 'serverless.ts', text }]);
  expect(got.map((t) => [t.address, t.status])).toEqual([
    ['UsersTable', 'unknown'],
    ['OrdersTable', 'unknown'],
  ]);
  expect(got[1].line).toBe(text.split('\n').findIndex((l) => l.includes('OrdersTable:')) + 1);
  // Each read as the function's table is: here through its spread parameter.
  expect(got[1].reason).toContain('Properties may come from the spread ...r');
});

// Session 59's last read: a function named for something else about a table (an alarm, a role) makes no table.
it('a function named for an alarm, a role or a policy of a table is no table, unless its arguments are a table', async () => {
  const other = (make: string, args: string) =>
    `import type { AWS } from '@serverless/typescript';\nimport { ${make} } from './helpers/cfn';\nconst c: AWS = {\n  service: 's',\n  provider: { name: 'aws', runtime: 'nodejs18.x' },\n  resources: { Resources: { Thing: ${make}(${args}), UsersTable: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } } } },\n};\nmodule.exports = c;\n`;
  for (const make of ['createTableAlarm', 'dynamoDbAccessRole', 'tablePolicy'])
    expect((await rows([{ path: 'serverless.ts', text: other(make, '{ Threshold: 1 }') }])).map((t) => t.address)).toEqual(['UsersTable']);
  expect((await rows([{ path: 'serverless.ts', text: other('createTable', '{ Threshold: 1 }') }])).map((t) => t.address)).toEqual([
    'Thing',
    'UsersTable',
  ]);
});
