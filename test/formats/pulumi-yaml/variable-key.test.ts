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

// A lookup of the AWS managed key (adversarial pass: the roll back step of docs/rolling-back.md for a table that was AWS managed).
const lookup = (fn: string, arg: string, value: string, read: string) => `name: tables
runtime: yaml
variables:
  awsManaged:
    fn::invoke:
      function: ${fn}
      arguments:
        ${arg}: ${value}
resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: ${read}
`;

it.each([
  ['aws:kms:getAlias', 'name', 'alias/aws/dynamodb', '${awsManaged.targetKeyArn}', 'aws-managed'],
  ['aws:kms:getKey', 'keyId', 'alias/aws/dynamodb', '${awsManaged.arn}', 'aws-managed'],
  ['aws:kms:getAlias', 'name', 'alias/orders', '${awsManaged.targetKeyArn}', 'customer-managed'],
  ['aws:kms:getAlias', 'name', 'alias/aws/dynamodb', '${awsManaged.name}', 'customer-managed'],
])('fn::invoke %s %s: %s, read as %s', async (fn, arg, value, read, status) => {
  const text = lookup(fn, arg, value, read);
  const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  if (status !== 'aws-managed') return;
  const out = (await processMemory([{ path: 'Pulumi.yaml', text }], 'fix')).outcomes[0].newText!;
  expect(out).toContain('kmsKeyArn: ${ordersKey.arn}');
});

it('an fn::invoke of the AWS managed key written in kmsKeyArn itself (adversarial pass)', async () => {
  const text =
    'name: p\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: pk\n' +
    '      serverSideEncryption:\n        enabled: true\n        kmsKeyArn:\n          fn::invoke:\n            function: aws:kms:getAlias\n' +
    '            arguments:\n              name: alias/aws/dynamodb\n            return: targetKeyArn\n';
  const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
});

// `fn::select` over a list of keys (real-world round 35, F3): each item read as a key written in place would be.
it.each([
  [['${ownKey}', '${managedKey}'], 'unknown', 'item 2, ${managedKey}, is the AWS managed key'],
  [['${ownKey}', MANAGED], 'unknown', 'item 2'],
  [['${ownKey}', 'null'], 'unknown', 'item 2, null, is no key'],
  [['${ownKey}', '${managedDefault}'], 'unknown', 'is not known'],
  [['${managedKey}', 'alias/aws/dynamodb'], 'aws-managed', ''],
  [['${ownKey}', OWN], 'customer-managed', ''],
])('kmsKeyArn: fn::select [${index}, %j]', async (items, status, message) => {
  const list = items.map((item) => `\n              - ${item}`).join('');
  const text = program(`\n          fn::select:\n            - \${index}\n            -${list}`);
  const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  expect(t.message).toContain(message);
});

// A resource that reads an existing alias or key (`get:`, adversarial pass s59 F5): a lookup as fn::invoke is; the AWS
// managed key's alias there was read as a key of the account.
const read = (type: string, id: string, key: string) => `name: tables
runtime: yaml
config:
  keyAlias:
    type: string
resources:
  existing:
    type: ${type}
    get:
      id: ${id}
  orders:
    type: aws:dynamodb:Table
    properties:
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: ${key}
`;

it.each([
  ['aws:kms:Alias', 'alias/aws/dynamodb', '${existing.targetKeyArn}', 'aws-managed'],
  ['aws:kms/alias:Alias', MANAGED, '${existing.targetKeyArn}', 'aws-managed'],
  ['aws:kms:Key', 'alias/aws/dynamodb', '${existing.arn}', 'aws-managed'],
  ['aws:kms:Alias', '${keyAlias}', '${existing.targetKeyArn}', 'unknown'],
  ['aws:kms:Alias', 'alias/orders', '${existing.targetKeyArn}', 'customer-managed'],
  ['aws:kms:Key', OWN, '${existing.arn}', 'customer-managed'],
])('%s with get: {id: %s}, read as %s', async (type, id, key, status) => {
  const text = read(type, id, key);
  const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  if (status !== 'aws-managed') return;
  expect(t.fixable).toBe(true);
  const out = (await processMemory([{ path: 'Pulumi.yaml', text }], 'fix')).outcomes[0].newText!;
  expect(out).toContain('kmsKeyArn: ${ordersKey.arn}');
});

// A config value written with the project's namespace (adversarial pass s59 F6): pulumi-yaml strips `<project>:` from a
// reference and a declaration (stripConfigNamespace), so `${tables:managedDefault}` is `${managedDefault}`, and a
// `tables:managedDefault` entry is declared as `managedDefault`. Another namespace is no config value of the program.
it.each([
  ['${tables:managedDefault}', 'managedDefault', 'unknown'],
  ['${managedDefault}', 'tables:managedDefault', 'unknown'],
  ['${tables:managedDefault}', 'tables:managedDefault', 'unknown'],
  ['${tables:ownDefault}', 'managedDefault', 'customer-managed'],
  ['${other:managedDefault}', 'managedDefault', 'customer-managed'],
])('kmsKeyArn: %s of a config entry %s', async (key, entry, status) => {
  const text = program(key).replace('  managedDefault:\n', `  ${entry}:\n`);
  const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
});

it.each([
  ['tables:managedDefault', MANAGED, 'aws-managed'],
  ['managedDefault', MANAGED, 'aws-managed'],
  ['tables:managedDefault', OWN, 'customer-managed'],
])("kmsKeyArn: ${tables:managedDefault} with a stack file's %s: %s", async (entry, value, status) => {
  const files = [
    { path: 'p/Pulumi.yaml', text: program('${tables:managedDefault}') },
    { path: 'p/Pulumi.dev.yaml', text: `config:\n  ${entry}: ${value}\n` },
  ];
  const t = (await processMemory(files, 'scan')).outcomes.find((o) => o.tables.length > 0)!.tables[0];
  expect(t.status).toBe(status);
});

// A key lookup whose id is another lookup's key (adversarial pass 2 of s59, F4): the AWS managed key when that one
// looks it up; a key of the account otherwise.
it.each([
  ['alias/aws/dynamodb', 'aws-managed'],
  ['alias/orders', 'customer-managed'],
])('a getKey or a Key get: whose id reads a getAlias of %s: %s', async (alias, status) => {
  const chained = (keyVar: string) => `name: tables
runtime: yaml
variables:
  managed:
    fn::invoke:
      function: aws:kms:getAlias
      arguments:
        name: ${alias}
${keyVar}
resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: \${managedKey.arn}
`;
  const invoked = chained(
    '  managedKey:\n    fn::invoke:\n      function: aws:kms:getKey\n      arguments:\n        keyId: ${managed.targetKeyId}',
  );
  const got = chained('').replace(
    'resources:\n',
    'resources:\n  managedKey:\n    type: aws:kms:Key\n    get:\n      id: ${managed.targetKeyId}\n',
  );
  for (const text of [invoked, got]) {
    const t = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0].tables[0];
    expect(t.status).toBe(status);
  }
});
