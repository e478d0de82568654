/**
 * A serverless.ts table resource spread into another object that then overrides what the spread gave (adversarial
 * pass of session 58, F6): what CloudFormation gets is the override, so the literal kmsfix reads is not the table's
 * setting. Such a table is `unknown`; a spread nothing overrides is read as before (src/formats/typescript/spreadOverrides.ts).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = "'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'";
const service = (resources: string) => `import type { AWS } from '@serverless/typescript';

const tables = {
  Orders: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ${KEY} },
    },
  },
};

const serverlessConfiguration: AWS = {
  service: 'svc',
  provider: { name: 'aws', runtime: 'nodejs18.x' },
  resources: {
    Resources: ${resources},
  },
};

module.exports = serverlessConfiguration;
`;

async function orders(resources: string) {
  const r = await processMemory([{ path: 'serverless.ts', text: service(resources) }], 'scan');
  expect(r.outcomes.map((o) => o.error).filter(Boolean)).toEqual([]);
  return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'Orders')!;
}

describe('serverless.ts: a table resource spread and overridden', () => {
  it('overridden through the map, the resource, its Properties or its SSESpecification: unknown, the spread named', async () => {
    for (const resources of [
      '{ ...tables, Orders: { ...tables.Orders, Properties: { ...tables.Orders.Properties, SSESpecification: { SSEEnabled: false } } } }',
      "{ ...tables, Orders: { Type: 'AWS::DynamoDB::Table', Properties: {} } }",
      "{ Orders: { ...tables.Orders, Properties: { BillingMode: 'PAY_PER_REQUEST' } } }",
      "{ Orders: { ...tables['Orders'], Type: 'AWS::DynamoDB::Table' } }",
      '{ ...tables, Orders: { ...tables.Orders, Properties: { ...tables.Orders.Properties, SSESpecification: { ...tables.Orders.Properties.SSESpecification, SSEEnabled: false } } } }',
    ]) {
      const t = await orders(resources);
      expect([resources, t.status]).toEqual([resources, 'unknown']);
      expect(t.message).toMatch(/the resource is spread at line 19 \(\.\.\.tables[\w.'[\]]*\) into an object that overrides what it gives/);
    }
  });

  it('a spread nothing overrides, one overridden before it, or overrides that do not reach the SSESpecification: read as written', async () => {
    for (const resources of [
      '{ ...tables }',
      "{ ...tables, Topic: { Type: 'AWS::SNS::Topic' } }",
      "{ Orders: { Type: 'AWS::SNS::Topic' }, ...tables }",
      "{ ...tables, Extra: { Type: 'AWS::SNS::Topic', Properties: { ...tables.Orders.Properties, TopicName: 'copy' } } }",
      // Overrides that do not reach the SSESpecification (adversarial pass 2 of session 58, F6).
      "{ ...tables, Orders: { ...tables.Orders, DeletionPolicy: 'Retain', Properties: { ...tables.Orders.Properties, TableName: 'orders' } } }",
    ]) {
      const t = await orders(resources);
      expect([resources, t.status]).toEqual([resources, 'customer-managed']);
    }
  });
});
