/**
 * The AWS managed key reached through a data source (src/formats/terraform/managedKeyData.ts):
 * `data.aws_kms_alias` named alias/aws/dynamodb (`.arn`, `.target_key_arn`) and `data.aws_kms_key`
 * whose key_id is that alias are aws-managed, not customer-managed. fixtures/terraform/aws-managed-data
 * holds the data sources in another file of the module; these cases hold them in the table's file.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const DATA = `data "aws_kms_alias" "dynamodb" {
  name = "alias/aws/dynamodb"
}

data "aws_kms_key" "k" {
  key_id = "alias/aws/dynamodb"
}
`;

const table = (name: string, key: string) => `
resource "aws_dynamodb_table" "${name}" {
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

const MODULE = `
module "orders" {
  source = "terraform-aws-modules/dynamodb-table/aws"
  name   = "orders"

  server_side_encryption_enabled     = true
  server_side_encryption_kms_key_arn = data.aws_kms_alias.dynamodb.target_key_arn
}
`;

const TEXT = `provider "aws" {\n  region = "us-east-1"\n}\n\n${DATA}${table('target', 'data.aws_kms_alias.dynamodb.target_key_arn')}${table('arn', 'data.aws_kms_alias.dynamodb.arn')}${table('key', 'data.aws_kms_key.k.arn')}${table('template', '"${data.aws_kms_key.k.arn}"')}${MODULE}`;

describe('the AWS managed key through a data source', () => {
  it('is aws-managed (table, template, registry module call), naming the data source', async () => {
    const r = await processMemory([{ path: 'main.tf', text: TEXT }], 'scan');
    const tables = r.outcomes[0].tables;
    expect(Object.fromEntries(tables.map((t) => [t.address, [t.status, t.fixable]]))).toEqual({
      'aws_dynamodb_table.target': ['aws-managed', true],
      'aws_dynamodb_table.arn': ['aws-managed', true],
      'aws_dynamodb_table.key': ['aws-managed', true],
      'aws_dynamodb_table.template': ['aws-managed', true],
      'module.orders': ['aws-managed', true],
    });
    expect(tables[0].message).toContain('data.aws_kms_alias.dynamodb names alias/aws/dynamodb, main.tf:5');
    expect(tables[2].message).toContain('data.aws_kms_key.k names alias/aws/dynamodb, main.tf:9');
  });

  it('is fixed: the data source reference replaced by a generated key; compliant with --accept-aws-managed', async () => {
    const r = await processMemory([{ path: 'main.tf', text: TEXT }], 'fix');
    const out = r.output.get('main.tf')!;
    expect(out).toContain('kms_key_arn = aws_kms_key.target.arn');
    expect(out).toContain('server_side_encryption_kms_key_arn = aws_kms_key.orders.arn');
    expect(out).not.toMatch(/kms_key_arn\s*=\s*"?\$?\{?data\.aws_kms_/);
    const accepted = await processMemory([{ path: 'main.tf', text: TEXT }], 'fix', { acceptAwsManaged: true });
    expect(accepted.output.get('main.tf')).toBe(TEXT);
  });

  it('another alias, or a key not named by the AWS managed alias, stays customer-managed', async () => {
    const text = `data "aws_kms_alias" "orders" {\n  name = "alias/orders"\n}\n${table('own', 'data.aws_kms_alias.orders.target_key_arn')}${table('unseen', 'data.aws_kms_key.elsewhere.arn')}`;
    const r = await processMemory([{ path: 'main.tf', text }], 'scan');
    expect(r.outcomes[0].tables.map((t) => t.status)).toEqual(['customer-managed', 'customer-managed']);
  });

  it('through a chain of locals (in another file of the module) is aws-managed too, and fixed', async () => {
    const files = [
      {
        path: 'locals.tf',
        text: 'locals {\n  default_key = local.managed\n  managed     = data.aws_kms_alias.dynamodb.target_key_arn\n}\n',
      },
      { path: 'main.tf', text: `provider "aws" {\n  region = "us-east-1"\n}\n\n${DATA}${table('viaLocal', 'local.default_key')}` },
    ];
    const r = await processMemory(files, 'fix');
    const t = r.outcomes.find((o) => o.file.path === 'main.tf')!.tables[0];
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    expect(t.message).toContain('data.aws_kms_alias.dynamodb names alias/aws/dynamodb');
    expect(r.output.get('main.tf')).toContain('kms_key_arn = aws_kms_key.viaLocal.arn');
    // A local that stands for a key of the module's own stays customer-managed.
    const own = [
      { path: 'locals.tf', text: 'locals {\n  default_key = aws_kms_key.k.arn\n}\n' },
      { path: 'main.tf', text: `provider "aws" {\n  region = "us-east-1"\n}\n\n${DATA}${table('own', 'local.default_key')}` },
    ];
    expect((await processMemory(own, 'scan')).outcomes.find((o) => o.file.path === 'main.tf')!.tables[0].status).toBe('customer-managed');
  });

  it('as the branch a decided choice takes, and through a local module call (real-world round 27: boldlink/terraform-aws-dynamodb)', async () => {
    const choice = 'var.key_arn == null ? local.default_key : var.key_arn';
    const locals = 'locals {\n  default_key = data.aws_kms_alias.dynamodb.target_key_arn\n}\n\nvariable "key_arn" {\n  default = null\n}\n';
    const root = [
      { path: 'locals.tf', text: locals },
      { path: 'main.tf', text: `provider "aws" {\n  region = "us-east-1"\n}\n\n${DATA}${table('chosen', choice)}` },
    ];
    const t = (await processMemory(root, 'scan')).outcomes.find((o) => o.file.path === 'main.tf')!.tables[0];
    expect(t.status).toBe('aws-managed');
    // The data source itself in the branch (adversarial pass), with == and !=.
    for (const direct of [
      'var.key_arn == null ? data.aws_kms_alias.dynamodb.target_key_arn : var.key_arn',
      'var.key_arn != null ? var.key_arn : data.aws_kms_alias.dynamodb.arn',
      'coalesce(var.key_arn, data.aws_kms_alias.dynamodb.target_key_arn)',
    ]) {
      const files = [
        { path: 'locals.tf', text: locals },
        { path: 'main.tf', text: `provider "aws" {\n  region = "us-east-1"\n}\n\n${DATA}${table('chosen', direct)}` },
      ];
      const d = (await processMemory(files, 'scan')).outcomes.find((o) => o.file.path === 'main.tf')!.tables[0];
      expect(d.status, direct).toBe('aws-managed');
    }
    expect(t.message).toContain('data.aws_kms_alias.dynamodb names alias/aws/dynamodb');
    // The module's table through a call that leaves key_arn null: the module's data source decides.
    const call = [
      { path: 'm/locals.tf', text: locals },
      { path: 'm/main.tf', text: `${DATA}${table('this', choice)}` },
      { path: 'examples/main.tf', text: 'module "orders" {\n  source = "../m"\n}\n' },
    ];
    const c = (await processMemory(call, 'scan')).outcomes.find((o) => o.file.path === 'examples/main.tf')!.tables[0];
    expect([c.address, c.status]).toEqual(['module.orders', 'aws-managed']);
    expect(c.message).toContain('data.aws_kms_alias.dynamodb names alias/aws/dynamodb, ../m/main.tf:1');
    // The call that passes a key of its own: customer-managed.
    call[2].text = 'module "orders" {\n  source  = "../m"\n  key_arn = aws_kms_key.k.arn\n}\n';
    expect((await processMemory(call, 'scan')).outcomes.find((o) => o.file.path === 'examples/main.tf')!.tables[0].status).toBe(
      'customer-managed',
    );
  });

  it('the alias ARN as a template, and an attribute of a local object (adversarial pass; cumberland-terraform/storage-ddb)', async () => {
    const scan = async (text: string) => (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    const template =
      '"arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/aws/dynamodb"';
    expect((await scan(table('orders', template))).status).toBe('aws-managed');
    expect((await scan(table('orders', '"arn:${data.aws_partition.current.partition}:kms:eu-west-1:1:alias/orders"'))).status).toBe(
      'customer-managed',
    );
    // `local.kms.arn`: an object local, or the object a choice the variable's default decides gives.
    const variable = 'variable "kms" {\n  default = {\n    aws_managed = true\n    arn         = null\n  }\n}\n';
    const object = '{\n    aws_managed = true\n    arn         = data.aws_kms_key.k.arn\n  }';
    for (const local of [object, `!var.kms.aws_managed ? var.kms : ${object}`]) {
      const t = await scan(`${variable}${DATA}locals {\n  kms = ${local}\n}\n${table('orders', 'local.kms.arn')}`);
      expect([t.status, t.fixable], local).toEqual(['aws-managed', true]);
      expect(t.message).toContain('data.aws_kms_key.k names alias/aws/dynamodb');
    }
    // The template in a local, in an object local's attribute, read by index (adversarial pass).
    const arn = template;
    for (const [local, read] of [
      [`managed = ${arn}`, 'local.managed'],
      [`kms = {\n    arn = ${arn}\n  }`, 'local.kms.arn'],
      [`kms = {\n    arn = ${arn}\n  }`, 'local.kms["arn"]'],
    ]) {
      const t = await scan(`locals {\n  ${local}\n}\n${table('orders', read)}`);
      expect([t.status, t.fixable], read).toEqual(['aws-managed', true]);
    }
    // The variable's default chooses the variable's own key: customer-managed (its ARN is not known, an expression).
    const own = variable
      .replace('aws_managed = true', 'aws_managed = false')
      .replace('arn         = null', 'arn         = "arn:aws:kms:eu-west-1:1:key/k"');
    const t = await scan(
      `${own}${DATA}locals {\n  kms = !var.kms.aws_managed ? var.kms : ${object}\n}\n${table('orders', 'local.kms.arn')}`,
    );
    expect(t.status).toBe('customer-managed');
  });

  it('a map read by the workspace, one of whose entries is the AWS managed key or null: unknown (real-world round 28)', async () => {
    const scan = async (text: string) => (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    const map = (dev: string) =>
      `variable "keys" {\n  default = {\n    dev  = ${dev}\n    prod = "arn:aws:kms:eu-west-1:111122223333:key/k"\n  }\n}\n`;
    for (const dev of ['"alias/aws/dynamodb"', 'null']) {
      const t = await scan(`${map(dev)}${table('orders', 'var.keys[terraform.workspace]')}`);
      expect([t.status, t.fixable], dev).toEqual(['unknown', false]);
      expect(t.message).toContain("the AWS managed key where the map's entry is");
    }
    // lookup(), an entry's attribute, a local holding an entry, entries naming other locals, merge() (adversarial pass, round 29).
    const envs =
      'locals {\n  env = {\n    dev  = local.dev\n    prod = { kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k" }\n  }\n' +
      '  dev = {\n    kms_key_arn = null\n  }\n  defaults = { billing = "PAY_PER_REQUEST" }\n' +
      '  cfg    = lookup(local.env, terraform.workspace)\n  merged = merge(local.defaults, local.env[terraform.workspace])\n}\n';
    for (const read of [
      'lookup(var.keys, terraform.workspace)',
      'local.env[terraform.workspace].kms_key_arn',
      'local.cfg.kms_key_arn',
      'local.merged.kms_key_arn',
    ]) {
      const t = await scan(`${map('null')}${envs}${table('orders', read)}`);
      expect([t.status, t.fixable], read).toEqual(['unknown', false]);
    }
    // An entry without the attribute (an `optional(string)` left out): null (adversarial pass).
    const omitted =
      'variable "settings" {\n  default = {\n    dev  = {}\n    prod = { kms_key_arn = "arn:aws:kms:eu-west-1:1:key/k" }\n  }\n}\n';
    expect((await scan(`${omitted}${table('orders', 'var.settings[var.environment].kms_key_arn')}`)).status).toBe('unknown');
    // A choice inside an object local: the branch that is null.
    const choice =
      'locals {\n  prod = terraform.workspace == "prod"\n  cfg = {\n    kms_key_arn = local.prod ? aws_kms_key.k.arn : null\n  }\n}\n';
    expect((await scan(`${choice}${table('orders', 'local.cfg.kms_key_arn')}`)).status).toBe('unknown');
    // Every entry a key of the account's own: customer-managed.
    const own = await scan(`${map('"arn:aws:kms:eu-west-1:111122223333:key/d"')}${table('orders', 'var.keys[terraform.workspace]')}`);
    expect(own.status).toBe('customer-managed');
  });

  it('a map written in place or in a local, an entry or lookup default naming the AWS managed key: unknown; every value: aws-managed (real-world round 35)', async () => {
    const PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n';
    const ALIAS = '"arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb"';
    const scan = async (files: Record<string, string>, mode: 'scan' | 'fix' = 'scan') => {
      const r = await processMemory(
        Object.entries(files).map(([path, text]) => ({ path, text })),
        mode,
      );
      return { r, tables: new Map(r.outcomes.flatMap((o) => o.tables).map((t) => [t.address, t])) };
    };
    // The workspace picks the entry (dev: the AWS managed key, prod: a key of the module), a lookup's default the rest.
    const locals =
      'locals {\n' +
      `  inline = lookup({\n    dev  = ${ALIAS}\n    prod = aws_kms_key.k.arn\n  }, terraform.workspace, ${ALIAS})\n` +
      `  indexed = {\n    dev  = ${ALIAS}\n    prod = aws_kms_key.k.arn\n  }[terraform.workspace]\n` +
      '  keys = {\n    prod = aws_kms_key.k.arn\n    dev  = data.aws_kms_alias.dynamodb.target_key_arn\n  }\n}\n' +
      'variable "keys" {\n  default = {\n    prod = "arn:aws:kms:eu-west-1:111122223333:key/k"\n  }\n}\n';
    const { tables } = await scan({
      'data.tf': DATA,
      'main.tf':
        PROVIDER +
        locals +
        table('inline', 'local.inline') +
        table('indexed', 'local.indexed') +
        table('entry', 'local.keys[terraform.workspace]') +
        table('fallback', 'lookup(var.keys, terraform.workspace, data.aws_kms_alias.dynamodb.target_key_arn)') +
        table('in_place', `lookup({ dev = ${ALIAS}, prod = aws_kms_key.k.arn }, terraform.workspace, aws_kms_key.k.arn)`),
    });
    for (const name of ['inline', 'indexed', 'entry', 'fallback', 'in_place']) {
      const t = tables.get(`aws_dynamodb_table.${name}`)!;
      expect([t.status, t.fixable], name).toEqual(['unknown', false]);
    }
    expect(tables.get('aws_dynamodb_table.indexed')!.message).toContain(`the AWS managed key where the map's entry is ${ALIAS} (key "dev"`);
    expect(tables.get('aws_dynamodb_table.entry')!.message).toContain(
      'the map\'s entry is data.aws_kms_alias.dynamodb.target_key_arn (key "dev"; data.aws_kms_alias.dynamodb names alias/aws/dynamodb, data.tf:1)',
    );
    expect(tables.get('aws_dynamodb_table.fallback')!.message).toContain(
      "the AWS managed key when the map has no such key, the lookup's default being data.aws_kms_alias.dynamodb.target_key_arn",
    );

    // A key the module's values decide picks its entry, as a condition on it is decided (env defaults to "dev"):
    // aws-managed and fixed; a var-file that sets env: unknown. Every value the AWS managed key: aws-managed.
    const env = (def: string) => `variable "env" {\n  default = "${def}"\n}\n`;
    const picked = PROVIDER + locals + table('picked', 'local.keys[var.env]');
    const dev = await scan({ 'data.tf': DATA, 'main.tf': env('dev') + picked }, 'fix');
    const t = dev.tables.get('aws_dynamodb_table.picked')!;
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    expect(t.message).toContain('env defaults to "dev"');
    expect(dev.r.output.get('main.tf')).toContain('kms_key_arn = aws_kms_key.picked.arn');
    const perEnv = await scan({ 'data.tf': DATA, 'main.tf': env('dev') + picked, 'env/prod.tfvars': 'env = "prod"\n' });
    expect(perEnv.tables.get('aws_dynamodb_table.picked')!.status).toBe('unknown');
    // Decided to prod, the dev entry stays a value env may take: unknown, as before.
    expect((await scan({ 'data.tf': DATA, 'main.tf': env('prod') + picked })).tables.get('aws_dynamodb_table.picked')!.status).toBe(
      'unknown',
    );
    const every = `locals {\n  managed = lookup({ dev = data.aws_kms_alias.dynamodb.arn, prod = "alias/aws/dynamodb" }, terraform.workspace, null)\n}\n`;
    const all = (await scan({ 'data.tf': DATA, 'main.tf': PROVIDER + every + table('all', 'local.managed') })).tables.get(
      'aws_dynamodb_table.all',
    )!;
    expect([all.status, all.fixable]).toEqual(['aws-managed', true]);
    // A local module's map, through its calls: the call's env picks the entry; a call that sets none, any entry.
    const module = `variable "env" {\n  type = string\n}\n${DATA}${locals}${table('this', 'local.keys[var.env]')}`;
    const calls = 'module "dev" {\n  source = "../m"\n  env    = "dev"\n}\n\nmodule "any" {\n  source = "../m"\n  env    = var.env\n}\n';
    const called = await scan({ 'm/main.tf': module, 'examples/main.tf': `${calls}variable "env" {}\n` });
    expect(called.tables.get('module.dev')!.status).toBe('aws-managed');
    expect(called.tables.get('module.dev')!.message).toContain('data.aws_kms_alias.dynamodb names alias/aws/dynamodb, ../m/main.tf:4');
    expect(called.tables.get('module.any')!.status).toBe('unknown');
    // Every value a key of the module's own: customer-managed.
    const own =
      'locals {\n  own = { dev = aws_kms_key.k.arn, prod = "arn:aws:kms:eu-west-1:111122223333:key/k" }[terraform.workspace]\n}\n';
    const cmk = await scan({ 'data.tf': DATA, 'main.tf': PROVIDER + own + table('own', 'local.own') });
    expect(cmk.tables.get('aws_dynamodb_table.own')!.status).toBe('customer-managed');
  });

  it('a key_id or name that reads the module inputs is evaluated as a kms_key_arn would be (real-world round 34)', async () => {
    const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n';
    const scan = async (files: Record<string, string>, at = 'main.tf') =>
      (
        await processMemory(
          Object.entries(files).map(([path, text]) => ({ path, text })),
          'scan',
        )
      ).outcomes.find((o) => o.file.path === at)!.tables;
    const inputs =
      'variable "alias" {\n  default = "alias/aws/dynamodb"\n}\n\nvariable "svc" {\n  default = "dynamodb"\n}\n\n' +
      'locals {\n  x    = "alias/aws/dynamodb"\n  keys = { ddb = "alias/aws/dynamodb" }\n}\n';
    const data =
      'data "aws_kms_key" "local" {\n  key_id = local.x\n}\n\ndata "aws_kms_alias" "var" {\n  name = var.alias\n}\n\n' +
      'data "aws_kms_alias" "tmpl" {\n  name = "alias/aws/${var.svc}"\n}\n\ndata "aws_kms_key" "map" {\n  key_id = local.keys["ddb"]\n}\n\n' +
      'data "aws_kms_key" "counted" {\n  count  = 1\n  key_id = local.x\n}\n';
    const tables =
      table('local', 'data.aws_kms_key.local.arn') +
      table('var', 'data.aws_kms_alias.var.target_key_arn') +
      table('tmpl', 'data.aws_kms_alias.tmpl.arn') +
      table('map', 'data.aws_kms_key.map.arn') +
      table('one', 'one(data.aws_kms_key.counted[*].arn)');
    const root = await scan({ 'main.tf': `${PROVIDER}${inputs}${data}${tables}` });
    expect(Object.fromEntries(root.map((t) => [t.address, [t.status, t.fixable]]))).toEqual({
      'aws_dynamodb_table.local': ['aws-managed', true],
      'aws_dynamodb_table.var': ['aws-managed', true],
      'aws_dynamodb_table.tmpl': ['aws-managed', true],
      'aws_dynamodb_table.map': ['aws-managed', true],
      'aws_dynamodb_table.one': ['aws-managed', true],
    });
    expect(root[0].message).toContain('data.aws_kms_key.local has key_id = local.x: local.x is "alias/aws/dynamodb"');
    expect(root[1].message).toContain('data.aws_kms_alias.var has name = var.alias: alias defaults to "alias/aws/dynamodb"');
    // A module others call (no provider, backend, tfvars): the variable is its callers' choice, as for kms_key_arn = var.alias.
    const reusable = await scan({ 'main.tf': `${inputs}${data}${table('var', 'data.aws_kms_alias.var.target_key_arn')}` });
    expect([reusable[0].status, reusable[0].fixable]).toEqual(['aws-managed', false]);
    expect(reusable[0].blocker).toContain('var.alias of this module, which the module');
    // A var-file sets the alias per environment: not known, naming it.
    const perEnv = await scan({
      'main.tf': `${PROVIDER}${inputs}${data}${table('var', 'data.aws_kms_alias.var.target_key_arn')}`,
      'env/prod.tfvars': 'alias = "alias/orders"\n',
    });
    expect([perEnv[0].status, perEnv[0].fixable]).toEqual(['unknown', false]);
    expect(perEnv[0].message).toContain('alias is set per environment by env/prod.tfvars');
    // Another alias, or a variable without a default: the reference it is (customer-managed), as before.
    for (const other of ['variable "alias" {\n  default = "alias/orders"\n}\n', 'variable "alias" {}\n']) {
      const t = await scan({
        'main.tf': `${PROVIDER}${other}data "aws_kms_alias" "var" {\n  name = var.alias\n}\n${table('var', 'data.aws_kms_alias.var.target_key_arn')}`,
      });
      expect(t[0].status, other).toBe('customer-managed');
    }
    // cumberland-terraform/storage-ddb: a counted data source chosen by the variable's default, its key_id a local's attribute.
    const cumberland =
      'variable "kms" {\n  default = {\n    aws_managed = true\n    arn         = null\n  }\n}\n\n' +
      'locals {\n  platform_defaults = {\n    aws_managed_key_alias = "alias/aws/dynamodb"\n  }\n' +
      '  kms = !var.kms.aws_managed ? var.kms : {\n    aws_managed = true\n    arn         = data.aws_kms_key.this[0].arn\n  }\n}\n\n' +
      'data "aws_kms_key" "this" {\n  count  = var.kms.aws_managed ? 1 : 0\n  key_id = local.platform_defaults.aws_managed_key_alias\n}\n';
    expect((await scan({ 'main.tf': `${cumberland}${table('this', 'local.kms.arn')}` }))[0].status).toBe('aws-managed');
    // A local module's data source, its name the call's input or the variable's default.
    const module = {
      'm/main.tf': `variable "alias" {\n  default = "alias/aws/dynamodb"\n}\n\ndata "aws_kms_alias" "this" {\n  name = var.alias\n}\n${table('this', 'data.aws_kms_alias.this.target_key_arn')}`,
      'main.tf': `${PROVIDER}module "orders" {\n  source = "./m"\n}\n`,
    };
    const byDefault = await scan(module);
    expect([byDefault[0].address, byDefault[0].status]).toEqual(['module.orders', 'aws-managed']);
    expect(byDefault[0].message).toContain('data.aws_kms_alias.this has name = var.alias');
    const own = await scan({ ...module, 'main.tf': `${PROVIDER}module "orders" {\n  source = "./m"\n  alias  = "alias/orders"\n}\n` });
    expect(own[0].status).toBe('customer-managed');
    const passed = await scan({
      ...module,
      'main.tf': `${PROVIDER}variable "alias" {\n  default = "alias/aws/dynamodb"\n}\n\nmodule "orders" {\n  source = "./m"\n  alias  = var.alias\n}\n`,
      'env/prod.tfvars': 'alias = "alias/orders"\n',
    });
    expect(passed[0].status).toBe('unknown');
  });
});

describe('a local whose line ends in a comment (real-world round 35)', () => {
  it('is evaluated without the comment: a key that is the AWS managed one is aws-managed, not customer-managed', async () => {
    const text = `locals {\n  key = var.key # the default key\n}\n\nvariable "key" {\n  default = "arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb"\n}\n${table('orders', 'local.key')}`;
    const t = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    expect(t.status).toBe('aws-managed');
  });

  // Adversarial pass 2 of session 59, F4: a key data source whose key_id reads an alias data source of the AWS managed key.
  it('a data.aws_kms_key whose key_id reads a data.aws_kms_alias of the AWS managed key (another file too) is aws-managed', async () => {
    const alias = (name: string) => `data "aws_kms_alias" "managed" {\n  name = "${name}"\n}\n`;
    const key = `data "aws_kms_key" "managed" {\n  key_id = data.aws_kms_alias.managed.target_key_id\n}\n`;
    const chained = await processMemory(
      [{ path: 'main.tf', text: `${alias('alias/aws/dynamodb')}${key}${table('orders', 'data.aws_kms_key.managed.arn')}` }],
      'scan',
    );
    expect(chained.outcomes[0].tables[0].status).toBe('aws-managed');
    expect(chained.outcomes[0].tables[0].message).toContain(
      'data.aws_kms_key.managed reads data.aws_kms_alias.managed names alias/aws/dynamodb',
    );
    const apart = await processMemory(
      [
        { path: 'keys.tf', text: alias('alias/aws/dynamodb') },
        { path: 'main.tf', text: `${key}${table('orders', 'data.aws_kms_key.managed.arn')}` },
      ],
      'scan',
    );
    expect(apart.outcomes.flatMap((o) => o.tables).map((t) => t.status)).toEqual(['aws-managed']);
    const own = await processMemory(
      [{ path: 'main.tf', text: `${alias('alias/orders')}${key}${table('orders', 'data.aws_kms_key.managed.arn')}` }],
      'scan',
    );
    expect(own.outcomes[0].tables[0].status).toBe('customer-managed');
  });
});
