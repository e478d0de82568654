/**
 * A Pulumi YAML key written as one of the program's names (`kmsKeyArn: ${tableKey}`) was read as a
 * customer-managed key whatever the name held: a variable whose value is the AWS managed key's alias ARN
 * was called compliant. The name is read: a variable's literal value (the AWS managed key: aws-managed,
 * fixed), a config value's default (the AWS managed key unless a stack's config sets another: unknown).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const MANAGED = 'arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb';
const OWN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const program = (key: string) => `name: tables
runtime: yaml
config:
  managedDefault:
    type: string
    default: ${MANAGED}
  ownDefault:
    type: string
    default: ${OWN}
variables:
  managedKey: ${MANAGED}
  ownKey: ${OWN}
resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: ${key}
`;

it.each([
  ['${managedKey}', 'aws-managed', true],
  ['${ownKey}', 'customer-managed', false],
  ['${managedDefault}', 'unknown', false],
  ['${ownDefault}', 'customer-managed', false],
  ['${someKey.arn}', 'customer-managed', false],
])('kmsKeyArn: %s', async (key, status, fixable) => {
  const t = (await processMemory([{ path: 'Pulumi.yaml', text: program(key) }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual([status, fixable]);
});
