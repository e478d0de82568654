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

/**
 * One reader of a lookup (environments.ts mapLookup) serves conditions and the key since session 52: a key
 * picked by a parameter reads only the entries its AllowedValues name (CloudFormation refuses any other value),
 * a DefaultValue counts only where a key may be missing, and an entry written as a YAML alias is read through.
 */
it.each([
  [
    'a stage parameter whose AllowedValues name only the stage with a key of the account',
    '[prod]',
    '!FindInMap [StageConfig, !Ref Stage, TableKey]',
    'customer-managed',
    false,
  ],
  [
    'a stage parameter whose AllowedValues name only the stage with the AWS managed key',
    '[dev]',
    '!FindInMap [StageConfig, !Ref Stage, TableKey]',
    'aws-managed',
    true,
  ],
  ['a stage parameter whose AllowedValues name both', '[dev, prod]', '!FindInMap [StageConfig, !Ref Stage, TableKey]', 'unknown', false],
  [
    'a DefaultValue that is the AWS managed key where every key is present',
    '[dev, prod]',
    '!FindInMap [Shared, Encryption, Other, {DefaultValue: alias/aws/dynamodb}]',
    'customer-managed',
    false,
  ],
  [
    'an entry that is a YAML alias of the AWS managed key',
    '[dev, prod]',
    '!FindInMap [Aliased, Encryption, TableKey]',
    'aws-managed',
    true,
  ],
  ['an entry that is a function beside the AWS managed key', '[dev, prod]', '!FindInMap [Mixed, !Ref Stage, TableKey]', 'unknown', false],
])('%s', async (_, allowed, lookup, status, fixable) => {
  const text = template(lookup)
    .replace('    Default: dev\n', `    Default: dev\n    AllowedValues: ${allowed}\n`)
    .replace(
      'Resources:\n',
      '  Aliased:\n    Encryption:\n      TableKey: *managed\n  Mixed:\n    dev:\n      TableKey: alias/aws/dynamodb\n    prod:\n      TableKey: !Sub arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/k\nResources:\n',
    )
    .replace(
      '      TableKey: alias/aws/dynamodb\n    prod:\n      TableKey: arn',
      '      TableKey: &managed alias/aws/dynamodb\n    prod:\n      TableKey: arn',
    );
  const t = (await processMemory([{ path: 'template.yaml', text }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual([status, fixable]);
});
