/**
 * A key read from a member of a const the file changes after its declaration (`kmsKeyArn: keys.orders` with `const keys
 * = { orders: key.arn }`, then `keys.orders = 'alias/aws/dynamodb'` or `Object.assign(keys, {...})`): the initializer
 * is not what the program reads, so the key is unknown, never customer-managed (real-world round 42, mutargs sh2).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PULUMI = (change: string) =>
  "import * as aws from '@pulumi/aws';\nconst key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
  `const keys = { orders: key.arn };\n${change}\n` +
  "export const t = new aws.dynamodb.Table('t', { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: keys.orders } });\n";
const CDK = (change: string) =>
  "import { Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as kms from 'aws-cdk-lib/aws-kms';\n" +
  'export class S extends Stack {\n  constructor(scope: any, id: string, other: kms.IKey) {\n    super(scope, id);\n' +
  `    const keys = { orders: new kms.Key(this, 'K') as kms.IKey };\n    ${change}\n` +
  "    new dynamodb.Table(this, 'T', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n" +
  '      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n      encryptionKey: keys.orders,\n    });\n  }\n}\n';

it.each([
  ['Pulumi: the member assigned', 'index.ts', PULUMI("keys.orders = 'alias/aws/dynamodb';"), 'unknown', 'keys.orders = '],
  ['Pulumi: Object.assign', 'index.ts', PULUMI("Object.assign(keys, { orders: 'alias/aws/dynamodb' });"), 'unknown', 'Object.assign(keys'],
  ['Pulumi: the const kept', 'index.ts', PULUMI(''), 'customer-managed', undefined],
  ['CDK: the member assigned', 'stack.ts', CDK('keys.orders = other;'), 'unknown', 'keys.orders = other'],
  ['CDK: the const kept', 'stack.ts', CDK(''), 'customer-managed', undefined],
])('%s', async (_, path, text, status, change) => {
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  if (change)
    expect(JSON.stringify(t)).toContain(`the key keys.orders is a member of keys, a const the file changes after its declaration (line`);
  if (change) expect(JSON.stringify(t)).toContain(change);
});
