/**
 * A key parameter of an SSM parameter type (`AWS::SSM::Parameter::Value<String>`): its Default names the SSM
 * parameter, not the key, which CloudFormation reads from SSM in each account: not known from the code (real-world
 * round 29). A String parameter's default decides, as before.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const template = (type: string, value: string) => `Parameters:
  KeyArn:
    Type: '${type}'
    Default: ${value}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref KeyArn
`;

it.each([
  ['AWS::SSM::Parameter::Value<String>', '/platform/dynamodb/kms-key-id', 'unknown'],
  ['String', 'arn:aws:kms:eu-west-1:111122223333:key/k', 'customer-managed'],
  ['String', 'alias/aws/dynamodb', 'aws-managed'],
])('%s with the default %s: %s', async (type, value, status) => {
  const t = (await processMemory([{ path: 'template.yaml', text: template(type, value) }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
});
