/**
 * A table whose key is a key of the same file with an asymmetric or HMAC spec, or a usage other than
 * ENCRYPT_DECRYPT (real-world round 40, F2): DynamoDB takes only symmetric encryption keys, so the deploy fails
 * and the table keeps the key it had. Read as the AWS managed key, not fixable, the step naming the spec; a
 * symmetric key, or a spec kmsfix cannot read (a parameter, a variable), stays customer-managed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function scanOne(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'scan');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return r.outcomes[0].tables;
}

describe('CloudFormation', () => {
  const template = (keyProps: string, keyRef = '!GetAtt SignKey.Arn') => `Parameters:
  Spec:
    Type: String
    Default: RSA_2048
Resources:
  SignKey:
    Type: AWS::KMS::Key
    Properties:
${keyProps}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${keyRef}
`;

  it.each([
    ['      KeySpec: RSA_2048', 'KeySpec: RSA_2048', 'KeySpec'],
    [
      '      KeySpec: HMAC_256\n      KeyUsage: GENERATE_VERIFY_MAC',
      'KeySpec: HMAC_256, KeyUsage: GENERATE_VERIFY_MAC',
      'KeySpec and KeyUsage',
    ],
    ['      KeySpec: SYMMETRIC_DEFAULT\n      KeyUsage: SIGN_VERIFY', 'KeyUsage: SIGN_VERIFY', 'KeyUsage'],
  ])('%s: not usable, not fixable', async (props, written, names) => {
    for (const ref of ['!GetAtt SignKey.Arn', '!Ref SignKey']) {
      const [t] = await scanOne('template.yaml', template(props, ref));
      expect(t.status).toBe('aws-managed');
      expect(t.fixable).toBe(false);
      expect(t.message).toContain(`KMSMasterKeyId ${ref} is AWS::KMS::Key SignKey, a key DynamoDB cannot use (${written})`);
      expect(t.blocker).toContain(`use a symmetric encryption key: remove ${names} from AWS::KMS::Key SignKey`);
    }
  });

  it.each([
    ['      KeySpec: SYMMETRIC_DEFAULT\n      KeyUsage: ENCRYPT_DECRYPT'],
    ['      EnableKeyRotation: true'],
    ['      KeySpec: !Ref Spec'],
  ])('%s: customer-managed', async (props) => {
    const [t] = await scanOne('template.yaml', template(props));
    expect(t.status).toBe('customer-managed');
  });

  it('a global table replica whose key is asymmetric: not fixable', async () => {
    const text = `Resources:
  SignKey:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: ECC_NIST_P256
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      SSESpecification: {SSEEnabled: true, SSEType: KMS}
      Replicas:
        - Region: !Ref AWS::Region
          SSESpecification: {KMSMasterKeyId: !GetAtt SignKey.Arn}
`;
    const [t] = await scanOne('template.yaml', text);
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('remove KeySpec from AWS::KMS::Key SignKey');
  });
});

describe('Terraform', () => {
  const main = (keyAttrs: string, ref = 'aws_kms_key.sign.arn') => `variable "spec" {
  default = "RSA_2048"
}

resource "aws_kms_key" "sign" {
${keyAttrs}
}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = ${ref}
  }
}
`;

  it.each([
    ['  customer_master_key_spec = "RSA_2048"', 'customer_master_key_spec = "RSA_2048"'],
    ['  key_usage = "SIGN_VERIFY"', 'key_usage = "SIGN_VERIFY"'],
  ])('%s: not usable, not fixable', async (attrs, written) => {
    const [t] = await scanOne('main.tf', main(attrs));
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
    expect(t.message).toContain(`is aws_kms_key.sign, a key DynamoDB cannot use (${written})`);
    expect(t.blocker).toContain('use a symmetric encryption key: remove');
  });

  it('a key of a count: not usable', async () => {
    const [t] = await scanOne('main.tf', main('  count = 1\n  customer_master_key_spec = "HMAC_256"', 'aws_kms_key.sign[0].arn'));
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
  });

  it.each([
    ['  customer_master_key_spec = "SYMMETRIC_DEFAULT"'],
    ['  customer_master_key_spec = var.spec'],
    ['  enable_key_rotation = true'],
  ])('%s: customer-managed', async (attrs) => {
    const [t] = await scanOne('main.tf', main(attrs));
    expect(t.status).toBe('customer-managed');
  });
});

describe('AWS CDK', () => {
  const stack = (keyProps: string, table: string) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { env: { region: 'eu-west-1' } });
    const sign = new kms.Key(this, 'Sign', { ${keyProps} });
    ${table}
  }
}
`;
  const table =
    "new dynamodb.Table(this, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryptionKey: sign });";
  const v2 =
    "new dynamodb.TableV2(this, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryptionV2.customerManagedKey(sign) });";
  const cfn =
    "new dynamodb.CfnTable(this, 'T', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: sign.keyArn } });";

  it.each([
    ['keySpec: kms.KeySpec.RSA_2048', table, 'keySpec: kms.KeySpec.RSA_2048'],
    [
      'keyUsage: kms.KeyUsage.SIGN_VERIFY, keySpec: kms.KeySpec.ECC_NIST_P256',
      v2,
      'keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY',
    ],
    [
      'keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC',
      cfn,
      'keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC',
    ],
  ])('%s: not usable, not fixable', async (props, t, written) => {
    const [got] = await scanOne('lib/s.ts', stack(props, t));
    expect(got.status).toBe('aws-managed');
    expect(got.fixable).toBe(false);
    expect(got.message).toContain(`the kms.Key sign, a key DynamoDB cannot use (${written})`);
    expect(got.blocker).toContain('use a symmetric encryption key: remove');
  });

  it.each([
    ['keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT', table],
    ['enableKeyRotation: true', v2],
    ['keySpec: props.spec', cfn],
  ])('%s: customer-managed', async (props, t) => {
    const [got] = await scanOne('lib/s.ts', stack(props, t));
    expect(got.status).toBe('customer-managed');
  });
});

describe('Pulumi', () => {
  const program = (keyArgs: string) => `import * as aws from '@pulumi/aws';

const sign = new aws.kms.Key('sign', { ${keyArgs} });
export const orders = new aws.dynamodb.Table('orders', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
  billingMode: 'PAY_PER_REQUEST',
  serverSideEncryption: { enabled: true, kmsKeyArn: sign.arn },
});
`;

  it('an asymmetric key: not usable, not fixable', async () => {
    const [t] = await scanOne('index.ts', program("customerMasterKeySpec: 'RSA_4096', keyUsage: 'ENCRYPT_DECRYPT'"));
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
    expect(t.message).toContain("the aws.kms.Key sign, a key DynamoDB cannot use (customerMasterKeySpec: 'RSA_4096')");
  });

  it.each([["customerMasterKeySpec: 'SYMMETRIC_DEFAULT'"], ['enableKeyRotation: true']])('%s: customer-managed', async (args) => {
    const [t] = await scanOne('index.ts', program(args));
    expect(t.status).toBe('customer-managed');
  });
});

describe('Pulumi YAML', () => {
  const program = (keyProps: string) => `name: p
runtime: yaml

resources:
  sign:
    type: aws:kms:Key
    properties:
${keyProps}
  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: id
          type: S
      hashKey: id
      billingMode: PAY_PER_REQUEST
      serverSideEncryption:
        enabled: true
        kmsKeyArn: \${sign.arn}
`;

  it('an HMAC key: not usable, not fixable', async () => {
    const [t] = await scanOne('Pulumi.yaml', program('      customerMasterKeySpec: HMAC_512\n      keyUsage: GENERATE_VERIFY_MAC'));
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
    expect(t.message).toContain(
      'the aws:kms:Key sign, a key DynamoDB cannot use (customerMasterKeySpec: HMAC_512, keyUsage: GENERATE_VERIFY_MAC)',
    );
    expect(t.blocker).toContain('remove customerMasterKeySpec and keyUsage from the aws:kms:Key sign');
  });

  it.each([
    ['      customerMasterKeySpec: SYMMETRIC_DEFAULT'],
    ['      customerMasterKeySpec: ${spec}'],
    ['      enableKeyRotation: true'],
  ])('%s: customer-managed', async (props) => {
    const [t] = await scanOne('Pulumi.yaml', program(props));
    expect(t.status).toBe('customer-managed');
  });
});
