/**
 * A CDK for Terraform or Pulumi table switched off beside a customer-managed key of its own (src/rule/cmk.ts switchedOff,
 * src/formats/typescript/switchOnly.ts): the fix turns the switch on alone, keeps the key and generates none, as Terraform's
 * (real-world round 38 F5, left for these in session 55). The AWS managed key, a key kmsfix cannot read, or a switch the table
 * does not hold itself: fixed as any switched-off table, a key generated. The fixtures
 * (fixtures/typescript/pulumi-enabled-false-own-key, cdktf-enabled-false-own-key) hold the fix itself.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const pulumi = (body: string) => `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
const ordersKey = new aws.kms.Key('orders-key', { enableKeyRotation: true });
${body}`;
const table = (name: string, props: string) => `new aws.dynamodb.Table('${name}', ${props});\n`;
const sse = (settings: string) => `{ hashKey: 'id', serverSideEncryption: ${settings} }`;

async function run(files: { path: string; text: string }[], mode: 'scan' | 'fix' = 'scan', options = {}) {
  return (await processMemory(files, mode, options)).outcomes.find((o) => o.file.path.endsWith('index.ts'))!;
}
const one = (text: string) => [{ path: 'index.ts', text }];

describe('Pulumi and CDK for Terraform: a table switched off beside its own key', () => {
  it('keeps that key, the switch alone turned on; the report carries the key as written', async () => {
    const text = pulumi(table('orders', sse('{ enabled: false, kmsKeyArn: ordersKey.arn }')));
    const o = await run(one(text), 'fix');
    expect(o.error).toBeUndefined();
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
    expect(o.tables[0]).toMatchObject({ status: 'aws-owned', fixable: true, keptKey: 'ordersKey.arn' });
  });

  it('with --kms-key-arn too: the table keeps its own key', async () => {
    const text = pulumi(table('orders', sse(`{ enabled: false, kmsKeyArn: '${KEY}' }`)));
    const o = await run(one(text), 'fix', { kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/other' });
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
  });

  it('a project whose @pulumi/pulumi lacks what a generated key writes: still fixed, as no key is written', async () => {
    const text = pulumi(table('orders', sse('{ enabled: false, kmsKeyArn: ordersKey.arn }')) + table('plain', "{ hashKey: 'id' }"));
    const pkg = { path: 'package.json', text: '{ "dependencies": { "@pulumi/aws": "^6.0.0", "@pulumi/pulumi": "^3.0.0" } }\n' };
    const o = await run([pkg, ...one(text)], 'fix');
    expect(o.tables.find((t) => t.address === 'orders')).toMatchObject({ fixable: true, keptKey: 'ordersKey.arn' });
    expect(o.tables.find((t) => t.address === 'plain')).toMatchObject({
      fixable: false,
      blocker: expect.stringMatching(/pulumi\.jsonStringify/),
    });
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
  });

  it('the AWS managed key (as written or through a const), or a key kmsfix cannot read: a key generated, as before', async () => {
    for (const key of ["'alias/aws/dynamodb'", 'MANAGED', "new pulumi.Config().get('tableKey')"]) {
      const text = pulumi(`const MANAGED = 'alias/aws/dynamodb';\n${table('orders', sse(`{ enabled: false, kmsKeyArn: ${key} }`))}`);
      const o = await run(one(text), 'fix');
      expect(o.tables[0].keptKey, key).toBeUndefined();
      expect(o.newText, key).toContain("new aws.kms.Key('orders-key2', {");
      expect(o.newText, key).toContain('serverSideEncryption: { enabled: true, kmsKeyArn: ordersKey2.arn }');
    }
  });

  it('a switch the table does not hold itself (props in a const two tables use, a spread): a key generated, as before', async () => {
    const shared = pulumi(
      `const props = ${sse('{ enabled: false, kmsKeyArn: ordersKey.arn }')};\n${table('a', 'props')}${table('b', 'props')}`,
    );
    const spread = pulumi(
      `const base = { serverSideEncryption: { enabled: false, kmsKeyArn: ordersKey.arn } };\n${table('c', "{ hashKey: 'id', ...base }")}`,
    );
    for (const text of [shared, spread]) {
      const o = await run(one(text), 'fix');
      for (const t of o.tables) expect(t.keptKey, t.address).toBeUndefined();
      expect(o.newText).toContain('dynamoDbKeyPolicy(');
      expect(o.newText).toContain('enabled: false, kmsKeyArn: ordersKey.arn');
    }
  });

  it('CDK for Terraform: the switch alone, in a const of props only the table uses too', async () => {
    const text = `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const config = { name: 'audit', hashKey: 'id', serverSideEncryption: { enabled: false, kmsKeyArn: '${KEY}' } };
    new DynamodbTable(this, 'audit', config);
  }
}
`;
    const o = await run([{ path: 'index.ts', text }], 'fix');
    expect(o.newText).toBe(text.replace('enabled: false', 'enabled: true'));
    expect(o.tables[0].keptKey).toBe(`'${KEY}'`);
  });
});
