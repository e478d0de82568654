/**
 * One rule for template placeholders in every format (src/core/placeholders.ts): a file that parses
 * is scanned and fixed whatever placeholders it holds elsewhere; a placeholder in a table's
 * encryption setting makes the table unknown with the reason; one in a table's name blocks its fix;
 * one that breaks parsing is an error at the placeholder's line. (The CloudFormation shapes are also
 * a fixture pair: fixtures/cloudformation/templated-placeholders.)
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'scan');
  return { error: r.outcomes[0].error, tables: r.outcomes[0].tables };
}

async function fixed(path: string, text: string): Promise<string | undefined> {
  const r = await processMemory([{ path, text }], 'fix');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].newText;
}

const TABLE = `    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
`;

describe('CloudFormation', () => {
  it('a Step Functions JSONata expression and a SAR bucket outside the table: scanned and fixed', async () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
${TABLE}  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        QueryLanguage: JSONata
        StartAt: A
        States: { A: { Type: Pass, Output: '{% $states.input.id %}', End: true } }
      RoleArn: arn:aws:iam::123456789012:role/<%REPO_ROLE%>
`;
    expect((await scan('t.yaml', text)).tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['Orders', 'aws-owned', true]]);
    expect(await fixed('t.yaml', text)).toContain('KMSMasterKeyId: !GetAtt OrdersKey.Arn');
  });

  it('a JSON template with an SSM Automation placeholder: scanned and fixed', async () => {
    const text = JSON.stringify(
      {
        Resources: {
          Orders: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
          Doc: { Type: 'AWS::SSM::Document', Properties: { Content: { mainSteps: [{ inputs: { TableName: '{{ TableName }}' } }] } } },
        },
      },
      null,
      2,
    );
    expect((await scan('t.json', text)).tables.map((t) => t.status)).toEqual(['aws-owned']);
    expect(await fixed('t.json', text)).toContain('"OrdersKey"');
  });

  it('a placeholder in SSEEnabled or SSEType: unknown, with the reason', async () => {
    for (const [setting, value] of [
      ['SSEEnabled', "'{{ Enabled }}'"],
      ['SSEType', "'<%= sseType %>'"],
    ]) {
      const text = `Resources:\n  Orders:\n${TABLE}      SSESpecification:\n        SSEEnabled: true\n        ${setting}: ${value}\n`;
      const t = (await scan('t.yaml', text.replace('SSEEnabled: true\n        SSEEnabled', 'SSEEnabled'))).tables[0];
      expect(t.status, setting).toBe('unknown');
      expect(t.fixable).toBe(false);
      expect(t.message).toContain(`${setting} is the template placeholder`);
    }
  });

  it('a placeholder that breaks parsing: an error at its line', async () => {
    const text = `Resources:\n  Orders:\n${TABLE}      TableName: {{cookiecutter.slug}}-orders\n`;
    const { error } = await scan('t.yaml', text);
    expect([error?.line, error?.column]).toEqual([8, 18]);
    expect(error?.message).toMatch(/^template placeholder "\{\{cookiecutter.slug\}\}" breaks parsing \(YAML: /);
  });

  it('no placeholder: the parser error as it is', async () => {
    const { error } = await scan('t.yaml', 'Resources:\n  A: [\n');
    expect(error?.message).toMatch(/^YAML: /);
  });

  it("a template engine's file (main-cf.yml.j2, ASFHyP3/hyp3, whose rendered files git ignores): read under the same rule", async () => {
    const loop = `Resources:\n  {% for name in envs %}\n  {{ name }}Queue:\n    Type: AWS::SQS::Queue\n  {% endfor %}\n  Jobs:\n${TABLE}`;
    for (const name of ['main-cf.yml.j2', 'main-cf.yaml.jinja2', 'main-cf.template.tmpl']) {
      const { error } = await scan(name, loop);
      expect([name, error?.line, error?.message]).toEqual([
        name,
        2,
        expect.stringMatching(/^template placeholder "\{% for name in envs %\}"/),
      ]);
    }
    // One that parses is scanned and fixed, its placeholders kept; a JSON one by the name it renders to.
    const parses = `Resources:\n  Jobs:\n${TABLE}      TableName: '{{ env }}-jobs'\n`;
    expect((await scan('main-cf.yml.j2', parses)).tables.map((t) => [t.address, t.status])).toEqual([['Jobs', 'aws-owned']]);
    expect(await fixed('main-cf.yml.j2', parses)).toContain("TableName: '{{ env }}-jobs'\n      SSESpecification:");
    const json = `{\n  "Resources": {\n    "Jobs": { "Type": "AWS::DynamoDB::Table", "Properties": { "TableName": "{{ env }}-jobs" } }\n  }\n}\n`;
    expect((await scan('main-cf.json.j2', json)).tables.map((t) => t.status)).toEqual(['aws-owned']);
    expect(await fixed('main-cf.json.j2', json)).toContain('"KMSMasterKeyId"');
    // A Terraform template (templatefile("stack.json.tpl", ...)): its directives are placeholders too.
    const tpl = `{\n  "Resources": {\n%{ for t in tables ~}\n    "\${t}": { "Type": "AWS::DynamoDB::Table" },\n%{ endfor ~}\n  }\n}\n`;
    const { error } = await scan('stack.json.tpl', tpl);
    expect([error?.line, error?.message]).toEqual([
      3,
      expect.stringMatching(/^template placeholder "%\{ for t in tables ~\}" breaks parsing/),
    ]);
  });

  it('a bare storage.tmpl whose content names a table type (real-world round 30, yelaco/ludofy: a Go program renders it): read', async () => {
    const go = `Transform: AWS::Serverless-2016-10-31\nResources:\n{{- if .IncludeChat }}\n  Chat:\n${TABLE}{{- end }}\n`;
    const { error } = await scan('templates/storage.tmpl', go);
    expect([error?.line, error?.message]).toEqual([3, expect.stringMatching(/^template placeholder "\{\{- if \.IncludeChat \}\}"/)]);
    const parses = `Resources:\n  Jobs:\n${TABLE}      TableName: '{{ .Name }}-jobs'\n`;
    expect((await scan('templates/storage.tpl', parses)).tables.map((t) => t.status)).toEqual(['aws-owned']);
    // Without a table resource in it, a bare .tmpl is not read as a template (another format's, any text), nor a Helm
    // helper naming the type in a comment (adversarial pass of session 47: it was a parse error, exit 2).
    for (const [name, text] of [
      ['templates/deployment.tmpl', 'kind: Deployment\n{{ .Values }}\n'],
      [
        'chart/templates/_helpers.tpl',
        '{{/* Tables: AWS::DynamoDB::Table, see infra/ */}}\n{{- define "app.name" -}}\n{{ .Chart.Name }}\n{{- end }}\n',
      ],
    ]) {
      const r = await processMemory([{ path: name, text }], 'scan');
      expect(r.outcomes.flatMap((o) => [...(o.error ? [o.error] : []), ...o.tables])).toEqual([]);
    }
  });

  it("a template engine's file gets Fn::Join, not Fn::Sub: Terraform's templatefile() reads ${...} as its own (adversarial pass of session 47)", async () => {
    const parses = `Resources:\n  Jobs:\n${TABLE}`;
    for (const name of ['stack.tpl', 'stack.yml.tpl', 'main-cf.yml.j2']) {
      const out = await fixed(name, parses);
      expect([name, out?.includes('KMSMasterKeyId'), out?.includes('${')]).toEqual([name, true, false]);
    }
    // A template of its own name: Fn::Sub, as before.
    expect(await fixed('stack.yml', parses)).toContain('!Sub');
  });
});

describe('Pulumi YAML', () => {
  const program = (sse: string) => `name: app
runtime: yaml
resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      name: '{{cookiecutter.project_name}}-orders'
      hashKey: id
      attributes: [{ name: id, type: S }]
${sse}`;

  it('a placeholder in a name: scanned and fixed', async () => {
    expect((await scan('Pulumi.yaml', program(''))).tables.map((t) => t.status)).toEqual(['aws-owned']);
    expect(await fixed('Pulumi.yaml', program(''))).toMatch(/kmsKeyArn: '\$\{ordersKey\.arn\}'/);
  });

  it('a placeholder in kmsKeyArn: unknown, with the reason', async () => {
    const t = (
      await scan('Pulumi.yaml', program("      serverSideEncryption:\n        enabled: true\n        kmsKeyArn: '{{ keyArn }}'\n"))
    ).tables[0];
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('kmsKeyArn is the template placeholder "{{ keyArn }}"');
  });
});

describe('Terraform', () => {
  const table = (label: string, extra = '') => `resource "aws_dynamodb_table" "${label}" {
  name         = "<%= projectName %>-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
${extra}}
`;

  it('EJS in a string value: scanned and fixed', async () => {
    expect((await scan('main.tf', table('orders'))).tables.map((t) => t.status)).toEqual(['aws-owned']);
    expect(await fixed('main.tf', table('orders'))).toContain('kms_key_arn = aws_kms_key.orders.arn');
  });

  it('EJS in the resource name: reported, not fixable, with the reason', async () => {
    const t = (await scan('main.tf', table('<%= projectName %>_table'))).tables[0];
    expect([t.address, t.status, t.fixable]).toEqual(['aws_dynamodb_table.<%= projectName %>_table', 'aws-owned', false]);
    expect(t.blocker).toContain('resource name holds the template placeholder "<%= projectName %>"');
  });

  it('EJS in kms_key_arn: unknown, with the reason', async () => {
    const t = (
      await scan('main.tf', table('orders', '  server_side_encryption {\n    enabled     = true\n    kms_key_arn = "<%= keyArn %>"\n  }\n'))
    ).tables[0];
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('kms_key_arn is the template placeholder "<%= keyArn %>"');
  });
});
