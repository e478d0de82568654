/**
 * A Serverless service's resources.extensions: the Framework assigns an extension's Properties over the
 * resource's after merging resources.Resources, so an extension's SSESpecification is the one deployed.
 * A table was read from its own Properties only: one deployed with SSEEnabled false was called
 * customer-managed, and a fix of another was replaced by its extension (the next scan calling it
 * compliant). The extension's SSESpecification is read, and such a table is never fixed, with the step.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const SERVICE = `service: orders
provider:
  name: aws
resources:
  Resources:
    OrdersKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: !GetAtt OrdersKey.Arn
    AuditTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    TagsTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    VarTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
  extensions:
    OrdersTable:
      Properties:
        SSESpecification:
          SSEEnabled: false
    AuditTable:
      Properties:
        SSESpecification:
          SSEEnabled: true
    TagsTable:
      Properties:
        Tags:
          - Key: team
            Value: orders
    VarTable:
      Properties: \${file(./var-table.yml)}
`;

it("an extension's SSESpecification is the table's; other extensions change nothing", async () => {
  const r = await processMemory([{ path: 'serverless.yml', text: SERVICE }], 'fix');
  const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
  expect(by.get('OrdersTable')).toMatchObject({ status: 'aws-owned', fixable: false });
  expect(by.get('AuditTable')).toMatchObject({ status: 'aws-managed', fixable: false });
  expect(by.get('VarTable')).toMatchObject({ status: 'unknown', fixable: false });
  expect(by.get('OrdersTable')!.message).toContain('resources.extensions.OrdersTable.Properties sets its SSESpecification');
  expect(by.get('TagsTable')).toMatchObject({ status: 'aws-owned', fixed: true });
  const out = r.output.get('serverless.yml')!;
  expect(out).toContain('TagsTableKey:');
  expect(out).not.toMatch(/AuditTableKey:|OrdersTableKey:|VarTableKey:/);
});

it('an extension in an item of a resources list (which the Framework merges) counts too', async () => {
  const text = `service: orders
provider:
  name: aws
resources:
  - Resources:
      OrdersTable:
        Type: AWS::DynamoDB::Table
        Properties:
          BillingMode: PAY_PER_REQUEST
  - extensions:
      OrdersTable:
        Properties:
          SSESpecification:
            SSEEnabled: false
`;
  const t = (await processMemory([{ path: 'serverless.yml', text }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual(['aws-owned', false]);
  expect(t.message).toContain('resources.extensions.OrdersTable.Properties sets its SSESpecification');
});
