/**
 * A table the template takes on-demand backups of keeps its key (src/formats/cloudformation/backupSelections.ts
 * onDemandBackups, fix.ts retains). Found by session 50's deploy review: a function granted dynamodb:CreateBackup on
 * the table (SAM's DynamoDBBackupFullAccessPolicy, an IAM statement) takes backups that DynamoDB keeps under the
 * table's key until someone deletes them, after the stack too; the new key had no DeletionPolicy, so `sam delete`
 * scheduled its deletion and left every backup unrestorable (an AWS::Backup::BackupSelection already kept it).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const TABLE = `  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
`;

const sam = (policies: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
${TABLE}  Backup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c): pass"
      Policies:
${policies}`;

const role = (statement: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
${TABLE}  BackupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: backups
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
${statement}`;

async function keyOf(text: string, path = 'template.yaml'): Promise<string> {
  const r = await processMemory([{ path, text }], 'fix', {});
  const out = r.outcomes[0].newText ?? '';
  const at = out.indexOf('  OrdersTableKey:');
  expect(at, out).toBeGreaterThan(-1);
  return out.slice(at, out.indexOf('Properties:', at));
}

describe('CloudFormation: a table the template grants dynamodb:CreateBackup on keeps its key', () => {
  it('SAM DynamoDBBackupFullAccessPolicy, an IAM statement (CreateBackup, dynamodb:*, a wildcard ARN): Retain for both', async () => {
    for (const text of [
      sam('        - DynamoDBBackupFullAccessPolicy:\n            TableName: !Ref OrdersTable\n'),
      sam('        - DynamoDBBackupFullAccessPolicy: {TableName: !Sub "${OrdersTable}"}\n'),
      sam(
        '        - Statement:\n            - Effect: Allow\n              Action: dynamodb:CreateBackup\n              Resource: !GetAtt OrdersTable.Arn\n',
      ),
      role(
        '              - Effect: Allow\n                Action: [dynamodb:DescribeTable, dynamodb:CreateBackup]\n                Resource: !GetAtt OrdersTable.Arn\n',
      ),
      role(
        "              - Effect: Allow\n                Action: 'dynamodb:*'\n                Resource: !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*'\n" +
          '  # CreateBackupCommand is called by the function\n',
      ),
    ]) {
      const key = await keyOf(text);
      expect(key, text).toContain('DeletionPolicy: Retain');
      expect(key, text).toContain('UpdateReplacePolicy: Retain');
    }
  });

  it('JSON, and serverless.yml provider.iam statements', async () => {
    const json = JSON.stringify(
      {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          OrdersTable: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            },
          },
          BackupPolicy: {
            Type: 'AWS::IAM::ManagedPolicy',
            Properties: {
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['dynamodb:CreateBackup'], Resource: [{ 'Fn::GetAtt': ['OrdersTable', 'Arn'] }] }],
              },
            },
          },
        },
      },
      null,
      2,
    );
    const r = await processMemory([{ path: 'template.json', text: json }], 'fix', {});
    expect(r.outcomes[0].newText).toMatch(
      /"OrdersTableKey": \{\s*"Type": "AWS::KMS::Key",\s*"DeletionPolicy": "Retain",\s*"UpdateReplacePolicy": "Retain"/,
    );
    const sls = `service: orders
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action:
            - dynamodb:CreateBackup
          Resource:
            - Fn::GetAtt: [OrdersTable, Arn]
resources:
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
`;
    const s = await processMemory([{ path: 'serverless.yml', text: sls }], 'fix', {});
    const out = s.outcomes[0].newText ?? '';
    expect(out).toMatch(/OrdersTableKey:\n(\s+#.*\n)?\s+Type: AWS::KMS::Key\n\s+DeletionPolicy: Retain\n\s+UpdateReplacePolicy: Retain/);
  });

  it('a grant on another table, a Deny, or another action only: the key is deleted with the stack, as before', async () => {
    for (const text of [
      sam('        - DynamoDBBackupFullAccessPolicy:\n            TableName: other-table\n'),
      role(
        '              - Effect: Deny\n                Action: dynamodb:CreateBackup\n                Resource: !GetAtt OrdersTable.Arn\n',
      ),
      role(
        '              - Effect: Allow\n                Action: dynamodb:GetItem\n                Resource: !GetAtt OrdersTable.Arn\n  # CreateBackup\n',
      ),
      // dynamodb:* in a template that names neither CreateBackup nor the policy template: not looked for (holdsBackupGrantWords).
      role("              - Effect: Allow\n                Action: 'dynamodb:*'\n                Resource: !GetAtt OrdersTable.Arn\n"),
    ]) {
      const key = await keyOf(text);
      expect(key, text).not.toContain('Retain');
    }
  });
});
