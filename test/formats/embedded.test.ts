/**
 * CloudFormation templates written inside a string (src/core/embedded.ts, src/engine/embedded.ts): a Terraform heredoc
 * passed to an `aws_cloudformation_stack`, a StackSet's `TemplateBody`, any string of a YAML or JSON file (a Kubernetes
 * manifest's `data.template`: real-world round 35, where a scan said "0 tables"). Their tables are reported
 * where the string is, with the status their template gives, and never fixed (remisobayo/Terraform20Days
 * deploys a table this way, and a scan said "0 tables").
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const JSON_TEMPLATE = `{
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }]
      }
    }
  }
}`;

async function rows(files: { path: string; text: string }[]) {
  const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
  // Never fixed: the fix leaves the strings' tables as they are.
  for (const o of fix.outcomes)
    for (const t of o.tables) if (t.address.includes('.') && t.format === 'cloudformation') expect(t.fixed).not.toBe(true);
  return scan.outcomes.flatMap((o) => o.tables.map((t) => ({ ...t, file: o.file.path })));
}

describe('a CloudFormation template inside a string', () => {
  it('a Terraform heredoc in locals, passed to aws_cloudformation_stack', async () => {
    const text = `locals {\n  body = <<JSON\n${JSON_TEMPLATE}\nJSON\n}\n\nresource "aws_cloudformation_stack" "s" {\n  name          = "s"\n  template_body = local.body\n}\n`;
    const [t, ...rest] = await rows([{ path: 'main.tf', text }]);
    expect(rest).toEqual([]);
    expect(t).toMatchObject({ file: 'main.tf', line: 5, format: 'cloudformation', type: 'AWS::DynamoDB::Table', address: 'body.Orders' });
    expect(t.status).toBe('aws-owned');
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('the template is written inside a string (body = <<JSON), which kmsfix does not edit');
  });

  it('an indented heredoc (<<-EOT) of YAML beside a table of the file, and one of another language', async () => {
    const text = `resource "aws_cloudformation_stack" "s" {
  name          = "s"
  template_body = <<-EOT
    Resources:
      Audit:
        Type: AWS::DynamoDB::Table
        Properties:
          SSESpecification:
            SSEEnabled: true
            SSEType: KMS
            KMSMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/abc
  EOT
}

resource "aws_iam_policy" "p" {
  policy = <<POLICY
{"Statement": []}
POLICY
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
`;
    const found = await rows([{ path: 'main.tf', text }]);
    expect(found.map((t) => [t.address, t.line, t.status])).toEqual([
      ['aws_dynamodb_table.t', 21, 'aws-owned'],
      ['template_body.Audit', 5, 'customer-managed'],
    ]);
    // The file's own table is fixed, and verification (which detects the fixed text again) reports the same rows.
    const fix = await processMemory([{ path: 'main.tf', text }], 'fix');
    expect(fix.outcomes[0].error).toBeUndefined();
    expect(fix.outcomes[0].tables.map((t) => [t.address, t.fixed === true])).toEqual([
      ['aws_dynamodb_table.t', true],
      ['template_body.Audit', false],
    ]);
  });

  it("a StackSet's TemplateBody, as a YAML block scalar and as a JSON string; two of the same logical ID", async () => {
    const yaml = `Resources:
  One:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: |
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
  Two:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: |
        Resources:
          Table:
            Type: AWS::DynamoDB::GlobalTable
            Properties:
              Replicas:
                - Region: us-east-1
`;
    const json = JSON.stringify(
      { Resources: { S: { Type: 'AWS::CloudFormation::StackSet', Properties: { TemplateBody: JSON_TEMPLATE } } } },
      null,
      2,
    );
    const found = await rows([
      { path: 'stacksets.yaml', text: yaml },
      { path: 'stackset.json', text: `${json}\n` },
    ]);
    expect(found.map((t) => [t.file, t.address, t.line, t.type])).toEqual([
      ['stacksets.yaml', 'TemplateBody.Table', 7, 'AWS::DynamoDB::Table'],
      ['stacksets.yaml', 'TemplateBody.Table@16', 16, 'AWS::DynamoDB::GlobalTable'],
      ['stackset.json', 'TemplateBody.Orders', 6, 'AWS::DynamoDB::Table'],
    ]);
    expect(found.every((t) => t.fixable === false)).toBe(true);
  });

  // aws-service-operator's CloudFormationTemplate kind (real-world round 35: "0 tables").
  const OPERATOR = `apiVersion: service-operator.aws/v1alpha1
kind: CloudFormationTemplate
metadata:
  name: dynamodb
data:
  key: dynamodb.yaml
  template: |
    AWSTemplateFormatVersion: 2010-09-09
    Parameters:
      TableName:
        Type: String
    Resources:
      DynamoDBTable:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Ref TableName
          BillingMode: PAY_PER_REQUEST
`;
  const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: tables-template
data:
  template.yaml: |
    Resources:
      DynamoDBTable:
        Type: AWS::DynamoDB::Table
        Properties:
          SSESpecification:
            SSEEnabled: true
`;

  it("a Kubernetes manifest: aws-service-operator's data.template, a ConfigMap's data key; the step names the key", async () => {
    const found = await rows([
      { path: 'k8s/dynamodb.yaml', text: OPERATOR },
      { path: 'k8s/cm.yaml', text: CONFIG_MAP },
    ]);
    expect(found.map((t) => [t.file, t.address, t.line, t.status, t.fixable])).toEqual([
      ['k8s/dynamodb.yaml', 'data.template.DynamoDBTable', 13, 'aws-owned', false],
      ['k8s/cm.yaml', 'data.template.yaml.DynamoDBTable', 8, 'aws-managed', false],
    ]);
    expect(found[0].blocker).toContain(
      'the template is written inside a string (data.template: |), which kmsfix does not edit: move it to a file of its own (one this file is built from',
    );
    expect(found[1].blocker).toContain('(data.template.yaml: |)');
  });

  it('a multi-document manifest: each document read, a second document of the same key reported at its line', async () => {
    const text = `${OPERATOR}---\n${CONFIG_MAP}---\n${CONFIG_MAP.replace('tables-template', 'other')}`;
    const found = await rows([{ path: 'manifests.yaml', text }]);
    expect(found.map((t) => [t.address, t.line])).toEqual([
      ['data.template.DynamoDBTable', 13],
      ['data.template.yaml.DynamoDBTable', 26],
      ['data.template.yaml.DynamoDBTable@39', 39],
    ]);
  });

  it('a quoted string of a YAML file, a YAML string of a JSON file (Helm values, kubectl -o json): reported at the key', async () => {
    const values = `stacks:\n  - name: tables\n    template: ${JSON.stringify(JSON_TEMPLATE)}\n`;
    const json = JSON.stringify(
      { kind: 'ConfigMap', data: { 'template.yaml': CONFIG_MAP.split('  template.yaml: |\n')[1].replace(/^    /gm, '') } },
      null,
      2,
    );
    const found = await rows([
      { path: 'values.yaml', text: values },
      { path: 'cm.json', text: `${json}\n` },
    ]);
    expect(found.map((t) => [t.file, t.address, t.line, t.status])).toEqual([
      ['values.yaml', 'stacks[0].template.Orders', 3, 'aws-owned'],
      ['cm.json', 'data.template.yaml.DynamoDBTable', 4, 'aws-managed'],
    ]);
  });

  it('a string that names a table type in prose, a serverless.yml or a lone resource in a string: no table', async () => {
    const text = `apiVersion: v1
kind: ConfigMap
data:
  README: |
    Resources: this chart creates an AWS::DynamoDB::Table for the orders.
  notes: "The Resources section holds one AWS::DynamoDB::Table resource."
  serverless.yml: |
    service: s
    resources:
      Resources:
        T:
          Type: AWS::DynamoDB::Table
  table.yaml: |
    Type: AWS::DynamoDB::Table
    Properties: {}
  docs: |
    Resources: [AWS::DynamoDB::Table]
  template.yaml: |
    Resources:
      Real:
        Type: AWS::DynamoDB::Table
`;
    const scan = await processMemory([{ path: 'cm.yaml', text }], 'scan');
    expect(scan.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t.line]))).toEqual([['data.template.yaml.Real', 20]]);
    expect(scan.outcomes.every((o) => o.error === undefined)).toBe(true);
  });

  it("a template with a table of its own and a StackSet's TemplateBody: each table reported once", async () => {
    const text = `Resources:
  Own:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: |
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
`;
    const found = await rows([{ path: 'template.yaml', text }]);
    expect(found.map((t) => [t.address, t.line, t.fixable])).toEqual([
      ['Own', 2, true],
      ['TemplateBody.Table', 11, false],
    ]);
    expect(found[1].blocker).toContain(
      'move it to a file of its own (Terraform: template_body = file("..."); CloudFormation: TemplateURL)',
    );
  });
});
