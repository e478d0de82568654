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

async function scan(call: string, key: string, module: [string, string], more: MemoryFile[] = [], root = true) {
  const text = `${call}\n${table(key)}`;
  const files: MemoryFile[] = [
    { path: 'main.tf', text: root ? text : text.replace(/^provider "aws" \{[^}]*\}\n/m, '') },
    { path: module[0], text: module[1] },
    ...more,
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
  it("the count read from the caller's variable, which its default decides: read with it (customer-managed)", async () => {
    const t = await scan(
      'variable "create_key" {\n  default = true\n}\n\nmodule "cmk" {\n  source = "./modules/cmk"\n  create = var.create_key\n}\n',
      'module.cmk.key_arn',
      ['modules/cmk/main.tf', CMK],
    );
    expect(t.status).toBe('customer-managed');
  });
  it("the count read from the caller's variable, which a var-file sets: unknown, not fixed", async () => {
    const t = await scan(
      'variable "create_key" {\n  default = true\n}\n\nmodule "cmk" {\n  source = "./modules/cmk"\n  create = var.create_key\n}\n',
      'module.cmk.key_arn',
      ['modules/cmk/main.tf', CMK],
      [{ path: 'env/dev.tfvars', text: 'create_key = false\n' }],
    );
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('output key_arn of modules/cmk');
    expect(t.message).toContain('create_key is set per environment by env/dev.tfvars (-var-file)');
  });
  it('a key the module always creates: customer-managed, as before', async () => {
    const t = await scan('module "cmk" {\n  source = "./modules/cmk"\n}\n', 'module.cmk.always', ['modules/cmk/main.tf', CMK]);
    expect(t.status).toBe('customer-managed');
  });
});

/** A module that passes on the key its call gives (adversarial F1 of session 56). */
const PASS = `variable "key_arn" {
  type    = string
  default = null
}

output "table_key_arn" {
  value = var.key_arn
}
`;

const passing = (input: string, before = '') => `${before}module "keys" {\n  source  = "./modules/keys"\n  key_arn = ${input}\n}\n`;
const TABLE_KEY = (def: string) => `variable "table_key" {\n  type    = string\n  default = ${def}\n}\n\n`;
const CMK_ARN = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';

describe("a module output that passes on the caller's value (read with the caller's values)", () => {
  const scanPass = (call: string, more: MemoryFile[] = [], root = true) =>
    scan(call, 'module.keys.table_key_arn', ['modules/keys/main.tf', PASS], more, root);

  it("the caller's variable with default null: aws-managed, naming it", async () => {
    const t = await scanPass(passing('var.table_key', TABLE_KEY('null')));
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    expect(t.message).toContain('module.keys sets key_arn = var.table_key; table_key defaults to null');
  });
  it('a local that is null or "": aws-managed', async () => {
    for (const v of ['null', '""']) {
      const t = await scanPass(passing('local.k', `locals {\n  k = ${v}\n}\n\n`));
      expect(t.status).toBe('aws-managed');
    }
  });
  it("the caller's data source of alias/aws/dynamodb: aws-managed", async () => {
    const t = await scanPass(
      passing('data.aws_kms_alias.ddb.target_key_arn', 'data "aws_kms_alias" "ddb" {\n  name = "alias/aws/dynamodb"\n}\n\n'),
    );
    expect(t.status).toBe('aws-managed');
    expect(t.message).toContain('data.aws_kms_alias.ddb names alias/aws/dynamodb');
  });
  it("the caller's variable a var-file sets: unknown, naming the file", async () => {
    const t = await scanPass(passing('var.table_key', TABLE_KEY('null')), [{ path: 'env/prod.tfvars', text: `table_key = ${CMK_ARN}\n` }]);
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('module.keys sets key_arn = var.table_key: table_key is set per environment by env/prod.tfvars');
  });
  it('in a module that is not a root module (its callers set the variable): unknown', async () => {
    const t = await scanPass(passing('var.table_key', TABLE_KEY('null')), [], false);
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain("this module's callers set var.table_key");
  });
  it("in a folder with no sign of a root module and no caller, the variable defaulting to a key's ARN: customer-managed, as the same variable read directly (session 56 adversarial pass M1)", async () => {
    const t = await scanPass(passing('var.table_key', TABLE_KEY(CMK_ARN)), [], false);
    expect(t.status).toBe('customer-managed');
  });
  it("the caller's variable defaulting to a key's ARN: customer-managed", async () => {
    const t = await scanPass(passing('var.table_key', TABLE_KEY(CMK_ARN)));
    expect(t.status).toBe('customer-managed');
  });
});
