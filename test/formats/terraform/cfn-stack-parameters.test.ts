/**
 * An aws_cloudformation_stack's `parameters` (real-world round 38, F3): CloudFormation deploys the template with them,
 * over its parameters' Defaults, whether the template is the stack's template_body heredoc or a file it reads with
 * file(...) (src/core/terraformStacks.ts).
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  TableKeyArn:
    Type: String
    Default: ${KEY}
Resources:
  Orders:
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
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref TableKeyArn
`;

const stack = (parameters: string, body: string) =>
  `resource "aws_cloudformation_stack" "tables" {\n  name = "tables"\n${parameters}\n  template_body = ${body}\n}\n`;
const heredoc = `<<STACK\n${TEMPLATE}STACK`;
const FILE = 'file("${path.module}/table.yaml")';

async function statusOf(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address.endsWith('Orders'))!;
  return { status: t.status, message: t.message, fixable: t.fixable };
}

describe('aws_cloudformation_stack parameters over the template Defaults', () => {
  const PASS_MANAGED = '  parameters = {\n    TableKeyArn = "alias/aws/dynamodb"\n  }\n';
  for (const [where, files] of [
    ['a template_body heredoc', (p: string) => [{ path: 'main.tf', text: stack(p, heredoc) }]],
    [
      'a template file read with file(...)',
      (p: string) => [
        { path: 'main.tf', text: stack(p, FILE) },
        { path: 'table.yaml', text: TEMPLATE },
      ],
    ],
  ] as [string, (p: string) => MemoryFile[]][]) {
    it(`${where}: the AWS managed key passed is aws-managed, not the Default's key`, async () => {
      const r = await statusOf(files(PASS_MANAGED));
      expect(r.status).toBe('aws-managed');
      expect(r.message).toContain('aws_cloudformation_stack.tables');
    });
    it(`${where}: a value computed in Terraform is unknown`, async () => {
      const r = await statusOf(files('  parameters = {\n    TableKeyArn = var.table_key # per environment\n  }\n'));
      expect(r.status).toBe('unknown');
    });
    it(`${where}: parameters kmsfix cannot read (var.params) are unknown`, async () => {
      const r = await statusOf(files('  parameters = var.params\n'));
      expect(r.status).toBe('unknown');
      expect(r.message).toContain('var.params');
    });
    it(`${where}: no parameters, or others: the Default decides (customer-managed)`, async () => {
      expect((await statusOf(files(''))).status).toBe('customer-managed');
      expect((await statusOf(files('  parameters = { Stage = "prod" }\n'))).status).toBe('customer-managed');
    });
  }
});

describe('two stacks, the first with a lone brace in a string inside an interpolation (session 56, adversarial F2)', () => {
  const two = (auditKey: string, ordersKey: string) =>
    `resource "aws_cloudformation_stack" "audit" {\n  name = "audit-\${replace(var.team, "{", "")}"\n  parameters = {\n    TableKeyArn = "${auditKey}"\n  }\n  template_body = ${heredoc.replace('Orders:', 'Audit:')}\n}\n\n` +
    `resource "aws_cloudformation_stack" "orders" {\n  name = "orders-\${split("(", var.team)[0]}"\n  parameters = {\n    TableKeyArn = "${ordersKey}"\n  }\n  template_body = ${heredoc}\n}\n`;
  const statuses = async (text: string) => {
    const scan = await processMemory([{ path: 'main.tf', text }], 'scan');
    return Object.fromEntries(scan.outcomes.flatMap((o) => o.tables).map((t) => [t.address.replace(/^.*\./, ''), [t.status, t.message]]));
  };
  it("each stack's table reads its own stack's parameters", async () => {
    const s = await statuses(two('alias/aws/dynamodb', KEY));
    expect(s.Audit[0]).toBe('aws-managed');
    expect(s.Audit[1]).toContain('aws_cloudformation_stack.audit');
    expect(s.Orders[0]).toBe('customer-managed');
    expect(s.Orders[1]).toContain('aws_cloudformation_stack.orders');
  });
  it('the other way round', async () => {
    const s = await statuses(two(KEY, 'alias/aws/dynamodb'));
    expect(s.Audit[0]).toBe('customer-managed');
    expect(s.Orders[0]).toBe('aws-managed');
  });
});
