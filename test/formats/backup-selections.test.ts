/**
 * A table AWS Backup backs up (src/formats/cloudformation/backupSelections.ts, src/formats/terraform/backupCautions.ts).
 * Found by session 49's deploy review: AWS Backup keeps a table's recovery points under the table's own key, often
 * for months; the new key got no DeletionPolicy (CloudFormation) and no caution (Terraform), so deleting the stack
 * or destroying the module scheduled its deletion in 30 days and left every recovery point unrestorable (point-in-time
 * recovery already kept the key; a backup selection beside the table did not).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { holdsBackupGrantWords } from '../../src/formats/cloudformation/backupSelections.js';

const cfn = (selection: string, other = '') => `AWSTemplateFormatVersion: '2010-09-09'
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
${other}  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: plan-1
      BackupSelection:
        SelectionName: orders
        IamRoleArn: arn:aws:iam::111122223333:role/backup
${selection}`;

async function keyOf(text: string): Promise<string> {
  const r = await processMemory([{ path: 'template.yaml', text }], 'fix', {});
  const out = r.outcomes[0].newText ?? '';
  return out.slice(out.indexOf('  OrdersTableKey:'), out.indexOf('    Properties:', out.indexOf('  OrdersTableKey:')));
}

describe('CloudFormation: a table a backup selection of the template backs up keeps its key', () => {
  it('named by !GetAtt, !Sub, a wildcard, or selected by tags: DeletionPolicy and UpdateReplacePolicy Retain', async () => {
    for (const s of [
      '        Resources:\n          - !GetAtt OrdersTable.Arn\n',
      '        Resources:\n          - !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}\n',
      "        Resources:\n          - '*'\n",
      '        Resources:\n          - arn:aws:dynamodb:*:*:table/*\n',
      "        Resources:\n          - !Join ['', ['arn:aws:dynamodb:eu-west-1:111122223333:table/', !Ref OrdersTable]]\n",
      '        ListOfTags:\n          - ConditionType: STRINGEQUALS\n            ConditionKey: backup\n            ConditionValue: daily\n',
    ]) {
      const key = await keyOf(cfn(s));
      expect(key, s).toContain('DeletionPolicy: Retain');
      expect(key, s).toContain('UpdateReplacePolicy: Retain');
    }
  });

  it('a selection of another table only: the key is deleted with the stack, as before', async () => {
    const other = `  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
`;
    const key = await keyOf(cfn('        Resources:\n          - !GetAtt Other.Arn\n          - arn:aws:s3:::bucket/*\n', other));
    expect(key).toContain('OrdersTableKey:');
    expect(key).not.toContain('Retain');
  });
});

describe('CloudFormation: the grant words an on-demand backup needs (holdsBackupGrantWords)', () => {
  it('answers as /CreateBackup|DynamoDBBackupFullAccessPolicy/ did', () => {
    const words = /CreateBackup|DynamoDBBackupFullAccessPolicy/;
    for (const text of [
      '',
      'Action: dynamodb:CreateBackup',
      'dynamodb:createbackup',
      'Policies:\n  - DynamoDBBackupFullAccessPolicy:\n      TableName: !Ref T',
      'DynamoDBBackupFullAccess',
      'CreateBackupPlan',
      'Create Backup',
    ])
      expect(holdsBackupGrantWords(text), text).toBe(words.test(text));
  });
});

const tf = (selection: string) => `resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "other" {
  name         = "other"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = "plan-1"
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
${selection}
}
`;

async function cautions(text: string): Promise<Record<string, string[]>> {
  const r = await processMemory([{ path: 'main.tf', text }], 'scan', {});
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, t.cautions ?? []]));
}

describe('Terraform: a table an aws_backup_selection of the module backs up gets the backup caution', () => {
  it('named by its arn, by a wildcard, or selected by tags', async () => {
    const named = await cautions(tf('  resources    = [aws_dynamodb_table.orders.arn]'));
    expect(named['aws_dynamodb_table.orders'].join('\n')).toMatch(
      /^Backups: aws_backup_selection.orders backs the table up.*terraform state rm/m,
    );
    expect(named['aws_dynamodb_table.other'].join('\n')).not.toMatch(/Backups:/);
    for (const s of [
      '  resources    = ["*"]',
      '  resources    = ["arn:aws:dynamodb:eu-west-1:111122223333:table/*"]',
      '  selection_tag {\n    type  = "STRINGEQUALS"\n    key   = "backup"\n    value = "daily"\n  }',
    ]) {
      const c = await cautions(tf(s));
      expect(c['aws_dynamodb_table.orders'].join('\n'), s).toMatch(/^Backups: aws_backup_selection.orders/m);
      expect(c['aws_dynamodb_table.other'].join('\n'), s).toMatch(/^Backups: aws_backup_selection.orders/m);
    }
  });
});
