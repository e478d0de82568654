/**
 * An attribute of an object or map variable (src/formats/terraform/structured.ts): known when every
 * value the variable may take agrees on it, as in ministryofjustice's root modules, whose
 * terraform.tfvars.json gives one object per workspace and whose tables read
 * `local.environment.dynamodb_tables.cmk_encryption_enabled ? <key> : null` (unknown before: 12 tables
 * of one repository reported "not known from the code alone", each customer-managed in every workspace).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { splitConditional } from '../../../src/formats/terraform/split.js';

const TABLE = `resource "aws_dynamodb_table" "codes" {
  name     = "codes"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.environment.dynamodb_tables.cmk_encryption_enabled ? data.aws_kms_alias.cmk.target_key_arn : null
  }
}
`;

const LOCALS = `provider "aws" {
  region = "eu-west-1"
}

variable "environments" {
  type = map(any)
}

locals {
  environment_name = lower(replace(terraform.workspace, "_", "-"))
  environment      = contains(keys(var.environments), local.environment_name) ? var.environments[local.environment_name] : var.environments["default"]
}

data "aws_kms_alias" "cmk" {
  name = "alias/codes-cmk"
}
`;

const tfvars = (flags: Record<string, unknown>) =>
  JSON.stringify(
    {
      environments: Object.fromEntries(
        Object.entries(flags).map(([k, v]) => [k, { account_id: '111122223333', dynamodb_tables: { cmk_encryption_enabled: v } }]),
      ),
    },
    null,
    2,
  );

async function scan(files: Record<string, string>) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'scan',
  );
  return r.outcomes.flatMap((o) => o.tables)[0];
}

describe("an attribute every value of a workspace's map agrees on", () => {
  it('true in every entry of terraform.tfvars.json: the branch taken, customer-managed, saying why', async () => {
    const t = await scan({
      'locals.tf': LOCALS,
      'dynamodb.tf': TABLE,
      'terraform.tfvars.json': tfvars({ default: true, preproduction: true, production: true }),
    });
    expect(t.status).toBe('customer-managed');
    expect(t.message).toContain(
      'local.environment.dynamodb_tables.cmk_encryption_enabled is true in every value local.environment may take (environments = {...} in terraform.tfvars.json)',
    );
  });

  it('false in one entry, missing in one, or not a literal: unknown, as before', async () => {
    for (const flags of [{ default: true, development: false }, { default: true, development: undefined }, { default: 'var.x' }]) {
      const t = await scan({ 'locals.tf': LOCALS, 'dynamodb.tf': TABLE, 'terraform.tfvars.json': tfvars(flags) });
      expect(t.status, JSON.stringify(flags)).toBe('unknown');
    }
    // No value for the variable at all.
    expect((await scan({ 'locals.tf': LOCALS, 'dynamodb.tf': TABLE })).status).toBe('unknown');
  });

  it('false in every entry (or the string "false", which Terraform converts): the AWS managed key', async () => {
    for (const flags of [
      { default: false, production: false },
      { default: 'false', production: 'false' },
    ]) {
      const t = await scan({ 'locals.tf': LOCALS, 'dynamodb.tf': TABLE, 'terraform.tfvars.json': tfvars(flags) });
      expect(t.status, JSON.stringify(flags)).toBe('aws-managed');
    }
    // A condition that is a string but no bool (an error at plan) decides nothing: unknown, never customer-managed.
    const t = await scan({ 'locals.tf': LOCALS, 'dynamodb.tf': TABLE, 'terraform.tfvars.json': tfvars({ default: 'yes' }) });
    expect(t.status).toBe('unknown');
  });

  it('the map in terraform.tfvars (HCL), over the default the variable declares', async () => {
    const hcl = `environments = {\n  default = {\n    dynamodb_tables = {\n      cmk_encryption_enabled = true\n    }\n  }\n  production = {\n    dynamodb_tables = { cmk_encryption_enabled = true }\n  }\n}\n`;
    const locals = LOCALS.replace('  type = map(any)\n', '  type = map(any)\n  default = {}\n');
    const t = await scan({ 'locals.tf': locals, 'dynamodb.tf': TABLE, 'terraform.tfvars': hcl });
    expect(t.status).toBe('customer-managed');
    expect(t.message).toContain('(environments = {...} in terraform.tfvars:1)');
  });

  it("a variable's default written as an HCL object, indexed by a literal key: that entry alone", async () => {
    const locals = `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "environments" {\n  default = {\n    prod = {\n      dynamodb_tables = { cmk_encryption_enabled = true }\n    }\n    dev = {\n      dynamodb_tables = { cmk_encryption_enabled = false }\n    }\n  }\n}\n\nlocals {\n  environment = var.environments["prod"]\n}\n\ndata "aws_kms_alias" "cmk" {\n  name = "alias/codes-cmk"\n}\n`;
    const t = await scan({ 'locals.tf': locals, 'dynamodb.tf': TABLE });
    expect(t.status).toBe('customer-managed');
    expect(t.message).toContain(
      'local.environment.dynamodb_tables.cmk_encryption_enabled is true (environments defaults to {...} (locals.tf:5))',
    );
  });
});

it('two indexes in a row are not read as one (the first would be taken for the whole)', async () => {
  const locals = `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "environments" {\n  default = {\n    prod = {\n      eu = { dynamodb_tables = { cmk_encryption_enabled = false } }\n      dynamodb_tables = { cmk_encryption_enabled = true }\n    }\n  }\n}\n\nlocals {\n  environment = var.environments["prod"]["eu"]\n}\n\ndata "aws_kms_alias" "cmk" {\n  name = "alias/codes-cmk"\n}\n`;
  const t = (
    await processMemory(
      [
        { path: 'locals.tf', text: locals },
        { path: 'dynamodb.tf', text: TABLE },
      ],
      'scan',
    )
  ).outcomes.flatMap((o) => o.tables)[0];
  expect(t.status).toBe('unknown');
});

it('splitConditional: the top-level `?` and `:` only', () => {
  expect(splitConditional('a ? b : c')).toEqual(['a', 'b', 'c']);
  expect(splitConditional('contains(keys(m), "a:b") ? m["x?"] : (c ? d : e)')).toEqual([
    'contains(keys(m), "a:b")',
    'm["x?"]',
    '(c ? d : e)',
  ]);
  expect(splitConditional('a ? b ? c : d : e')).toEqual(['a', 'b ? c : d', 'e']);
  expect(splitConditional('var.x["a"]')).toBeUndefined();
});

describe('merge(...) of such values: each combination, later keys winning (a shallow merge)', () => {
  const locals = (overrides: string) =>
    `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "defaults" {\n  default = {\n    dynamodb_tables = { cmk_encryption_enabled = true }\n  }\n}\n\n` +
    `variable "environments" {\n  default = {\n${overrides}  }\n}\n\n` +
    `locals {\n  environment = merge(var.defaults, var.environments[terraform.workspace], { region = "eu-west-1" })\n}\n\n` +
    `data "aws_kms_alias" "cmk" {\n  name = "alias/codes-cmk"\n}\n`;
  const status = async (overrides: string) => (await scan({ 'locals.tf': locals(overrides), 'dynamodb.tf': TABLE })).status;

  it('the defaults stand where no entry overrides them: customer-managed', async () => {
    expect(await status('    prod = { size = 3 }\n    dev = {}\n')).toBe('customer-managed');
    // An entry that overrides the nested object whole, with the same value.
    expect(await status('    prod = { dynamodb_tables = { cmk_encryption_enabled = true } }\n')).toBe('customer-managed');
  });

  it('an entry that replaces the nested object (without the flag, or with false): unknown', async () => {
    expect(await status('    prod = {}\n    dev = { dynamodb_tables = { cmk_encryption_enabled = false } }\n')).toBe('unknown');
    // A shallow merge: dev's dynamodb_tables replaces the defaults' whole, flag and all.
    expect(await status('    prod = {}\n    dev = { dynamodb_tables = { other = 1 } }\n')).toBe('unknown');
    // An argument kmsfix cannot list.
    const t = await scan({ 'locals.tf': locals('    prod = {}\n').replace('{ region = "eu-west-1" }', 'data.x.y'), 'dynamodb.tf': TABLE });
    expect(t.status).toBe('unknown');
  });
});

/**
 * A value that leaves out an optional attribute of the variable's object type (adversarial pass of session 47, repro 01):
 * Terraform gives the attribute the type's default, else null; `var.table.kms_key_arn` read a customer-managed key
 * (compliant) where terraform.tfvars or a module call set `table = { name = "orders-dev" }`: null, the AWS managed key.
 */
describe("an optional attribute of a variable's object type, left out", () => {
  const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const module = (type: string) => `variable "table" {
  type = object({
    name        = string # the table's name
    kms_key_arn = ${type}
  })
  default = {
    name        = "orders"
    kms_key_arn = "${ARN}"
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = var.table.name
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.table.kms_key_arn
  }
}
`;
  const status = async (files: Record<string, string>, address = 'aws_dynamodb_table.orders') => {
    const r = await processMemory(
      Object.entries(files).map(([path, text]) => ({ path, text })),
      'scan',
    );
    return r.outcomes.flatMap((o) => o.tables).find((t) => t.address === address)!;
  };

  it('terraform.tfvars leaves it out of optional(string): null, the AWS managed key', async () => {
    const t = await status({ 'main.tf': module('optional(string)'), 'terraform.tfvars': 'table = { name = "orders-dev" }\n' });
    expect(t.status).toBe('aws-managed');
    expect(t.message).toContain('var.table.kms_key_arn is null');
  });

  it('optional(string, "<key>"): the type default, customer-managed; set in the value: that value', async () => {
    const withDefault = module(`optional(string, "${ARN}")`);
    expect((await status({ 'main.tf': withDefault, 'terraform.tfvars': 'table = { name = "orders-dev" }\n' })).status).toBe(
      'customer-managed',
    );
    const set = `table = {\n  name        = "orders-dev"\n  kms_key_arn = "${ARN}"\n}\n`;
    expect((await status({ 'main.tf': module('optional(string)'), 'terraform.tfvars': set })).status).toBe('customer-managed');
  });

  it('set to null in the value: the type default too (adversarial pass, repro 06)', async () => {
    const nulled = 'table = {\n  name        = "orders-dev"\n  kms_key_arn = null\n}\n';
    expect((await status({ 'main.tf': module(`optional(string, "${ARN}")`), 'terraform.tfvars': nulled })).status).toBe('customer-managed');
    expect((await status({ 'main.tf': module('optional(string)'), 'terraform.tfvars': nulled })).status).toBe('aws-managed');
  });

  it("a module call's input that leaves it out: the call's row is the AWS managed key", async () => {
    const t = await status(
      {
        'modules/table/main.tf': module('optional(string)'),
        'live/main.tf': 'module "orders" {\n  source = "../modules/table"\n  table = {\n    name = "orders-dev"\n  }\n}\n',
      },
      'module.orders',
    );
    expect(t.status).toBe('aws-managed');
  });
});
