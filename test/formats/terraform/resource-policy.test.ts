/**
 * A table whose resource policy (aws_dynamodb_resource_policy) grants principals of another account
 * is not fixed: kmsfix's key lets only the table's own account use it (kms:CallerAccount), so those
 * principals would be denied. scan and fix report it `fixable: false`, naming the accounts.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { readBody, readValue } from '../../../src/formats/terraform/hclvalue.js';

const TABLE = 'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n}\n';
const OTHER = 'resource "aws_dynamodb_table" "other" {\n  name     = "other"\n  hash_key = "id"\n}\n';

function iamPolicy(principal: string, effect = 'Allow'): string {
  return `jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Effect    = "${effect}"\n        Principal = { AWS = ${principal} }\n        Action    = ["dynamodb:GetItem"]\n        Resource  = "*"\n      },\n    ]\n  })`;
}

function resourcePolicy(policy: string, arn = 'aws_dynamodb_table.orders.arn'): string {
  return `resource "aws_dynamodb_resource_policy" "orders" {\n  resource_arn = ${arn}\n  policy       = ${policy}\n}\n`;
}

async function orders(text: string, path = 'main.tf') {
  const scan = await processMemory([{ path, text }], 'scan');
  const fix = await processMemory([{ path, text }], 'fix');
  const pick = (r: typeof scan) => r.outcomes.flatMap((o) => o.tables).find((t) => t.address.endsWith('orders'))!;
  return {
    scan: pick(scan),
    fix: pick(fix),
    out: fix.output.get(path)!,
    errors: [...scan.outcomes, ...fix.outcomes].map((o) => o.error).filter(Boolean),
  };
}

describe('terraform: resource policies that grant another account', () => {
  it('a literal account in jsonencode: not fixable in scan nor fix, the account named, other tables fixed', async () => {
    const text = TABLE + '\n' + resourcePolicy(iamPolicy('"arn:aws:iam::444455556666:role/reader"')) + '\n' + OTHER;
    const r = await orders(text);
    expect(r.errors).toEqual([]);
    expect(r.scan.fixable).toBe(false);
    expect(r.fix.fixable).toBe(false);
    expect(r.fix.fixed).toBeUndefined();
    expect(r.scan.blocker).toContain('its resource policy aws_dynamodb_resource_policy.orders grants principals of account 444455556666');
    expect(r.scan.blocker).toContain('kms:CallerAccount');
    expect(r.scan.blocker).toContain("(if 444455556666 is the table's own account, list it in the provider's allowed_account_ids");
    expect(r.scan.blocker).toContain('set server_side_encryption.kms_key_arn to it');
    expect(r.scan.message).toContain('Not fixable automatically: its resource policy');
    expect(r.out).toContain(TABLE);
    expect(r.out).toContain('kms_key_arn = aws_kms_key.other.arn');
  });

  it('every kind of principal that may be of another account is named: variables, "*", bare account IDs', async () => {
    const policy = `data "aws_iam_policy_document" "reader" {\n  statement {\n    actions   = ["dynamodb:GetItem"]\n    resources = ["*"]\n\n    principals {\n      type        = "AWS"\n      identifiers = [var.partner_arn, "777788889999", "arn:aws:iam::\${var.partner_account}:root"]\n    }\n  }\n\n  statement {\n    actions   = ["dynamodb:Query"]\n    resources = ["*"]\n\n    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n}\n`;
    const r = await orders(TABLE + '\n' + policy + '\n' + resourcePolicy('data.aws_iam_policy_document.reader.json'));
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain(
      'grants principals of accounts var.partner_arn, 777788889999, var.partner_account and any account ("*")',
    );
  });

  it('a heredoc JSON policy granting "*", and a policy on the table\'s stream', async () => {
    const heredoc =
      '<<EOF\n{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetRecords", "Resource": "*"}]\n}\nEOF';
    const r = await orders(TABLE + '\n' + resourcePolicy(heredoc, 'aws_dynamodb_table.orders.stream_arn'));
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain('grants principals of any account ("*"), and');
  });

  it('a policy kmsfix cannot read blocks the table, saying so', async () => {
    const r = await orders(TABLE + '\n' + resourcePolicy('file("${path.module}/orders-policy.json")'));
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain('is `file("${path.module}/orders-policy.json")`, which kmsfix cannot read');
  });

  it('module calls and literal table ARNs are matched; .tf.json too', async () => {
    const call = 'module "orders" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n  name   = "orders"\n}\n';
    const m = await orders(call + '\n' + resourcePolicy(iamPolicy('"444455556666"'), 'module.orders.dynamodb_table_arn'));
    expect(m.scan.fixable).toBe(false);
    expect(m.scan.blocker).toContain('set server_side_encryption_kms_key_arn to it');
    const lit = await orders(
      TABLE + '\n' + resourcePolicy(iamPolicy('"444455556666"'), '"arn:aws:dynamodb:us-east-1:111122223333:table/orders"'),
    );
    expect(lit.scan.fixable).toBe(false);
    const json = JSON.stringify(
      {
        resource: {
          aws_dynamodb_table: { orders: { name: 'orders', hash_key: 'id' } },
          aws_dynamodb_resource_policy: {
            orders: {
              resource_arn: '${aws_dynamodb_table.orders.arn}',
              policy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root'] }, Action: 'dynamodb:GetItem', Resource: '*' },
                ],
              }),
            },
          },
        },
      },
      null,
      2,
    );
    const j = await orders(json, 'main.tf.json');
    expect(j.errors).toEqual([]);
    expect(j.scan.fixable).toBe(false);
    expect(j.scan.blocker).toContain('account 444455556666');
  });

  it("principals of the table's own account do not block the fix", async () => {
    const own = [
      iamPolicy('"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"'),
      iamPolicy('aws_iam_role.reader.arn'),
      iamPolicy('[local.account_root]'),
      iamPolicy('"arn:aws:iam::111122223333:role/reader"'),
      iamPolicy('"*"', 'Deny'),
    ];
    const extra =
      'data "aws_caller_identity" "current" {}\n\nlocals {\n  account_root = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"\n}\n\n' +
      'provider "aws" {\n  region              = "us-east-1"\n  allowed_account_ids = ["111122223333"]\n}\n';
    for (const p of own) {
      const r = await orders(TABLE + '\n' + extra + '\n' + resourcePolicy(p));
      expect(r.scan.fixable, p).toBe(true);
      expect(r.fix.fixed, p).toBe(true);
    }
  });

  it('a resource policy of another table does not matter', async () => {
    const r = await orders(TABLE + '\n' + OTHER + '\n' + resourcePolicy(iamPolicy('"444455556666"'), 'aws_dynamodb_table.other.arn'));
    expect(r.scan.fixable).toBe(true);
    expect(r.fix.fixed).toBe(true);
  });
});

describe("terraform: a zero-ETL source table (real-world round 25, the provider's aws_redshift_integration test)", () => {
  it('a resource policy granting a service other than DynamoDB (jsonencode, a policy document): not fixable, the service named', async () => {
    const json = iamPolicy('"x"').replace('Principal = { AWS = "x" }', 'Principal = { Service = "redshift.amazonaws.com" }');
    const r = await orders(`${TABLE}\n${resourcePolicy(json)}`);
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain('grants the service redshift.amazonaws.com, and a key kmsfix generates');
    expect(r.scan.blocker).toContain(
      'lets them use it through DynamoDB (kms:CallerAccount; for a service, a statement for its service principal',
    );
    const doc =
      'data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["dynamodb:ExportTableToPointInTime"]\n    resources = ["*"]\n' +
      '    principals {\n      type        = "Service"\n      identifiers = ["glue.amazonaws.com"]\n    }\n  }\n}\n';
    const d = await orders(`${TABLE}\n${doc}\n${resourcePolicy('data.aws_iam_policy_document.p.json')}`);
    expect(d.scan.blocker).toContain('grants the service glue.amazonaws.com');
    const own = await orders(`${TABLE}\n${resourcePolicy(json.replace('redshift.amazonaws.com', 'dynamodb.amazonaws.com'))}`);
    expect(own.scan.fixable).toBe(true);
  });

  it('a service principal through a local, a variable default or data.aws_service_principal (adversarial pass)', async () => {
    const doc = (id: string) =>
      'data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["dynamodb:DescribeTable"]\n    resources = ["*"]\n' +
      `    principals {\n      type        = "Service"\n      identifiers = [${id}]\n    }\n  }\n}\n`;
    const policy = resourcePolicy('data.aws_iam_policy_document.p.json');
    for (const [id, decl, fixable] of [
      ['local.etl', 'locals {\n  etl = "redshift.amazonaws.com"\n}\n', false],
      ['var.etl', 'variable "etl" {\n  default = "glue.amazonaws.com"\n}\n', false],
      ['data.aws_service_principal.this.name', 'data "aws_service_principal" "this" {\n  service_name = "redshift"\n}\n', false],
      ['local.etl', 'locals {\n  etl = "lambda.amazonaws.com"\n}\n', true],
    ] as const) {
      const r = await orders(`${TABLE}\n${doc(id)}\n${decl}\n${policy}`);
      expect(r.scan.fixable, `${id} ${decl}`).toBe(fixable);
    }
  });

  it('an aws_redshift_integration whose source_arn is the table: not fixable; another table fixed', async () => {
    const integration =
      'resource "aws_redshift_integration" "i" {\n  integration_name = "i"\n  source_arn       = aws_dynamodb_table.orders.arn\n' +
      '  target_arn       = "arn:aws:redshift-serverless:eu-west-1:111122223333:namespace/n"\n}\n';
    const r = await orders(`${TABLE}\n${integration}\n${OTHER}`);
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain(
      'the table is the source of the zero-ETL integration aws_redshift_integration.i, which reads it as its service',
    );
    expect(r.out).toContain('kms_key_arn = aws_kms_key.other.arn');
    // Through a local.
    const viaLocal =
      integration.replace('aws_dynamodb_table.orders.arn', 'local.source') + 'locals {\n  source = aws_dynamodb_table.orders.arn\n}\n';
    expect((await orders(`${TABLE}\n${viaLocal}`)).scan.fixable).toBe(false);
    // In another file of the module.
    const files = [
      { path: 'main.tf', text: TABLE },
      { path: 'etl.tf', text: integration },
    ];
    const [t] = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables);
    expect([t.address, t.fixable]).toEqual(['aws_dynamodb_table.orders', false]);
  });

  it('an integration for each source ARN of a local, or one of a local list by count.index (session 45 left it out)', async () => {
    const each =
      'locals {\n  sources = {\n    orders = aws_dynamodb_table.orders.arn\n  }\n}\n' +
      'resource "aws_redshift_integration" "i" {\n  for_each         = local.sources\n  integration_name = each.key\n' +
      '  source_arn       = each.value\n  target_arn       = "arn:aws:redshift-serverless:eu-west-1:111122223333:namespace/n"\n}\n';
    const r = await orders(`${TABLE}\n${OTHER}\n${each}`);
    expect(r.scan.fixable).toBe(false);
    expect(r.scan.blocker).toContain('the zero-ETL integration aws_redshift_integration.i');
    expect(r.out).toContain('kms_key_arn = aws_kms_key.other.arn');
    const listed = each
      .replace('sources = {\n    orders = aws_dynamodb_table.orders.arn\n  }', 'arns = [aws_dynamodb_table.orders.arn]')
      .replace('for_each         = local.sources', 'count            = 1')
      .replace('each.key', '"i"')
      .replace('source_arn       = each.value', 'source_arn       = local.arns[count.index]');
    expect((await orders(`${TABLE}\n${listed}`)).scan.fixable).toBe(false);
    // Another table's ARN in the local: the table is fixed.
    expect((await orders(`${TABLE}\n${OTHER}\n${each.replace('orders.arn', 'other.arn')}`)).scan.fixable).toBe(true);
    // One entry of a local map (`local.arns.other`, `local.arns["other"]`): that table only (adversarial pass).
    const map = 'locals {\n  arns = {\n    orders = aws_dynamodb_table.orders.arn\n    other  = aws_dynamodb_table.other.arn\n  }\n}\n';
    for (const read of ['local.arns.other', 'local.arns["other"]']) {
      const one = `resource "aws_redshift_integration" "i" {\n  integration_name = "i"\n  source_arn       = ${read}\n  target_arn       = "t"\n}\n`;
      expect((await orders(`${TABLE}\n${OTHER}\n${map}${one}`)).scan.fixable, read).toBe(true);
      expect((await orders(`${TABLE}\n${OTHER}\n${map}${one.replace('other', 'orders')}`)).scan.fixable, read).toBe(false);
    }
  });
});

describe('terraform: reading policy values', () => {
  it('nesting too deep for the stack is an expression (cannot be read), not an exception', () => {
    const deep = '['.repeat(200000) + ']'.repeat(200000);
    expect(readValue(`jsonencode({ Statement = ${deep} })`)).toEqual({ expr: `{ Statement = ${deep} }` });
    expect(readBody(`data "x" "y" { a = ${deep} }`)).toEqual({ expr: `data "x" "y" { a = ${deep} }` });
  });

  it('a literal that only begins an expression is the expression, not the literal (real-world round 35)', () => {
    const body = readBody(
      'locals {\n  key = {\n    dev  = "a"\n    prod = "b"\n  }[terraform.workspace]\n  prod = "prod" == var.env\n  list = ["x", "y"] // ok\n}\n',
    );
    expect(body).toEqual({
      obj: new Map<string, unknown>([
        ['key', { expr: '{\n    dev  = "a"\n    prod = "b"\n  }[terraform.workspace]' }],
        ['prod', { expr: '"prod" == var.env' }],
        ['list', [{ str: 'x' }, { str: 'y' }]],
      ]),
    });
  });

  it('a line comment after an expression is not part of it (real-world round 35)', () => {
    const body = readBody('locals {\n  j = var.key # note\n  k = local.x // note\n  d = 4 / 2\n}\n');
    expect(body).toEqual({
      obj: new Map<string, unknown>([
        ['j', { expr: 'var.key' }],
        ['k', { expr: 'local.x' }],
        ['d', { expr: '4 / 2' }],
      ]),
    });
  });
});
