/**
 * A KMSMasterKeyId looked up by Fn::FindInMap was read as a customer-managed key whatever the mapping
 * held, so a table deployed on the AWS managed key (`alias/aws/dynamodb` in the mapping) was called
 * compliant. The mapping is read: every value it may give the AWS managed key, that key (aws-managed,
 * fixed); some, decided at deploy time (unknown); none, a customer-managed key as before.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const template = (lookup: string) => `Parameters:
  Stage:
    Type: String
    Default: dev
Mappings:
  StageConfig:
    dev:
      TableKey: alias/aws/dynamodb
    prod:
      TableKey: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
  Shared:
    Encryption:
      TableKey: arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb
      Other: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${lookup}
`;

it.each([
  ['a literal lookup of the AWS managed key’s alias ARN', '!FindInMap [Shared, Encryption, TableKey]', 'aws-managed', true],
  ['a lookup by stage, one of whose values is the AWS managed key', '!FindInMap [StageConfig, !Ref Stage, TableKey]', 'unknown', false],
  ['a lookup of a stage whose value is a key of the account', '!FindInMap [StageConfig, prod, TableKey]', 'customer-managed', false],
  ['a lookup of a second key that is not the AWS managed key', '!FindInMap [Shared, Encryption, Other]', 'customer-managed', false],
  [
    'a DefaultValue (AWS::LanguageExtensions) that is the AWS managed key, for a key the mapping may lack',
    '!FindInMap [StageConfig, !Ref Stage, TableKey, {DefaultValue: alias/aws/dynamodb}]',
    'unknown',
    false,
  ],
  ['the long form', '\n          Fn::FindInMap: [Shared, Encryption, TableKey]', 'aws-managed', true],
])('%s', async (_, lookup, status, fixable) => {
  const t = (await processMemory([{ path: 'template.yaml', text: template(lookup) }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual([status, fixable]);
  if (status === 'unknown') expect(t.message).toContain('in a mapping where some values are alias/aws/dynamodb');
});
