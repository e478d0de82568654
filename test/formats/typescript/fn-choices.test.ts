/**
 * Keys chosen by the frameworks' `Fn` calls (src/formats/typescript/fnChoices.ts) and TableV2's replica key ARNs
 * (detect.ts managedReplicaKey), adversarial pass s61: each was read as customer-managed where a deploy leaves the
 * table, or a replica, on the AWS managed key.
 * - F7: CDK's `Fn.conditionIf(cond, key.keyArn, Aws.NO_VALUE)` is CloudFormation's Fn::If with AWS::NoValue: unknown,
 *   as `!If [c, key, !Ref AWS::NoValue]` is; between two keys of the account it stays customer-managed.
 * - F5: CDKTF's `Fn.lookup(map, it.value, null)`: null where the map has no such entry, unknown as the HCL
 *   `lookup({ x = key }, each.key, null)` is; an entry named by a literal the map has is that entry.
 * - F1: `TableEncryptionV2.customerManagedKey(key, { 'eu-west-1': <the AWS managed key> })`: that replica's key is the
 *   AWS managed one (aws-managed, as a CfnGlobalTable replica's is); replica keys of the account stay customer-managed.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const L1 = (key: string) =>
  `import * as cdk from 'aws-cdk-lib';
import { Aws, Fn, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends cdk.Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const key = new kms.Key(this, 'K', { enableKeyRotation: true });
    const other = new kms.Key(this, 'O', { enableKeyRotation: true });
    const isProd = new cdk.CfnCondition(this, 'IsProd', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
    new dynamodb.CfnTable(this, 'T', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ${key} },
    });
  }
}
`;

const CDKTF = (before: string, key: string) =>
  `import { Construct } from 'constructs';
import { TerraformStack, TerraformIterator, Fn } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new KmsKey(this, 'k', { enableKeyRotation: true });
    const other = new KmsKey(this, 'o', { enableKeyRotation: true });
    const it = TerraformIterator.fromList(['x', 'y']);
${before}
    new DynamodbTable(this, 'c', {
      forEach: it,
      name: it.value,
      hashKey: 'pk',
      billingMode: 'PAY_PER_REQUEST',
      attribute: [{ name: 'pk', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
    });
  }
}
`;

const V2 = (before: string, replicaKeys: string, replicas = "replicas: [{ region: 'eu-west-1' }],") =>
  `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends cdk.Stack {
  constructor(scope: any, id: string) {
    super(scope, id, { env: { region: 'us-east-1' } });
    const key = new kms.Key(this, 'K', { enableKeyRotation: true });
${before}
    new dynamodb.TableV2(this, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key, ${replicaKeys}),
      ${replicas}
    });
  }
}
`;

const TABLE = (encryption: string) =>
  `import * as cdk from 'aws-cdk-lib';
import { Aws, Fn } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
export class S extends cdk.Stack {
  constructor(scope: any, id: string) {
    super(scope, id, { env: { region: 'us-east-1' } });
    const key = new kms.Key(this, 'K', { enableKeyRotation: true });
    const imported = kms.Key.fromKeyArn(this, 'I', Fn.conditionIf('IsProd', key.keyArn, Aws.NO_VALUE).toString());
    new dynamodb.${encryption.includes('V2') ? 'TableV2' : 'Table'}(this, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      ${encryption},
    });
  }
}
`;

const MANAGED_ARN = "'arn:aws:kms:eu-west-1:111111111111:alias/aws/dynamodb'";
const KEY_ARN = "'arn:aws:kms:eu-west-1:111111111111:key/11111111-1111-1111-1111-111111111111'";

it.each([
  // F7: CDK L1, Fn.conditionIf.
  [
    'CfnTable: conditionIf(key, Aws.NO_VALUE).toString()',
    L1('cdk.Fn.conditionIf(isProd.logicalId, key.keyArn, cdk.Aws.NO_VALUE).toString()'),
    'unknown',
    'is cdk.Aws.NO_VALUE (no key) where the condition isProd is false',
  ],
  [
    'CfnTable: an imported Fn, Token.asString, NO_VALUE first',
    L1("Token.asString(Fn.conditionIf('IsProd', Aws.NO_VALUE, key.keyArn))"),
    'unknown',
    'is Aws.NO_VALUE (no key) where the condition IsProd is true',
  ],
  [
    "CfnTable: conditionIf(key, Fn.ref('AWS::NoValue'))",
    L1("Fn.conditionIf('IsProd', key.keyArn, Fn.ref('AWS::NoValue')).toString()"),
    'unknown',
    "is Fn.ref('AWS::NoValue') (no key)",
  ],
  [
    'CfnTable: conditionIf(key, the AWS managed alias)',
    L1("Fn.conditionIf('IsProd', key.keyArn, 'alias/aws/dynamodb').toString()"),
    'unknown',
    "the key is the AWS managed key ('alias/aws/dynamodb') where the condition IsProd is false",
  ],
  ['CfnTable: conditionIf between two keys', L1("Fn.conditionIf('IsProd', key.keyArn, other.keyArn).toString()"), 'customer-managed', ''],
  // F7 through a key CDK imports by that ARN: the Table's, TableV2's KMSMasterKeyId is the Fn::If.
  [
    'Table: encryptionKey Key.fromKeyArn of a conditionIf with NO_VALUE, through a const',
    TABLE('encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: imported'),
    'unknown',
    'the key ARN of imported is Aws.NO_VALUE (no key) where the condition IsProd is false',
  ],
  [
    'TableV2: customerManagedKey(Key.fromKeyArn of a conditionIf with NO_VALUE)',
    TABLE('encryption: dynamodb.TableEncryptionV2.customerManagedKey(imported)'),
    'unknown',
    'the key ARN of imported is Aws.NO_VALUE (no key) where the condition IsProd is false',
  ],
  // F5: CDKTF, Fn.lookup over an iterator.
  [
    'CDKTF: Fn.lookup(map, it.value, null)',
    CDKTF('', 'Fn.lookup({ x: key.arn }, it.value, null)'),
    'unknown',
    'is null (no key) where the map has no entry for it.value',
  ],
  [
    'CDKTF: Fn.lookup of a const map whose entry is null',
    CDKTF('    const keys = { x: key.arn, y: null };', 'Fn.lookup(keys, it.value, key.arn)'),
    'unknown',
    'is null (no key) where it.value is y',
  ],
  [
    'CDKTF: Fn.lookup whose default is the AWS managed alias',
    CDKTF('', "Fn.lookup({ x: key.arn, y: other.arn }, it.value, 'alias/aws/dynamodb')"),
    'unknown',
    "the key is the AWS managed key ('alias/aws/dynamodb') where the map has no entry for it.value",
  ],
  ['CDKTF: Fn.lookup among keys, no default', CDKTF('', 'Fn.lookup({ x: key.arn, y: other.arn }, it.value)'), 'customer-managed', ''],
  ['CDKTF: Fn.lookup by a key the map has', CDKTF('', "Fn.lookup({ x: key.arn }, 'x', null)"), 'customer-managed', ''],
  // F1: TableV2's replica key ARNs.
  [
    'TableV2: a replica key that is the AWS managed alias ARN',
    V2('', `{ 'eu-west-1': ${MANAGED_ARN} }`),
    'aws-managed',
    "whose replica key for 'eu-west-1' is 'arn:aws:kms:eu-west-1:111111111111:alias/aws/dynamodb'",
  ],
  [
    'TableV2: a replica key that is a lookup of the alias, through a const map',
    V2("    const replicaKeys = { 'eu-west-1': kms.Alias.fromAliasName(this, 'A', 'alias/aws/dynamodb').aliasArn };", 'replicaKeys'),
    'aws-managed',
    "whose replica key for 'eu-west-1' is kms.Alias.fromAliasName",
  ],
  // CDK reads an entry for a replica's Region only: a table without replicas does not use it (a fix would replace the key).
  ['TableV2: a replica key map of a table without replicas', V2('', `{ 'eu-west-1': ${MANAGED_ARN} }`, ''), 'customer-managed', ''],
  [
    'TableV2: a replica added by addReplica',
    V2('', `{ 'eu-west-1': ${MANAGED_ARN} }`, '').replace('    });\n  }\n}', "    }).addReplica({ region: 'eu-west-1' });\n  }\n}"),
    'aws-managed',
    "whose replica key for 'eu-west-1'",
  ],
  ['TableV2: replica keys of the account', V2('', `{ 'eu-west-1': ${KEY_ARN} }`), 'customer-managed', ''],
])('%s', async (_, text, status, message) => {
  const path = text.includes('cdktf') ? 'main.ts' : 'lib/stack.ts';
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe(status);
  expect(t.message).toContain(message);
});
