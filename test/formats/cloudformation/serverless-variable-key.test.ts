/**
 * A KMSMasterKeyId written as one Serverless variable was read as a customer-managed key whatever it
 * resolved to: `${self:custom.tableKey}` with custom.tableKey `alias/aws/dynamodb` was called compliant.
 * The variable is read in the service file: every value it may take the AWS managed key, that key
 * (aws-managed, fixed); some (a stage's param, a fallback), unknown; none, a customer-managed key as before.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const service = (key: string) => `service: orders
provider:
  name: aws
params:
  default:
    tableKey: alias/aws/dynamodb
  prod:
    tableKey: ${KEY}
custom:
  managedKey: alias/aws/dynamodb
  ownKey: ${KEY}
  nested:
    key: \${param:tableKey}
  byStage:
    dev: alias/aws/dynamodb
    prod: ${KEY}
  ownByStage:
    dev: ${KEY}
  stages:
    dev:
      kmsKey: alias/aws/dynamodb
    prod:
      kmsKey: ${KEY}
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: ${key}
`;

it.each([
  ['${self:custom.managedKey}', 'aws-managed', true],
  ['${self:custom.ownKey}', 'customer-managed', false],
  ['${self:custom.nested.key} (another variable)', 'customer-managed', false],
  ['${param:tableKey} (the default stage’s value is the AWS managed key)', 'unknown', false],
  ["${ssm:/platform/key, 'alias/aws/dynamodb'} (a fallback)", 'unknown', false],
  ['${ssm:/platform/key}', 'customer-managed', false],
  ['${env:TABLE_KEY, ""}', 'unknown', false],
  ['${self:custom.byStage.${sls:stage}} (a map chosen by the stage: real-world round 28)', 'unknown', false],
  ['${self:custom.ownByStage.${self:provider.stage}}', 'customer-managed', false],
  ['${self:custom.stages.${sls:stage}.kmsKey} (adversarial pass)', 'unknown', false],
  ["${self:custom.ownByStage.${sls:stage}, 'alias/aws/dynamodb'} (a fallback for a stage the map lacks)", 'unknown', false],
  ['${self:custom.byStage.${sls:stage}, ${ssm:/shared/key}} (a variable as the fallback)', 'unknown', false],
])('%s', async (written, status, fixable) => {
  const key = written.split(' (')[0];
  const t = (await processMemory([{ path: 'serverless.yml', text: service(key) }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual([status, fixable]);
});
