/**
 * A key that is a constant of AWS's rain tool (settings.ts rainConstantIn). Session 62's adversarial pass (F4): rain puts
 * `Rain: Constants:` values in at package time, so `!Rain::Constant ddbKey` with `ddbKey: alias/aws/dynamodb` deploys
 * the AWS managed key; kmsfix read the tag as a key and passed the table. Now `unknown` (not read yet).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const template = (key: string) => `AWSTemplateFormatVersion: "2010-09-09"
Rain:
  Constants:
    ddbKey: alias/aws/dynamodb
    keyPath: aws/dynamodb
Constants:
  KeyPath: alias/aws/dynamodb
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${key}
`;

async function scanned(key: string) {
  const r = await processMemory([{ path: 'template.yaml', text: template(key) }], 'scan');
  return r.outcomes[0].tables[0];
}

describe('a rain constant as a key', () => {
  for (const [key, what] of [
    ['!Rain::Constant ddbKey', 'a rain constant'],
    ['!Sub "alias/${Rain::keyPath}"', 'a rain constant in a Fn::Sub'],
    ['!Sub "${Const::KeyPath}"', 'a rain constant in a Fn::Sub'],
    ['{"Fn::Sub": "alias/${Rain::keyPath}"}', 'a rain constant in a Fn::Sub'],
  ]) {
    it(`${key} is unknown, not customer-managed`, async () => {
      expect(await scanned(key)).toMatchObject({
        status: 'unknown',
        reason: `KMSMasterKeyId is ${key}, ${what}, which kmsfix does not read`,
      });
    });
  }

  it('a Fn::Sub of other variables is read as before', async () => {
    expect((await scanned('!Sub "arn:${AWS::Partition}:kms:eu-west-1:111122223333:key/k"')).status).toBe('customer-managed');
  });
});
