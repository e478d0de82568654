/**
 * A Serverless Framework service written in TypeScript (`serverless.ts`, the aws-nodejs-typescript
 * template) declares its tables as CloudFormation resources in object literals: `resources: {
 * Resources: { Orders: { Type: 'AWS::DynamoDB::Table', Properties: {...} } } }`. They were a silent
 * miss (the file did not pass the TypeScript prefilter). They are read as CloudFormation reads them,
 * reported with their status and suppressions, and never fixed (the message gives the step).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';

const SERVICE = `import type { AWS } from '@serverless/typescript';

const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  resources: {
    Resources: {
      ShopItems: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { SSESpecification: { SSEEnabled: true } },
      },
      Keyed: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      },
      Global: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' }, Replicas: [{ Region: 'us-east-1' }] },
      },
      // checkov:skip=CKV_AWS_119:cache, rebuilt on deploy
      Cache: { Type: 'AWS::DynamoDB::Table' },
      Queue: { Type: 'AWS::SQS::Queue' },
    },
  },
};

module.exports = serverlessConfiguration;
`;

describe('serverless.ts: CloudFormation resources in object literals', () => {
  it('pass the prefilter, and each table is reported with its status, never fixed', async () => {
    expect(typescriptEntry.prefilter(SERVICE)).toBe(true);
    const r = await processMemory([{ path: 'serverless.ts', text: SERVICE }], 'fix', {});
    expect(r.outcomes[0].error).toBeUndefined();
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()]).toEqual(['ShopItems', 'Orders', 'Keyed', 'Global', 'Cache']);
    expect(by.get('ShopItems')).toMatchObject({
      line: 8,
      format: 'serverless',
      type: 'AWS::DynamoDB::Table',
      status: 'aws-owned',
      fixable: false,
    });
    expect(by.get('ShopItems')!.message).toContain(
      'Not fixable automatically: the table is a CloudFormation resource written in TypeScript (a serverless.ts), which kmsfix reads but does not rewrite',
    );
    expect(by.get('Orders')).toMatchObject({ status: 'aws-managed', reason: 'SSE is enabled with no KMSMasterKeyId' });
    expect(by.get('Keyed')!.status).toBe('customer-managed');
    expect(by.get('Global')!.status).toBe('aws-managed');
    expect(by.get('Cache')!.status).toBe('suppressed');
    expect(r.output.get('serverless.ts') ?? SERVICE).toBe(SERVICE);
  });
});
