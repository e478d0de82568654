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

// Session 63's deploy review (F3): a role that reaches the table only through the table's (or its stream's) resource
// policy has no IAM grant kmsfix reads, and a resource policy cannot grant KMS: named in the same note, with where
// the policy names it. A role whose own policy grants a KMS action is not.
const RESOURCE_POLICY = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Streamer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Keyed:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: kms
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: 'kms:*', Resource: '*'}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
      KeySchema:
        - {AttributeName: id, KeyType: HASH}
      StreamSpecification:
        StreamViewType: NEW_IMAGE
        ResourcePolicy:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {AWS: !GetAtt Streamer.Arn}
                Action: dynamodb:GetRecords
                Resource: '*'
      ResourcePolicy:
        PolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: [!GetAtt Reader.Arn, !GetAtt Keyed.Arn]}
              Action: [dynamodb:GetItem, dynamodb:Query]
              Resource: '*'
`;

describe("fix --key-policy iam names this account's principals of the table's resource policy", () => {
  it("CloudFormation: the table's and its stream's, with file:line; not one whose own policy grants KMS", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-iam-rp-'));
    mkdirSync(path.join(root, 'app'));
    writeFileSync(path.join(root, 'app', 'template.yaml'), RESOURCE_POLICY);
    const r = await runCli(['fix', '--dry-run', '--key-policy', 'iam', 'app'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "note: app/template.yaml:26 Orders: IAM roles: with --key-policy iam, Reader (the table's resource policy, template.yaml:47) and " +
        "Streamer (the table's resource policy, template.yaml:40) are granted DynamoDB and no KMS action: they lose access when this deploys " +
        'unless their IAM policies grant kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey ' +
        'on the key in a deploy before this one',
    );
    expect(r.stderr).not.toContain('Keyed (');
    const dropIn = await runCli(['fix', '--dry-run', 'app'], root);
    expect(dropIn.stderr).not.toContain('IAM roles');
  });
});

const TERRAFORM = `resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "keyed" {
  name               = "keyed"
  assume_role_policy = "{}"
  inline_policy {
    name   = "kms"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "*" }] })
  }
}

resource "aws_iam_user" "streamer" {
  name = "streamer"
}

resource "aws_dynamodb_resource_policy" "orders" {
  resource_arn = aws_dynamodb_table.orders.arn
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = [aws_iam_role.reader.arn, aws_iam_role.keyed.arn] }
      Action    = ["dynamodb:GetItem"]
      Resource  = aws_dynamodb_table.orders.arn
    }]
  })
}

data "aws_iam_policy_document" "stream" {
  statement {
    actions   = ["dynamodb:GetRecords"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_user.streamer.arn]
    }
  }
}

resource "aws_dynamodb_resource_policy" "stream" {
  resource_arn = aws_dynamodb_table.orders.stream_arn
  policy       = data.aws_iam_policy_document.stream.json
}
`;

describe("fix --key-policy iam names the module's roles and users of the table's resource policies", () => {
  it("Terraform: aws_dynamodb_resource_policy's (the table's and its stream's), with file:line; not one whose own policy grants KMS", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-iam-rp-tf-'));
    mkdirSync(path.join(root, 'app'));
    writeFileSync(path.join(root, 'app', 'main.tf'), TERRAFORM);
    const r = await runCli(['fix', '--dry-run', '--key-policy', 'iam', 'app'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'note: app/main.tf:1 aws_dynamodb_table.orders: IAM roles: with --key-policy iam, aws_iam_role.reader (aws_dynamodb_resource_policy.orders, main.tf:31) ' +
        'and aws_iam_user.streamer (aws_dynamodb_resource_policy.stream, main.tf:54) are granted DynamoDB and no KMS action: they lose access ' +
        'when this deploys unless their IAM policies grant kms:Decrypt,',
    );
    expect(r.stderr).not.toContain('aws_iam_role.keyed (');
    const dropIn = await runCli(['fix', '--dry-run', 'app'], root);
    expect(dropIn.stderr).not.toContain('IAM roles');
  });
});

const CDK = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export class OrdersStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const reader = new iam.Role(this, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const granted = new iam.Role(this, 'Granted', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const orders = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    });
    orders.addToResourcePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], principals: [reader, granted], resources: ['*'] }),
    );
    orders.grantReadData(granted);
  }
}
`;

describe("fix --key-policy iam names the file's constructs a CDK table's resource policy lets in", () => {
  it('addToResourcePolicy, with file:line; not one the table grants (CDK grants it the key too)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-iam-rp-cdk-'));
    mkdirSync(path.join(root, 'app'));
    writeFileSync(path.join(root, 'app', 'stack.ts'), CDK);
    const r = await runCli(['fix', '--dry-run', '--key-policy', 'iam', 'app'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "note: app/stack.ts:11 Orders: IAM roles: with --key-policy iam, reader (the table's resource policy, stack.ts:14) is granted DynamoDB " +
        'and no KMS action: it loses access when this deploys unless its IAM policies grant kms:Decrypt,',
    );
    expect(r.stderr).not.toContain('granted (');
    const dropIn = await runCli(['fix', '--dry-run', 'app'], root);
    expect(dropIn.stderr).not.toContain('IAM roles');
  });
});
