/**
 * CDK's `encryption` chosen by a condition (real-world round 30: `isProd ? TableEncryption.AWS_MANAGED :
 * TableEncryption.DEFAULT`, or `: undefined`, in a stack the app builds per environment): when no value it can take
 * is customer-managed the table is not, whichever the condition picks (AWS owned if any value is), and it is not
 * fixed (the choice is the code's); was `unknown`, "check the deployed value". A customer-managed branch stays unknown.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (encryption: string, v2 = false) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class UsersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: cdk.StackProps & { stage: string }) {
    super(scope, id, props);
    const isProd = props.stage === 'prod';
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true });
    new dynamodb.${v2 ? 'TableV2' : 'Table'}(this, 'Users', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: ${encryption},
    });
  }
}
`;

it.each([
  ['isProd ? dynamodb.TableEncryption.AWS_MANAGED : dynamodb.TableEncryption.DEFAULT', false, 'aws-owned'],
  ['isProd ? dynamodb.TableEncryption.AWS_MANAGED : undefined', false, 'aws-owned'],
  ["props.stage === 'prod' ? dynamodb.TableEncryptionV2.awsManagedKey() : dynamodb.TableEncryptionV2.dynamoOwnedKey()", true, 'aws-owned'],
  ['isProd ? dynamodb.TableEncryption.AWS_MANAGED : dynamodb.TableEncryption.AWS_MANAGED', false, 'aws-managed'],
  ['isProd ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.DEFAULT', false, 'unknown'],
  ['isProd ? dynamodb.TableEncryptionV2.customerManagedKey(key) : dynamodb.TableEncryptionV2.awsManagedKey()', true, 'unknown'],
])('%s', async (encryption, v2, status) => {
  const r = await processMemory([{ path: 'lib/users-stack.ts', text: stack(encryption, v2) }], 'fix');
  const [t] = r.outcomes[0].tables;
  expect([t.status, t.fixable, r.outcomes[0].newText]).toEqual([status, false, undefined]);
  if (status !== 'unknown') {
    expect(t.reason).toMatch(/no value it can take uses a customer-managed key/);
    expect(t.blocker).toMatch(/the setting is chosen by `(isProd|props\.stage === 'prod')`: kmsfix leaves the choice to the code/);
  }
});
