/**
 * AWS CDK's CfnTable with a key and no sseType (src/rule/cmk.ts untypedKey), as the CloudFormation forms are read
 * since session 50: CDK synthesizes sseSpecification as given (no SSEType added), and CloudFormation rejects
 * KMSMasterKeyId without SSEType ("SSEType KMS is required if KMSMasterKeyId is specified"; cfn-lint E3021, which
 * aws-cdk-lib 2.276's own template validation reports at synth as F3021), so the table keeps the key it had. It was
 * read customer-managed and passed. A serverless.ts resource the same. CDK for Terraform's and Pulumi's tables are
 * not: hashicorp/aws sends SSEType KMS with any kms_key_arn (expandEncryptAtRestOptions). The fixtures
 * (fixtures/typescript/cdk-cfntable-untyped-key*, serverless-ts-untyped-key) hold the fix.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const stack = (body: string) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
${body}  }
}
`;

const table = (id: string, props: string) => `    new dynamodb.CfnTable(this, '${id}', ${props});\n`;
const sse = (spec: string) => `{
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      sseSpecification: ${spec},
    }`;

async function run(text: string, mode: 'scan' | 'fix' = 'scan', options = {}, path = 'lib/stack.ts') {
  return (await processMemory([{ path, text }], mode, options)).outcomes[0];
}

describe('CfnTable: kmsMasterKeyId without sseType', () => {
  it('CDK synthesizes sseSpecification as given: no SSEType beside the key', () => {
    const require = createRequire(import.meta.url);
    const cdk = require('aws-cdk-lib');
    const dynamodb = require('aws-cdk-lib/aws-dynamodb');
    const s = new cdk.Stack(new cdk.App(), 'S');
    const t = new dynamodb.CfnTable(s, 'T', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      sseSpecification: { sseEnabled: true, kmsMasterKeyId: KEY },
    });
    expect(s.resolve(t._toCloudFormation()).Resources.T.Properties.SSESpecification).toEqual({ SSEEnabled: true, KMSMasterKeyId: KEY });
  });

  it('is aws-managed and fixable, and says CloudFormation rejects it, in CDK words', async () => {
    const o = await run(stack(table('T', sse(`{ sseEnabled: true, kmsMasterKeyId: '${KEY}' }`))));
    expect(o.tables[0]).toMatchObject({ status: 'aws-managed', compliant: false, fixable: true });
    expect(o.tables[0].message).toMatch(
      /^kmsMasterKeyId 'arn:aws:kms:.+ is not used: sseSpecification has no sseType, and CloudFormation rejects a kmsMasterKeyId without sseType: KMS \(cfn-lint E3021\)/,
    );
  });

  it("the fix adds sseType: 'KMS' alone and keeps the key: no key, alias or import written", async () => {
    const text = stack(table('T', sse(`{ sseEnabled: true, kmsMasterKeyId: '${KEY}' }`)));
    const o = await run(text, 'fix');
    expect(o.error).toBeUndefined();
    expect(o.newText).toBe(text.replace(`kmsMasterKeyId: '${KEY}' }`, `kmsMasterKeyId: '${KEY}', sseType: 'KMS' }`));
  });

  it('with --kms-key-arn too: the table keeps its own key', async () => {
    const text = stack(table('T', sse(`{ sseEnabled: true, kmsMasterKeyId: '${KEY}' }`)));
    const o = await run(text, 'fix', { kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/other' });
    expect(o.newText).toBe(text.replace(`kmsMasterKeyId: '${KEY}' }`, `kmsMasterKeyId: '${KEY}', sseType: 'KMS' }`));
  });

  it('with sseType KMS, or with the AWS managed key, as before', async () => {
    const typed = await run(stack(table('T', sse(`{ sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: '${KEY}' }`))));
    expect(typed.tables[0]).toMatchObject({ status: 'customer-managed', compliant: true });
    const managed = await run(stack(table('T', sse(`{ sseEnabled: true, kmsMasterKeyId: 'alias/aws/dynamodb' }`))));
    expect(managed.tables[0]).toMatchObject({
      status: 'aws-managed',
      message: expect.stringMatching(/^kmsMasterKeyId is 'alias\/aws\/dynamodb'/),
    });
  });

  it('settings from a spread, or props in a const other tables use: not changed for one table, the step says what to add', async () => {
    const spread = stack(
      `    const base = { sseSpecification: { sseEnabled: true, kmsMasterKeyId: '${KEY}' } };\n` +
        table('T', `{ keySchema: [{ attributeName: 'id', keyType: 'HASH' }], ...base }`) +
        `    const props = { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], sseSpecification: { sseEnabled: true, kmsMasterKeyId: '${KEY}' } };\n` +
        table('A', 'props') +
        table('B', 'props'),
    );
    const o = await run(spread);
    for (const t of o.tables) expect(t, t.address).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(o.tables[0].blocker).toMatch(
      /^sseSpecification comes from a spread \(line 8\), .*add sseType: 'KMS' beside its kmsMasterKeyId by hand/,
    );
    expect(o.tables[1].blocker).toMatch(
      /^sseSpecification is in props, the table's props, which other code uses too, .*add sseType: 'KMS'/,
    );
    expect((await run(spread, 'fix')).newText).toBeUndefined();
  });

  it('CfnGlobalTable: a replica key under sseEnabled true alone stays customer-managed (as AWS::DynamoDB::GlobalTable)', async () => {
    const o = await run(
      stack(
        `    new dynamodb.CfnGlobalTable(this, 'G', {\n      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],\n` +
          `      sseSpecification: { sseEnabled: true },\n      replicas: [{ region: 'us-east-1', sseSpecification: { kmsMasterKeyId: '${KEY}' } }],\n    });\n`,
      ),
    );
    expect(o.tables[0]).toMatchObject({ status: 'customer-managed' });
  });

  it('CDK for Terraform and Pulumi: a kmsKeyArn needs no type (the provider sends SSEType KMS), customer-managed as before', async () => {
    const cdktf = `import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { TerraformStack } from 'cdktf';
export class S extends TerraformStack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new DynamodbTable(this, 'T', { name: 't', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], serverSideEncryption: { enabled: true, kmsKeyArn: '${KEY}' } });
  }
}
`;
    const pulumi = `import * as aws from '@pulumi/aws';
export const t = new aws.dynamodb.Table('t', { hashKey: 'id', attributes: [{ name: 'id', type: 'S' }], serverSideEncryption: { enabled: true, kmsKeyArn: '${KEY}' } });
`;
    expect((await run(cdktf, 'scan', {}, 'main.ts')).tables[0]).toMatchObject({ status: 'customer-managed' });
    expect((await run(pulumi, 'scan', {}, 'index.ts')).tables[0]).toMatchObject({ status: 'customer-managed' });
  });
});

describe('serverless.ts: KMSMasterKeyId without SSEType', () => {
  const service = (resource: string, before = '') => `import type { AWS } from '@serverless/typescript';
${before}const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: { name: 'aws' },
  resources: {
    Resources: {
      Orders: ${resource},
    },
  },
};
module.exports = serverlessConfiguration;
`;

  it("aws-managed; the fix adds SSEType: 'KMS' alone", async () => {
    const text = service(
      `{ Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true, KMSMasterKeyId: '${KEY}' } } }`,
    );
    const o = await run(text, 'fix', {}, 'serverless.ts');
    expect(o.tables[0]).toMatchObject({ status: 'aws-managed', fixable: true });
    expect(o.newText).toBe(text.replace(`KMSMasterKeyId: '${KEY}' }`, `KMSMasterKeyId: '${KEY}', SSEType: 'KMS' }`));
  });

  it('SSESpecification from a spread: the step', async () => {
    const base = `const base = { SSESpecification: { SSEEnabled: true, KMSMasterKeyId: '${KEY}' } };\n`;
    const o = await run(service(`{ Type: 'AWS::DynamoDB::Table', Properties: { ...base } }`, base), 'scan', {}, 'serverless.ts');
    expect(o.tables[0]).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(o.tables[0].blocker).toMatch(/^SSESpecification comes from a spread \(line 2\), .*add SSEType: 'KMS' beside its KMSMasterKeyId/);
  });
});
