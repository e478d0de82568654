/**
 * A table's key from a local module's output (src/formats/terraform/moduleOutputKeys.ts, real-world round 38 F4): the
 * output's expression is read in the module, with the call's inputs, as the table's own module would read it.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const table = (key: string) => `provider "aws" {
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = ${key}
  }
}
`;

const KEYS = `data "aws_kms_alias" "dynamodb" {
  name = "alias/aws/dynamodb"
}

output "dynamodb_key_arn" {
  value = data.aws_kms_alias.dynamodb.target_key_arn
}
`;

const CMK = `variable "create" {
  type    = bool
  default = false
}

resource "aws_kms_key" "this" {
  count               = var.create ? 1 : 0
  enable_key_rotation = true
}

output "key_arn" {
  value = try(aws_kms_key.this[0].arn, null)
}

output "always" {
  value = aws_kms_key.plain.arn
}

resource "aws_kms_key" "plain" {
  enable_key_rotation = true
}
`;

async function scan(call: string, key: string, module: [string, string]) {
  const files: MemoryFile[] = [
    { path: 'main.tf', text: `${call}\n${table(key)}` },
    { path: module[0], text: module[1] },
  ];
  const r = await processMemory(files, 'scan');
  return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table.t')!;
}

describe("a key from a local module's output", () => {
  it('an output that reads a data source of alias/aws/dynamodb: aws-managed, naming the output', async () => {
    const t = await scan('module "keys" {\n  source = "./modules/keys"\n}\n', 'module.keys.dynamodb_key_arn', [
      'modules/keys/main.tf',
      KEYS,
    ]);
    expect(t.status).toBe('aws-managed');
    expect(t.message).toContain('output dynamodb_key_arn of modules/keys is data.aws_kms_alias.dynamodb.target_key_arn');
  });
  it('try(aws_kms_key.this[0].arn, null) with the count 0 by the default: aws-managed', async () => {
    const t = await scan('module "cmk" {\n  source = "./modules/cmk"\n}\n', 'module.cmk.key_arn', ['modules/cmk/main.tf', CMK]);
    expect(t.status).toBe('aws-managed');
    expect(t.message).toContain('aws_kms_key.this has count = var.create ? 1 : 0, 0');
  });
  it('the call creating the key (create = true): customer-managed', async () => {
    const t = await scan('module "cmk" {\n  source = "./modules/cmk"\n  create = true\n}\n', 'module.cmk.key_arn', [
      'modules/cmk/main.tf',
      CMK,
    ]);
    expect(t.status).toBe('customer-managed');
  });
  it("the count read from the caller's variable: unknown, not fixed", async () => {
    const t = await scan(
      'variable "create_key" {\n  default = true\n}\n\nmodule "cmk" {\n  source = "./modules/cmk"\n  create = var.create_key\n}\n',
      'module.cmk.key_arn',
      ['modules/cmk/main.tf', CMK],
    );
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('output key_arn of modules/cmk');
  });
  it('a key the module always creates: customer-managed, as before', async () => {
    const t = await scan('module "cmk" {\n  source = "./modules/cmk"\n}\n', 'module.cmk.always', ['modules/cmk/main.tf', CMK]);
    expect(t.status).toBe('customer-managed');
  });
});
