/**
 * A key a `const` chooses (`const key = prod ? new kms.Key(...) : undefined`, or `: Alias.fromAliasName(this, 'M',
 * 'alias/aws/dynamodb')`, or `keys[props.stage]` of a map without every stage) reads as the same choice written in
 * the table's props (src/formats/typescript/optionalProps.ts, awsManagedKey.ts): where it is undefined the table gets
 * the AWS owned key (CDK's Table) or the AWS managed key (CfnTable, CDKTF, Pulumi, SST), so it is unknown, not
 * customer-managed (real-world round 35, F2). A choice among keys that are all customer-managed stays one.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const CDK = (before: string, props: string) =>
  `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends Stack {
  constructor(scope: any, id: string, prod: boolean, stage: string) {
    super(scope, id);
${before}
    new dynamodb.Table(this, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
${props}
    });
  }
}
`;
const L1 = (before: string, key: string) =>
  `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends Stack {
  constructor(scope: any, id: string, prod: boolean) {
    super(scope, id);
${before}
    new dynamodb.CfnTable(this, 'T', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ${key} },
    });
  }
}
`;
const CDKTF = `import { TerraformStack } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export class S extends TerraformStack {
  constructor(scope: any, id: string, stage: string) {
    super(scope, id);
    const key = stage === 'prod' ? new KmsKey(this, 'k', { enableKeyRotation: true }) : undefined;
    new DynamodbTable(this, 't', {
      name: 't',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: key?.arn },
    });
  }
}
`;
const PULUMI = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const isProd = pulumi.getStack() === 'prod';
const key = isProd ? new aws.kms.Key('k', { enableKeyRotation: true }) : undefined;
export const t = new aws.dynamodb.Table('t', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
  serverSideEncryption: { enabled: true, kmsKeyArn: key?.arn },
});
`;

const KEY = "new kms.Key(this, 'K', { enableKeyRotation: true })";
const MANAGED = "kms.Alias.fromAliasName(this, 'M', 'alias/aws/dynamodb')";
const CMK = '      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n';

it.each([
  // A branch left out: CDK's Table then has the AWS owned key.
  [
    'CDK Table: a const that may be undefined',
    CDK(`    const key = prod ? ${KEY} : undefined;`, '      encryptionKey: key,'),
    'unknown',
    'key is undefined where prod is false',
  ],
  [
    'CDK Table: a let never assigned again',
    CDK(`    let key = prod ? undefined : ${KEY};`, '      encryptionKey: key,'),
    'unknown',
    'key is undefined where prod is true',
  ],
  [
    'CDK Table: a guard proves it set',
    CDK(`    const key = prod ? ${KEY} : undefined;\n    if (!key) throw new Error('no key');`, '      encryptionKey: key,'),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: two keys',
    CDK(`    const key = prod ? ${KEY} : new kms.Key(this, 'D');`, '      encryptionKey: key,'),
    'customer-managed',
    '',
  ],
  // A branch that is the AWS managed key.
  [
    'CDK Table: a const that may be the AWS managed key',
    CDK(`    const key = prod ? ${KEY} : ${MANAGED};`, `${CMK}      encryptionKey: key,`),
    'unknown',
    'the key is the AWS managed key (kms.Alias.fromAliasName',
  ],
  [
    'CDK Table: a const that is the AWS managed key in both branches',
    CDK(`    const key = prod ? ${MANAGED} : kms.Alias.fromAliasName(this, 'N', 'alias/aws/dynamodb');`, `${CMK}      encryptionKey: key,`),
    'aws-managed',
    '',
  ],
  // A map without every stage.
  [
    'CDK Table: a map with prod only',
    CDK(`    const keys: Record<string, kms.Key> = { prod: ${KEY} };`, '      encryptionKey: keys[stage],'),
    'unknown',
    'keys[stage] is undefined where stage is none of prod',
  ],
  [
    'CDK Table: a map read through a const',
    CDK(`    const keys: Record<string, kms.Key> = { prod: ${KEY} };\n    const key = keys[stage];`, '      encryptionKey: key,'),
    'unknown',
    'key is undefined where stage is none of prod',
  ],
  [
    'CDK Table: a map whose Record type lists its stages',
    CDK(
      `    const keys: Record<'dev' | 'prod', kms.IKey> = { dev: new kms.Key(this, 'D'), prod: ${KEY} };`,
      '      encryptionKey: keys[stage as "dev" | "prod"],',
    ),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a map read by a member it has',
    CDK(`    const keys: Record<string, kms.Key> = { prod: ${KEY} };`, "      encryptionKey: keys['prod'],"),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a listed map whose dev is the AWS managed key',
    CDK(
      `    const keys: Record<'dev' | 'prod', kms.IKey> = { dev: ${MANAGED}, prod: ${KEY} };`,
      `${CMK}      encryptionKey: keys[stage as "dev" | "prod"],`,
    ),
    'unknown',
    'where stage is dev',
  ],
  // The index's type lists the names: each a member (`keyof typeof keys`), or one is not.
  [
    'CDK Table: an inferred map read as keyof typeof it',
    CDK(`    const keys = { dev: new kms.Key(this, 'D'), prod: ${KEY} };`, '      encryptionKey: keys[stage as keyof typeof keys],'),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a map without a stage the cast lists',
    CDK(`    const keys = { prod: ${KEY} };`, "      encryptionKey: keys[stage as 'dev' | 'prod'],"),
    'unknown',
    'is none of prod',
  ],
  [
    'CDK Table: a parameter typed by an alias of the stages',
    CDK(`    const keys = { dev: new kms.Key(this, 'D'), prod: ${KEY} };`, '      encryptionKey: keys[env],')
      .replace('stage: string)', 'stage: string, env: Env)')
      .replace('export class', "type Env = 'dev' | 'prod';\nexport class"),
    'customer-managed',
    '',
  ],
  // Adversarial pass s61 F2: a `let` a condition alone assigns, or assigned undefined, was customer-managed.
  [
    'CDK Table: a let assigned under an if alone',
    CDK(`    let key: kms.IKey | undefined;\n    if (prod) key = ${KEY};`, '      encryptionKey: key,'),
    'unknown',
    'key is declared without a value (line 7) and not assigned on every path before it is read',
  ],
  [
    'CDK Table: an untyped let assigned in a try alone',
    CDK(`    let key;\n    try { key = ${KEY}; } catch (e) { console.log(e); }`, '      encryptionKey: key,'),
    'unknown',
    'key is declared without a value (line 7)',
  ],
  [
    'CDK Table: a let set to undefined under a condition',
    CDK(`    let key: kms.IKey | undefined = ${KEY};\n    if (!prod) key = undefined;`, '      encryptionKey: key,'),
    'unknown',
    'key is set to undefined at line 8',
  ],
  [
    'CDK Table: a let assigned in both branches',
    CDK(
      `    let key: kms.IKey | undefined;\n    if (prod) key = ${KEY};\n    else { key = new kms.Key(this, 'D'); }`,
      '      encryptionKey: key,',
    ),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a let assigned, or the code leaves',
    CDK(
      `    let key: kms.IKey | undefined;\n    if (prod) key = ${KEY};\n    else throw new Error('prod only');`,
      '      encryptionKey: key,',
    ),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a let assigned before the table',
    CDK(`    let key: kms.IKey | undefined;\n    key = ${KEY};`, '      encryptionKey: key,'),
    'customer-managed',
    '',
  ],
  [
    'CDK Table: a let typed without undefined (TypeScript proves it assigned)',
    CDK(
      `    let key: kms.IKey;\n    switch (stage) { case 'prod': key = ${KEY}; break; default: key = new kms.Key(this, 'D'); }`,
      '      encryptionKey: key,',
    ),
    'customer-managed',
    '',
  ],
  // CfnTable: `?.` on a key that may be undefined; a branch that is the managed alias.
  [
    'CfnTable: key?.keyArn',
    L1(`    const key = prod ? ${KEY} : undefined;`, 'key?.keyArn'),
    'unknown',
    'key?.keyArn is undefined where prod is false',
  ],
  [
    'CfnTable: a const arn that may be the alias',
    L1(`    const arn = prod ? ${KEY}.keyArn : 'alias/aws/dynamodb';`, 'arn'),
    'unknown',
    "the key is the AWS managed key ('alias/aws/dynamodb') where prod is false",
  ],
])('%s', async (_, text, status, message) => {
  const t = (await processMemory([{ path: 'lib/stack.ts', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  expect(t.message).toContain(message);
});

it.each([
  ['CDKTF kmsKeyArn: key?.arn', 'main.ts', CDKTF, "key?.arn is undefined where stage === 'prod' is false"],
  ['Pulumi kmsKeyArn: key?.arn', 'index.ts', PULUMI, 'key?.arn is undefined where isProd is false'],
])('%s', async (_, path, text, message) => {
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe('unknown');
  expect(t.message).toContain(message);
});

// Adversarial pass s61 F2: a table created in a loop over entries one of which leaves the key out (CDK's Table then has
// the AWS owned key) was customer-managed; so was a Pulumi key whose `apply` callback may give undefined.
const LOOP = (entries: string, loop: string, key: string, close = '}') =>
  `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const shared = new kms.Key(this, 'K', { enableKeyRotation: true });
    const defs = [${entries}];
    ${loop} {
      new dynamodb.Table(this, name, {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        encryptionKey: ${key},
      });
    ${close}
  }
}
`;

it.each([
  [
    'for...of, an entry without the member',
    LOOP("{ name: 'Users', key: shared }, { name: 'Audit' }", 'for (const d of defs) { const name = d.name;', 'd.key', '}}'),
    'unknown',
    "d.key is undefined for the entry { name: 'Audit' } of defs",
  ],
  [
    'forEach, destructured, an entry with the member undefined',
    LOOP("{ name: 'Users', key: shared }, { name: 'Audit', key: undefined }", 'defs.forEach(({ name, key }) =>', 'key', '});'),
    'unknown',
    "key is undefined for the entry { name: 'Audit', key: undefined }",
  ],
  [
    'for...of a tuple, an entry without the key',
    LOOP("['Users', shared], ['Audit']", 'for (const [name, k] of defs)', 'k'),
    'unknown',
    "k is undefined for the entry ['Audit'] of defs",
  ],
  [
    'for...of, every entry with a key',
    LOOP("{ name: 'Users', key: shared }, { name: 'Audit', key: shared }", 'for (const d of defs) { const name = d.name;', 'd.key', '}}'),
    'customer-managed',
    '',
  ],
  [
    'for...of, a default for the member',
    LOOP("{ name: 'Users', key: shared }, { name: 'Audit' }", 'for (const { name, key = shared } of defs)', 'key'),
    'customer-managed',
    '',
  ],
  [
    'a let assigned before the callback that reads it',
    LOOP("'Users', 'Audit'", 'let key: kms.IKey | undefined;\n    key = shared;\n    defs.forEach((name) =>', 'key', '});'),
    'customer-managed',
    '',
  ],
])('CDK loop: %s', async (_, text, status, message) => {
  const tables = (await processMemory([{ path: 'lib/stack.ts', text }], 'scan')).outcomes[0].tables;
  expect(tables.map((t) => t.status)).toEqual([status]);
  expect(tables[0].message).toContain(message);
});

it.each([
  [
    '(a) => (isProd ? a : undefined)',
    'unknown',
    "key.arn.apply's callback may return undefined (isProd ? a : undefined is undefined where isProd is false)",
  ],
  ['(a) => { if (!isProd) return; return a; }', 'unknown', "key.arn.apply's callback returns nothing"],
  ['(a) => a', 'customer-managed', ''],
])('Pulumi kmsKeyArn: key.arn.apply(%s)', async (fn, status, message) => {
  const text = PULUMI.replace(
    "const key = isProd ? new aws.kms.Key('k', { enableKeyRotation: true }) : undefined;",
    "const key = new aws.kms.Key('k', { enableKeyRotation: true });",
  ).replace('kmsKeyArn: key?.arn', `kmsKeyArn: key.arn.apply(${fn})`);
  const t = (await processMemory([{ path: 'index.ts', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  expect(t.message).toContain(message);
});
