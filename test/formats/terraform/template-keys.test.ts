/**
 * A key written as a template string (src/formats/terraform/expression.ts `template`): `"alias/${var.alias}"`,
 * `"arn:aws:kms:${data.aws_region.current.name}:${...}:alias/${var.alias}"`. Left out until session 49 (any
 * template was not evaluated): with `alias` defaulting to `aws/dynamodb`, such a table was customer-managed,
 * `scan` exiting 0, though it deploys with the AWS managed key.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { evaluate } from '../../../src/formats/terraform/expression.js';

const table = (name: string, key: string) => `resource "aws_dynamodb_table" "${name}" {
  name         = "${name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = ${key}
  }
}
`;

const MODULE = (alias: string) => `provider "aws" {
  region = "eu-west-1"
}

variable "alias" {
  type    = string
  default = "${alias}"
}

locals {
  service = "dynamodb"
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

${table('short', '"alias/${var.alias}"')}
${table('arn', '"arn:aws:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/${var.alias}"')}
${table('local', '"alias/aws/${local.service}"')}
${table('escaped', '"alias/$${var.alias}"')}
`;

async function scan(text: string) {
  const r = await processMemory([{ path: 'main.tf', text }], 'scan', {});
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { status: t.status, reason: t.reason }]));
}

describe('a key written as a template string', () => {
  it('is the AWS managed key where its known parts name it, saying what decided', async () => {
    const r = await scan(MODULE('aws/dynamodb'));
    expect(r['aws_dynamodb_table.short'].status).toBe('aws-managed');
    expect(r['aws_dynamodb_table.short'].reason).toMatch(/alias defaults to "aws\/dynamodb"/);
    expect(r['aws_dynamodb_table.arn'].status).toBe('aws-managed');
    expect(r['aws_dynamodb_table.local'].status).toBe('aws-managed');
    // `$${` is the text `${`: no interpolation.
    expect(r['aws_dynamodb_table.escaped'].status).toBe('customer-managed');
  });

  it('stays customer-managed where they name another key', async () => {
    const r = await scan(MODULE('orders-key'));
    expect(r['aws_dynamodb_table.short'].status).toBe('customer-managed');
    expect(r['aws_dynamodb_table.arn'].status).toBe('customer-managed');
  });

  it('evaluates templates: parts in place, escapes, nested strings; unknown parts kept as the shape', () => {
    const env = { vars: new Map([['a', { expr: '"x"', why: 'a = "x"' }]]), locals: new Map([['n', '2']]) };
    expect(evaluate('"p-${var.a}-${local.n}\\n"', env)).toMatchObject({ known: true, value: 'p-x-2\n' });
    expect(evaluate('"${var.a}${var.a}"', env)).toMatchObject({ known: true, value: 'xx' });
    expect(evaluate('"k-${var.a == "x" ? "yes" : "no"}"', env)).toMatchObject({ known: true, value: 'k-yes' });
    expect(evaluate('"a/${data.x.y.id}/b"', env)).toMatchObject({ known: false, shape: 'a/*/b' });
    // Directives are not read.
    expect(evaluate('"%{if var.a == "x"}y%{endif}"', env)).toMatchObject({ known: false });
    expect(evaluate('var.a == "${var.a}"', env)).toMatchObject({ known: true, value: true });
  });
});
