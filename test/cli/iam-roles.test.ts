/**
 * `fix --key-policy iam` names the roles it would lock out (caution `iam-roles`, docs/key-policy.md "The key policy:
 * safe to deploy"): a role the table's file grants DynamoDB actions and no KMS action gets
 * AccessDeniedException once a key whose policy leaves all use to IAM is deployed. Each is named with
 * file:line in fix's notes and in the commit message's `key policy iam` line; the default (drop-in) key
 * policy keeps them working, so nothing is said then (session 49's rounds: kmsfix named none).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, runCli } from '../helpers/cli-helper.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler=async()=>1"
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Orders
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: db
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:PutItem]
                Resource: !GetAtt Orders.Arn
`;

const ROLES = 'Fn (DynamoDBCrudPolicy, template.yaml:21) and Role (template.yaml:35)';

function repo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-iam-roles-'));
  const app = path.join(root, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'template.yaml'), TEMPLATE);
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-qm', 'init'],
  ])
    execFileSync('git', args, { cwd: app, env: GIT_ENV });
  return root;
}

describe('fix --key-policy iam names the roles that lose access', () => {
  it('a note per table on stderr, with file:line; none under the default key policy', async () => {
    const root = repo();
    const iam = await runCli(['fix', '--dry-run', '--key-policy', 'iam', 'app'], root);
    // A dry run that would change files exits 1.
    expect(iam.code).toBe(1);
    expect(iam.stderr).toContain(
      `note: app/template.yaml:4 Orders: IAM roles: with --key-policy iam, ${ROLES} are granted DynamoDB and no KMS action: they lose access ` +
        'when this deploys unless their IAM policies grant kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant ' +
        'and kms:DescribeKey on the key in a deploy before this one (one in the same deploy is applied after the table switches keys)\n',
    );
    const dropIn = await runCli(['fix', '--dry-run', 'app'], root);
    expect(dropIn.code).toBe(1);
    expect(dropIn.stderr).not.toContain('IAM roles');
    const scan = await runCli(['scan', '--format', 'json', 'app'], root);
    expect(scan.stdout).not.toContain('IAM roles');
  });

  it("the commit message's key policy iam line names them, once", async () => {
    const root = repo();
    const r = await runCli(['fix', '--patch-dir', 'patches', '--key-policy', 'iam', 'app'], root);
    expect(r.code).toBe(0);
    const mail = readFileSync(path.join(root, 'patches', 'app.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    const line = mail.slice(mail.indexOf('* Who can use the key (key policy iam)'));
    expect(line.slice(0, line.indexOf('\n* '))).toContain(
      `The files of this change grant DynamoDB and no KMS action to ${ROLES} (Orders, template.yaml:4): grant them these in a deploy before this one.`,
    );
    // Session 61's deploy review (F1): a grant in the same deploy lands after the table has switched keys, and the key
    // has no ARN before it: the line says when and how to grant, and the two-step way with the default key policy.
    expect(line.slice(0, line.indexOf('\n* '))).toContain(
      'is applied after the table has switched keys, as CloudFormation and Terraform update a policy after the table it names. ' +
        'The key does not exist yet: grant those actions on * with the condition kms:ViaService = dynamodb.<region>.amazonaws.com in an ' +
        'earlier deploy, or fix with the default key policy (drop-in) first and move to iam in a later change, once grants on the key have deployed.',
    );
    expect(mail).not.toContain('IAM roles: with --key-policy iam');
  });
});
