/**
 * A table repeated by `for_each` whose key is `each.value.kms_key_arn` (inputUses.ts eachValueBase): each
 * entry of the collection decides its instance. Left out since session 46 ("customer-managed even where one
 * entry of the map has none"): an entry without the attribute (an `optional(string)` left out, or null) is an
 * instance with the AWS managed key, and kmsfix said customer-managed (exit 0).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const table = (forEach: string, key = 'each.value.kms_key_arn') => `resource "aws_dynamodb_table" "this" {
  for_each     = ${forEach}
  name         = each.key
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

const variable = (type: string, value: string) => `provider "aws" {
  region = "eu-west-1"
}

variable "tables" {
  type    = ${type}
  default = ${value}
}
`;

const MAP = 'map(object({ kms_key_arn = optional(string) }))';
const LIST = 'list(object({ name = string, kms_key_arn = optional(string) }))';

async function scan(files: Record<string, string>) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'scan',
  );
  const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.this')!;
  return { status: t.status, fixable: t.fixable, reason: t.reason ?? '' };
}

describe('for_each: each.value.kms_key_arn, entry by entry', () => {
  it('a map entry without the key: unknown, naming the AWS managed key of that instance', async () => {
    const r = await scan({
      'main.tf': variable(MAP, `{\n    orders = { kms_key_arn = "${ARN}" }\n    users  = {}\n  }`) + table('var.tables'),
    });
    expect(r).toMatchObject({ status: 'unknown', fixable: false });
    expect(r.reason).toMatch(/the AWS managed key for each instance whose for_each entry gives null \(tables defaults to/);
  });

  it('every entry a key, or the type default one: customer-managed as before', async () => {
    const every = variable(MAP, `{\n    orders = { kms_key_arn = "${ARN}" }\n  }`) + table('var.tables');
    expect((await scan({ 'main.tf': every })).status).toBe('customer-managed');
    const typed = variable(`map(object({ kms_key_arn = optional(string, "${ARN}") }))`, '{\n    users = {}\n  }') + table('var.tables');
    expect((await scan({ 'main.tf': typed })).status).toBe('customer-managed');
  });

  it('terraform.tfvars gives the collection', async () => {
    const files = {
      'main.tf': variable(MAP, `{\n    orders = { kms_key_arn = "${ARN}" }\n  }`) + table('var.tables'),
      'terraform.tfvars': `tables = {\n  orders = {}\n  users  = { kms_key_arn = "${ARN}" }\n}\n`,
    };
    expect((await scan(files)).status).toBe('unknown');
    // Its one entry without a key: every instance has the AWS managed key (session 51).
    expect((await scan({ ...files, 'terraform.tfvars': 'tables = {\n  orders = {}\n}\n' })).status).toBe('aws-managed');
  });

  it('a list keyed by a for expression (with a filter: every item counts), and a local map', async () => {
    const list = variable(LIST, `[{ name = "orders", kms_key_arn = "${ARN}" }, { name = "users" }]`);
    expect((await scan({ 'main.tf': list + table('{ for t in var.tables : t.name => t if t.name != "x" }') })).status).toBe('unknown');
    const local = `locals {\n  tables = {\n    a = { kms = "${ARN}" }\n    b = { kms = null }\n  }\n}\n`;
    expect((await scan({ 'main.tf': local + table('local.tables', 'each.value.kms') })).status).toBe('unknown');
    const keyed = `locals {\n  tables = {\n    a = { kms = "${ARN}" }\n  }\n}\n`;
    expect((await scan({ 'main.tf': keyed + table('local.tables', 'each.value.kms') })).status).toBe('customer-managed');
  });

  it('adversarial pass and real-world round of session 48: the for expression as terraform fmt writes it, a registry module call, var-files', async () => {
    const list = variable(LIST, `[{ name = "orders", kms_key_arn = "${ARN}" }, { name = "users" }]`);
    expect((await scan({ 'main.tf': list + table('{ for t in var.tables : t.name => t }') })).status).toBe('unknown');
    expect((await scan({ 'main.tf': list + table('{ for k, v in var.tables : v.name => v }') })).status).toBe('unknown');
    const local = `locals {\n  tables = {\n    orders = { kms_key_arn = "${ARN}" }\n    users  = { kms_key_arn = null }\n  }\n}\n`;
    const call = `module "this" {
  source   = "terraform-aws-modules/dynamodb-table/aws"
  version  = "4.0.0"
  for_each = local.tables

  name                               = each.key
  hash_key                           = "pk"
  attributes                         = [{ name = "pk", type = "S" }]
  server_side_encryption_enabled     = true
  server_side_encryption_kms_key_arn = each.value.kms_key_arn
}
`;
    const r = await processMemory([{ path: 'main.tf', text: `provider "aws" {\n  region = "eu-west-1"\n}\n${local}${call}` }], 'scan');
    expect(r.outcomes[0].tables.find((t) => t.address === 'module.this')!.status).toBe('unknown');
    // A collection only var-files set: not known, as any variable they set.
    const noDefault = `provider "aws" {\n  region = "eu-west-1"\n}\nvariable "tables" {\n  type = ${MAP}\n}\n`;
    const files = { 'main.tf': noDefault + table('var.tables'), 'env/dev.tfvars': 'tables = {\n  users = {}\n}\n' };
    const v = await scan(files);
    expect(v.status).toBe('unknown');
    expect(v.reason).toMatch(/env\/dev\.tfvars/);
    // Through a local that is the variable (third adversarial pass).
    const viaLocal = { ...files, 'main.tf': `${noDefault}locals {\n  tables = var.tables\n}\n${table('local.tables')}` };
    expect((await scan(viaLocal)).status).toBe('unknown');
  });

  it("each.key of a map variable (its keys the tables' keys): read key by key, from the default, tfvars; a var-file's: unknown", async () => {
    const KEYS = 'map(string)';
    const byDefault = await scan({
      'main.tf': variable(KEYS, `{\n    "${ARN}" = "orders"\n    "alias/aws/dynamodb" = "users"\n  }`) + table('var.tables', 'each.key'),
    });
    expect(byDefault.status).toBe('unknown');
    expect(byDefault.reason).toMatch(
      /kms_key_arn = each\.key: the AWS managed key for each instance whose for_each entry gives "alias\/aws\/dynamodb" \(tables defaults to/,
    );
    const noDefault = `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "tables" {\n  type = ${KEYS}\n}\n`;
    const tfvars = await scan({
      'main.tf': noDefault + table('var.tables', 'each.key'),
      'terraform.tfvars': 'tables = {\n  "alias/aws/dynamodb" = "orders"\n}\n',
    });
    expect([tfvars.status, tfvars.fixable]).toEqual(['aws-managed', true]);
    expect(
      (
        await scan({
          'main.tf': variable(KEYS, `{\n    "${ARN}" = "orders"\n  }`) + table('var.tables', 'each.key'),
        })
      ).status,
    ).toBe('customer-managed');
    // Set per environment by a var-file: not known.
    const perEnv = await scan({
      'main.tf': variable(KEYS, `{\n    "${ARN}" = "orders"\n  }`) + table('var.tables', 'each.key'),
      'env/prod.tfvars': 'tables = {\n  "alias/aws/dynamodb" = "orders"\n}\n',
    });
    expect(perEnv.status).toBe('unknown');
    expect(perEnv.reason).toMatch(/env\/prod\.tfvars/);
    // A key resource's instance picked by each.key is a key whatever the var-file sets (not read as the collection's entry).
    const own = `\nresource "aws_kms_key" "k" {\n  for_each            = var.tables\n  enable_key_rotation = true\n}\n`;
    const picked = await scan({
      'main.tf': variable(KEYS, '{\n    orders = "orders"\n  }') + table('var.tables', 'aws_kms_key.k[each.key].arn') + own,
      'env/prod.tfvars': 'tables = {\n  users = "users"\n}\n',
    });
    expect(picked.status).toBe('customer-managed');
  });

  it('a collection kmsfix cannot list (a call, a data source): the key as written', async () => {
    const r = await scan({ 'main.tf': variable(MAP, '{}') + table('data.external.tables.result') });
    expect(r.status).toBe('customer-managed');
  });

  it('a local module called with for_each or count, passing the entry key (real-world round 34): read as the table is', async () => {
    const MODULE =
      'variable "name" {\n  type = string\n}\n\nvariable "kms_key_arn" {\n  type    = string\n  default = null\n}\n' +
      table('var.name', 'var.kms_key_arn').replace('for_each     = var.name\n  name         = each.key', 'name         = var.name');
    const call = (repeat: string, key = 'each.value.kms_key_arn', name = 'each.key') =>
      `module "t" {\n  source = "./modules/t"\n  ${repeat}\n\n  name        = ${name}\n  kms_key_arn = ${key}\n}\n`;
    const run = async (files: Record<string, string>) => {
      const r = await processMemory(
        Object.entries({ 'modules/t/main.tf': MODULE, ...files }).map(([path, text]) => ({ path, text })),
        'scan',
      );
      const t = r.outcomes.find((o) => o.file.path === 'main.tf')!.tables.find((x) => x.address === 'module.t')!;
      return { status: t.status, fixable: t.fixable, message: t.message, blocker: t.blocker ?? '' };
    };
    const noDefault =
      'provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "tables" {\n  type = map(object({ kms_key_arn = string }))\n}\n';
    const tfvars = `tables = {\n  orders = { kms_key_arn = "${ARN}" }\n  users  = { kms_key_arn = "alias/aws/dynamodb" }\n}\n`;
    const byTfvars = await run({ 'main.tf': noDefault + call('for_each = var.tables'), 'terraform.tfvars': tfvars });
    expect([byTfvars.status, byTfvars.fixable]).toEqual(['unknown', false]);
    expect(byTfvars.message).toContain('the AWS managed key for each instance whose for_each entry gives "alias/aws/dynamodb"');
    // count over a local list, and for_each over a for expression of it.
    const list = `locals {\n  tables = [\n    { name = "orders", kms_key_arn = "${ARN}" },\n    { name = "users", kms_key_arn = "alias/aws/dynamodb" },\n  ]\n}\n`;
    const counted = await run({
      'main.tf': list + call('count  = length(local.tables)', 'local.tables[count.index].kms_key_arn', 'local.tables[count.index].name'),
    });
    expect(counted.status).toBe('unknown');
    expect((await run({ 'main.tf': list + call('for_each = { for t in local.tables : t.name => t }') })).status).toBe('unknown');
    // Every entry leaves the key out (optional, null): every instance gets the AWS managed key; a key in each: customer-managed.
    const allNull = await run({ 'main.tf': variable(MAP, '{\n    orders = {}\n    users  = {}\n  }') + call('for_each = var.tables') });
    expect([allNull.status, allNull.fixable]).toEqual(['aws-managed', true]);
    expect(allNull.message).toContain('every for_each entry gives null');
    const keyed = await run({
      'main.tf': variable(MAP, `{\n    orders = { kms_key_arn = "${ARN}" }\n  }`) + call('for_each = var.tables'),
    });
    expect(keyed.status).toBe('customer-managed');
    // In a module others call, the collection is its callers' (module-inputs); set by a var-file: not known.
    const reusable = await run({
      'main.tf': variable(MAP, '{\n    orders = {}\n  }').replace(/provider "aws" \{[^}]*\}\n\n/, '') + call('for_each = var.tables'),
    });
    expect([reusable.status, reusable.fixable]).toEqual(['aws-managed', false]);
    expect(reusable.blocker).toContain('var.tables');
    const perEnv = await run({
      'main.tf': variable(MAP, '{\n    orders = {}\n  }') + call('for_each = var.tables'),
      'env/prod.tfvars': `tables = {\n  orders = { kms_key_arn = "${ARN}" }\n}\n`,
    });
    expect(perEnv.status).toBe('unknown');
  });

  it('every entry the AWS managed key: aws-managed for a table too (a resource, count over a local list)', async () => {
    const all = variable(MAP, '{\n    orders = {}\n    users  = { kms_key_arn = "alias/aws/dynamodb" }\n  }') + table('var.tables');
    const r = await scan({ 'main.tf': all });
    expect([r.status, r.fixable]).toEqual(['aws-managed', true]);
    const list = 'locals {\n  tables = [{ kms = null }, { kms = "alias/aws/dynamodb" }]\n}\n';
    const counted = table('var.x', 'local.tables[count.index].kms').replace('for_each     = var.x', 'count        = length(local.tables)');
    expect((await scan({ 'main.tf': `provider "aws" {\n  region = "eu-west-1"\n}\n${list}${counted}` })).status).toBe('aws-managed');
  });
});
