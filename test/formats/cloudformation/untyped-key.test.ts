/**
 * A table's own key with no SSEType (src/rule/cmk.ts untypedKey). Found by session 50's research: CloudFormation
 * rejects `SSESpecification: {SSEEnabled: true, KMSMasterKeyId: ...}` without `SSEType: KMS` ("SSEType KMS is required
 * if KMSMasterKeyId is specified"; cfn-lint E3021), so the stack fails and the table keeps the key it had; kmsfix called
 * it customer-managed and passed it. The fixtures (fixtures/cloudformation/untyped-key*) hold the fix.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const template = (sse: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      SSESpecification:
${sse}`;

async function scanned(text: string, options = {}) {
  const r = await processMemory([{ path: 'template.yaml', text }], 'scan', options);
  return r.outcomes[0].tables[0];
}

describe('KMSMasterKeyId without SSEType', () => {
  it('is aws-managed, non-compliant and fixable, and says CloudFormation rejects it', async () => {
    const t = await scanned(template('        SSEEnabled: true\n        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k\n'));
    expect(t).toMatchObject({ status: 'aws-managed', compliant: false, fixable: true });
    expect(t.message).toMatch(
      /^KMSMasterKeyId arn:aws:kms:\S+ is not used: SSESpecification has no SSEType, and CloudFormation rejects .*\(cfn-lint E3021\)/,
    );
  });

  it('the fix adds SSEType alone and keeps the key: no key generated', async () => {
    const text = template('        SSEEnabled: true\n        KMSMasterKeyId: !Ref KeyArn\n').replace(
      'Resources:',
      'Parameters:\n  KeyArn:\n    Type: String\nResources:',
    );
    const r = await processMemory([{ path: 'template.yaml', text }], 'fix', {});
    expect(r.outcomes[0].newText).toBe(
      text.replace('KMSMasterKeyId: !Ref KeyArn\n', 'KMSMasterKeyId: !Ref KeyArn\n        SSEType: KMS\n'),
    );
  });

  it('with SSEType KMS, or with the AWS managed key, as before', async () => {
    const typed = await scanned(
      template('        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k\n'),
    );
    expect(typed).toMatchObject({ status: 'customer-managed', compliant: true });
    const managed = await scanned(template('        SSEEnabled: true\n        KMSMasterKeyId: alias/aws/dynamodb\n'));
    expect(managed).toMatchObject({ status: 'aws-managed', message: expect.stringMatching(/^KMSMasterKeyId is alias\/aws\/dynamodb/) });
  });

  it('AWS::DynamoDB::GlobalTable: not checked (a replica key under SSEEnabled: true alone is customer-managed, as before)', async () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sessions:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      BillingMode: PAY_PER_REQUEST
      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
      SSESpecification:
        SSEEnabled: true
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      Replicas:
        - Region: !Ref AWS::Region
          SSESpecification:
            KMSMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/k
`;
    expect(await scanned(text)).toMatchObject({ status: 'customer-managed' });
  });
});

/**
 * A key Fn::If chooses, with no SSEType (src/rule/cmk.ts branchesVerdict): where a SAM configuration shows every
 * environment's choice and each is a key of its own, the table is AWS managed in each (the template is rejected), and
 * SSEType: KMS beside the Fn::If makes it customer-managed in each: fixed so. Else read as written (unknown), as before.
 */
describe('KMSMasterKeyId chosen by Fn::If, without SSEType', () => {
  const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const text = template('        SSEEnabled: true\n        KMSMasterKeyId: !If [HasKey, !Ref KmsKeyArn, !Ref AWS::NoValue]\n').replace(
    'Resources:',
    "Parameters:\n  KmsKeyArn:\n    Type: String\n    Default: ''\nConditions:\n  HasKey: !Not [!Equals [!Ref KmsKeyArn, '']]\nResources:",
  );
  const toml = (envs: Record<string, string>) =>
    `version = 0.1\n${Object.entries(envs)
      .map(([env, overrides]) => `[${env}.deploy.parameters]\nstack_name = "app-${env}"\nparameter_overrides = "${overrides}"\n`)
      .join('')}`;
  const files = (config?: string) => [
    { path: 'app/template.yaml', text },
    ...(config === undefined ? [] : [{ path: 'app/samconfig.toml', text: config }]),
  ];
  const table = async (config?: string) =>
    (await processMemory(files(config), 'scan', {})).outcomes.find((o) => o.file.path === 'app/template.yaml')!.tables[0];

  it('every environment picks a key of its own: aws-managed, fixed by SSEType: KMS alone, the Fn::If kept', async () => {
    const config = toml({ default: `KmsKeyArn=${ARN}`, prod: `KmsKeyArn=${ARN.replace('1111', '4444')}` });
    const t = await table(config);
    expect(t).toMatchObject({ status: 'aws-managed', fixable: true });
    expect(t.message).toMatch(
      /^KMSMasterKeyId !If \[HasKey, .*\] is not used: SSESpecification has no SSEType.*condition HasKey in app\/samconfig\.toml \(default, prod: true\)/,
    );
    const r = await processMemory(files(config), 'fix', {});
    const fixed = r.outcomes.find((o) => o.file.path === 'app/template.yaml')!;
    expect(fixed.error).toBeUndefined();
    expect(fixed.newText).toBe(text.replace('!Ref AWS::NoValue]\n', '!Ref AWS::NoValue]\n        SSEType: KMS\n'));
  });

  it('an environment that picks no key, or no configuration: unknown, as before', async () => {
    expect(await table(toml({ default: `KmsKeyArn=${ARN}`, dev: "KmsKeyArn=''" }))).toMatchObject({ status: 'unknown' });
    expect(await table()).toMatchObject({ status: 'unknown' });
  });
});
