/**
 * AWS managed policies as the `iam-roles` caution (`--key-policy iam`) reads them: src/rule/managedPolicies.ts and its
 * generated list (scripts/managed-policies.mjs, from every policy's default version). A policy that grants a KMS
 * action a key's use needs, under any condition, is not known to grant none: a role with it is not named.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../scripts/managed-policies.mjs';
import { processMemory } from '../../src/engine/memory.js';
import { DYNAMODB_MANAGED, NO_KMS_MANAGED, managedPolicy } from '../../src/rule/managedPolicies.js';

const allow = (st: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...st }] });

describe('the classification of a policy document', () => {
  it('any Action pattern that matches a KMS use is a grant, whatever its condition; DescribeKey is not', () => {
    expect(classify(allow({ Action: '*', Resource: '*' })).kind).toBe('kms');
    expect(classify(allow({ Action: 'kms:*', Resource: '*' })).kind).toBe('kms');
    expect(classify(allow({ Action: ['KMS:De*'], Resource: 'arn:aws:kms:*:*:key/*' })).kind).toBe('kms');
    expect(classify(allow({ Action: 'kms:GenerateDataKey?ithoutPlaintext', Resource: '*' })).kind).toBe('kms');
    expect(
      classify(
        allow({ Action: 'kms:CreateGrant', Resource: '*', Condition: { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } } }),
      ).kind,
    ).toBe('kms');
    expect(classify(allow({ Action: ['kms:DescribeKey', 'kms:ListAliases', 'kms:Get*', 'kms:List*'], Resource: '*' })).kind).toBe('none');
  });

  it('NotAction with Allow grants what it leaves; Deny statements and resources of other services grant nothing', () => {
    expect(classify(allow({ NotAction: ['iam:*', 'organizations:*'], Resource: '*' })).kind).toBe('kms');
    expect(classify(allow({ NotAction: ['kms:*'], Resource: 'arn:aws:s3:::bucket/*' })).kind).toBe('none');
    expect(classify(allow({ NotAction: ['kms:*', 'dynamodb:*'], Resource: '*' })).kind).toBe('none');
    expect(classify(allow({ Action: '*', Resource: 'arn:aws:s3:::bucket/*' })).kind).toBe('none');
    expect(classify(allow({ Action: '*', NotResource: 'arn:aws:s3:::bucket/*' })).kind).toBe('kms');
    expect(classify({ Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }] }).kind).toBe('none');
  });

  it('DynamoDB item actions on every table, on some tables, and control-plane actions only', () => {
    expect(classify(allow({ Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: '*' })).kind).toBe('dynamodb');
    expect(classify(allow({ Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/*' })).kind).toBe('dynamodb');
    expect(classify(allow({ Action: 'dynamodb:GetRecords', Resource: 'arn:aws:dynamodb:*:*:table/*/stream/*' })).kind).toBe('dynamodb');
    expect(classify(allow({ Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:*:*:table/*redshift*' })).kind).toBe('partial');
    expect(
      classify(allow({ Action: 'dynamodb:PutItem', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/app': 'x' } } })).kind,
    ).toBe('partial');
    expect(classify(allow({ Action: ['dynamodb:DescribeTable', 'dynamodb:ListTables'], Resource: '*' })).kind).toBe('none');
  });
});

describe('the lists', () => {
  it('known entries, each read by hand from its document', () => {
    // sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes, logs:* on "*"
    expect(managedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole')).toBe('none');
    // s3:*, s3-object-lambda:*
    expect(managedPolicy('arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess')).toBe('none');
    expect(managedPolicy('AmazonSQSFullAccess')).toBe('none');
    expect(managedPolicy('AWSLambdaKinesisExecutionRole')).toBe('none');
    // kms:DescribeKey, kms:ListAliases, kms:ListKeys only
    expect(managedPolicy('SecretsManagerReadWrite')).toBe('none');
    // dynamodb:BatchGetItem, GetItem, Query, Scan... on "*" and kms:Describe*, kms:Get*, kms:List*
    expect(managedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe('dynamodb');
    // dynamodb:PutItem on "*" (an IoT rule's DynamoDB actions)
    expect(managedPolicy('arn:aws:iam::aws:policy/service-role/AWSIoTRuleActions')).toBe('dynamodb');
    expect(managedPolicy('AmazonDynamoDBFullAccess')).toBe('dynamodb');
    expect(managedPolicy('AmazonDynamoDBFullAccess_v2')).toBe('dynamodb');
    // "*" on "*"; NotAction iam:*, organizations:*, account:*
    expect(managedPolicy('AdministratorAccess')).toBe('unknown');
    expect(managedPolicy('PowerUserAccess')).toBe('unknown');
    // kms:GenerateDataKey on "*"
    expect(managedPolicy('AWSBackupFullAccess')).toBe('unknown');
    // kms:Decrypt under kms:ViaService s3.*.amazonaws.com only: still a grant
    expect(managedPolicy('CloudWatchSyntheticsFullAccess')).toBe('unknown');
    // DynamoDB item actions on table/*-stack-AWSEBWorkerCronLeaderRegistry* only
    expect(managedPolicy('AWSElasticBeanstalkWorkerTier')).toBe('unknown');
    // a customer managed policy, and a name no list has
    expect(managedPolicy('arn:aws:iam::111122223333:policy/AmazonS3FullAccess')).toBe('unknown');
    expect(managedPolicy('NoSuchPolicy')).toBe('unknown');
  });

  it('the previous hand-kept entries are all still there, and the two lists do not meet', () => {
    for (const n of [
      'AWSLambdaBasicExecutionRole',
      'AWSLambdaVPCAccessExecutionRole',
      'AWSXRayDaemonWriteAccess',
      'AWSXrayWriteOnlyAccess',
    ]) {
      expect(NO_KMS_MANAGED.has(n), n).toBe(true);
    }
    for (const n of ['CloudWatchLambdaInsightsExecutionRolePolicy', 'AmazonECSTaskExecutionRolePolicy', 'AWSStepFunctionsFullAccess']) {
      expect(NO_KMS_MANAGED.has(n), n).toBe(true);
    }
    for (const n of ['AmazonS3ReadOnlyAccess', 'CloudWatchLogsFullAccess']) expect(NO_KMS_MANAGED.has(n), n).toBe(true);
    for (const n of ['AmazonDynamoDBFullAccesswithDataPipeline', 'AmazonDynamoDBReadOnlyAccess', 'AWSLambdaDynamoDBExecutionRole']) {
      expect(DYNAMODB_MANAGED.has(n), n).toBe(true);
    }
    expect(DYNAMODB_MANAGED.has('AWSLambdaInvocation-DynamoDB')).toBe(true);
    expect([...DYNAMODB_MANAGED].filter((n) => NO_KMS_MANAGED.has(n))).toEqual([]);
    expect(NO_KMS_MANAGED.size).toBeGreaterThan(900);
  });
});

const SAM_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n";
const TABLE =
  '  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n' +
  '      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n';

async function caution(path: string, text: string): Promise<string | undefined> {
  const r = await processMemory([{ path, text }], 'fix', { keyPolicy: 'iam' });
  return r.outcomes[0].tables[0].cautions?.find((c) => c.startsWith('IAM roles: '))?.replace(/ (is|are) granted DynamoDB.*/, '');
}

describe('the deploy review shapes (serverless-patterns): roles with these policies are now named', () => {
  it('a SAM function with AWSLambdaSQSQueueExecutionRole and DynamoDBCrudPolicy (sqs-lambda-dynamodb-sam)', async () => {
    const text =
      SAM_HEAD +
      TABLE +
      '  Consumer:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: java21\n      Handler: a.Handler\n      CodeUri: app\n' +
      '      Policies:\n        - AWSLambdaSQSQueueExecutionRole\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n' +
      '      Events:\n        Queue:\n          Type: SQS\n          Properties:\n            Queue: arn:aws:sqs:us-east-1:111122223333:q\n';
    expect(await caution('template.yaml', text)).toBe('IAM roles: with --key-policy iam, Consumer (DynamoDBCrudPolicy, template.yaml:22)');
  });

  it('a role with AmazonS3FullAccess and AmazonSQSFullAccess by ARN beside an inline DynamoDB statement', async () => {
    const text =
      SAM_HEAD +
      TABLE +
      '  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns:\n' +
      '        - arn:aws:iam::aws:policy/AmazonS3FullAccess\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSQSFullAccess\n' +
      '      Policies:\n        - PolicyName: db\n          PolicyDocument:\n            Statement:\n' +
      '              - Effect: Allow\n                Action: dynamodb:PutItem\n                Resource: !GetAtt Orders.Arn\n';
    expect(await caution('template.yaml', text)).toBe('IAM roles: with --key-policy iam, Role (template.yaml:25)');
  });

  it('Terraform: a role with AWSLambdaSQSQueueExecutionRole attached and a DynamoDB statement; ReadOnlyAccess names every table', async () => {
    const text =
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n' +
      'resource "aws_iam_role" "app" {\n  assume_role_policy = "{}"\n}\n' +
      'resource "aws_iam_role_policy_attachment" "sqs" {\n  role       = aws_iam_role.app.name\n' +
      '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"\n}\n' +
      'resource "aws_iam_role_policy" "db" {\n  role   = aws_iam_role.app.id\n' +
      '  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = aws_dynamodb_table.orders.arn }] })\n}\n' +
      'resource "aws_iam_role" "auditor" {\n  assume_role_policy = "{}"\n  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]\n}\n' +
      'resource "aws_iam_role" "admin" {\n  assume_role_policy = "{}"\n  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AWSBackupFullAccess"]\n}\n';
    expect(await caution('main.tf', text)).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.app (aws_iam_role_policy.db, main.tf:18) and aws_iam_role.auditor (ReadOnlyAccess, main.tf:20)',
    );
  });
});
