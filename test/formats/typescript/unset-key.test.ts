/**
 * A key written as `undefined`, `null` or `void 0` (`kmsKeyArn: undefined, // Use AWS managed key`) is
 * left out of what CDK synthesizes and what CDKTF and Pulumi send the provider: the table uses the AWS
 * managed key (or CDK's default). It was read as a customer-managed key (compliant, never fixed). It is
 * read as absent now, and a key a condition may leave out (`prod ? key : undefined`) as unknown.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PULUMI = (key: string) =>
  `import * as aws from '@pulumi/aws';\nexport const t = new aws.dynamodb.Table('t', {\n  hashKey: 'id',\n  attributes: [{ name: 'id', type: 'S' }],\n  serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },\n});\n`;
const CDK = (props: string) =>
  `import { Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as kms from 'aws-cdk-lib/aws-kms';\nexport class S extends Stack {\n  constructor(scope: any, id: string, prod: boolean) {\n    super(scope, id);\n    const key = new kms.Key(this, 'K');\n    new dynamodb.Table(this, 'T', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n${props}    });\n  }\n}\n`;
const L1 = (key: string) =>
  `import { Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nexport class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n    new dynamodb.CfnTable(this, 'T', {\n      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],\n      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ${key} },\n    });\n  }\n}\n`;

it.each([
  ['Pulumi kmsKeyArn: undefined', 'index.ts', PULUMI('undefined'), 'aws-managed'],
  ['Pulumi kmsKeyArn: null as any', 'index.ts', PULUMI('null as any'), 'aws-managed'],
  ['Pulumi kmsKeyArn: void 0', 'index.ts', PULUMI('void 0'), 'aws-managed'],
  [
    'Pulumi kmsKeyArn: a condition that may leave it out',
    'index.ts',
    PULUMI("process.env.PROD ? 'arn:aws:kms:eu-west-1:111122223333:key/x' : undefined"),
    'unknown',
  ],
  ['Pulumi kmsKeyArn: a key', 'index.ts', PULUMI("'arn:aws:kms:eu-west-1:111122223333:key/x'"), 'customer-managed'],
  ['CDK encryptionKey: undefined', 'stack.ts', CDK('      encryptionKey: undefined,\n'), 'aws-owned'],
  ['CDK encryptionKey: prod ? key : undefined', 'stack.ts', CDK('      encryptionKey: prod ? key : undefined,\n'), 'unknown'],
  ['CDK encryptionKey: key', 'stack.ts', CDK('      encryptionKey: key,\n'), 'customer-managed'],
  ['CDK L1 kmsMasterKeyId: undefined', 'stack.ts', L1('undefined'), 'aws-managed'],
])('%s', async (_, path, text, status) => {
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
});
