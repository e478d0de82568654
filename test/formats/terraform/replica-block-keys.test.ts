/**
 * A table with a customer-managed key and a `replica` block without kms_key_arn: that replica uses
 * the AWS managed key of its Region, so the table is aws-managed, not fixable (replica keys by hand),
 * as the rule's `override` replicas say for every format (src/rule/cmk.ts overrideKeysVerdict;
 * Pulumi YAML's replicas read the same). A table without a customer-managed key is fixed with its
 * replicas as before (--recreate-replicas: fixtures/terraform/replica-providers).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (replicas: string) => `provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "us_west_2"
  region = "us-west-2"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
  multi_region        = true
}

resource "aws_dynamodb_table" "stat" {
  name             = "stat"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "id"
    type = "S"
  }
${replicas}
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.k.arn
  }
}
`;

async function scan(replicas: string) {
  const r = await processMemory([{ path: 'main.tf', text: table(replicas) }], 'scan');
  return r.outcomes[0].tables[0];
}

describe('replica blocks of a table with a customer-managed key', () => {
  it('a replica without kms_key_arn: aws-managed, naming its Region, replica keys by hand', async () => {
    const t = await scan('\n  replica {\n    region_name = "us-west-2"\n  }\n');
    expect(t.status).toBe('aws-managed');
    expect(t.compliant).toBe(false);
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('no replica us-west-2 kms_key_arn');
    expect(t.message).toContain("set each such replica block's kms_key_arn to its ARN");
  });

  it('a replica with a key of its own: customer-managed', async () => {
    const t = await scan('\n  replica {\n    region_name = "us-west-2"\n    kms_key_arn = aws_kms_replica_key.k.arn\n  }\n');
    expect(t.status).toBe('customer-managed');
  });

  it('a replica naming the AWS managed key: aws-managed', async () => {
    const t = await scan('\n  replica {\n    region_name = "us-west-2"\n    kms_key_arn = "alias/aws/dynamodb"\n  }\n');
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(false);
  });

  it('a dynamic "replica" whose content sets a key: customer-managed; one that sets none: unknown', async () => {
    const keyed = await scan(`
  dynamic "replica" {
    for_each = var.regions
    content {
      region_name = replica.value
      kms_key_arn = var.replica_keys[replica.value]
    }
  }
`);
    expect(keyed.status).toBe('customer-managed');
    const bare = await scan(`
  dynamic "replica" {
    for_each = var.regions
    content {
      region_name = replica.value
    }
  }
`);
    expect(bare.status).toBe('unknown');
    expect(bare.message).toContain('replica is a dynamic block whose content sets no kms_key_arn');
  });

  it("a dynamic replica's key read from its iterator: each entry of the for_each read, never taken for a key unread", async () => {
    const dyn = (forEach: string, key: string, head = '') => `
  dynamic "replica" {${head}
    for_each = ${forEach}
    content {
      region_name = replica.key
      kms_key_arn = ${key}
    }
  }
`;
    // A variable's entries (optional(string) left out: null) kmsfix does not evaluate for a dynamic replica: unknown.
    const fromVar = await scan(dyn('var.replicas', 'replica.value.kms_key_arn'));
    expect(fromVar.status).toBe('unknown');
    expect(fromVar.message).toContain('kms_key_arn = replica.value.kms_key_arn: the key each replica');
    // Written in place: one entry without a key is that replica on the AWS managed key.
    const mixed = await scan(
      dyn(
        '{ "us-west-2" = { kms_key_arn = null }, "eu-west-1" = { kms_key_arn = aws_kms_replica_key.eu.arn } }',
        'replica.value.kms_key_arn',
      ),
    );
    expect(mixed.status).toBe('unknown');
    expect(mixed.message).toContain('replica.value.kms_key_arn');
    expect(mixed.message).toContain('gives null');
    // Every entry the AWS managed key: aws-managed (replica keys by hand), also through `iterator`.
    const managed = await scan(dyn('{ "us-west-2" = {} }', 'r.value.kms_key_arn', '\n    iterator = r'));
    expect(managed.status).toBe('aws-managed');
    expect(managed.fixable).toBe(false);
    // Every entry a key of its own: customer-managed, as before.
    const keyed = await scan(dyn('{ "us-west-2" = { kms_key_arn = aws_kms_replica_key.w.arn } }', 'replica.value.kms_key_arn'));
    expect(keyed.status).toBe('customer-managed');
  });

  it("a dynamic replica over the module's inputs: each entry read from defaults, tfvars, locals, as a table's for_each is", async () => {
    const ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const dyn = (forEach: string) => `
  dynamic "replica" {
    for_each = ${forEach}
    content {
      region_name = replica.key
      kms_key_arn = replica.value.kms_key_arn
    }
  }
`;
    const MAP = 'map(object({ kms_key_arn = optional(string) }))';
    const variable = (type: string, value?: string) =>
      `variable "replicas" {\n  type = ${type}\n${value === undefined ? '' : `  default = ${value}\n`}}\n`;
    const run = async (forEach: string, extra: Record<string, string>, root = true) => {
      const main = root ? table(dyn(forEach)) : table(dyn(forEach)).replace(/provider "aws" \{[^}]*\}\n\n/g, '');
      const files = Object.entries({ 'main.tf': main, ...extra }).map(([path, text]) => ({ path, text }));
      const r = await processMemory(files, 'scan');
      return r.outcomes.find((o) => o.file.path === 'main.tf')!.tables[0];
    };
    // The variable's default, an optional(string) left out: null, every replica on the AWS managed key of its Region.
    const byDefault = await run('var.replicas', { 'variables.tf': variable(MAP, '{\n    "us-west-2" = {}\n  }') });
    expect([byDefault.status, byDefault.fixable]).toEqual(['aws-managed', false]);
    expect(byDefault.message).toContain('replica.value.kms_key_arn (every for_each entry gives null: replicas defaults to');
    // terraform.tfvars gives the collection: one entry without a key is unknown, naming where it was written; every one a key: customer-managed.
    const tfvars = (entries: string) => ({ 'variables.tf': variable(MAP), 'terraform.tfvars': `replicas = {\n${entries}}\n` });
    const mixed = await run('var.replicas', tfvars(`  "us-west-2" = { kms_key_arn = "${ARN}" }\n  "eu-west-1" = {}\n`));
    expect(mixed.status).toBe('unknown');
    expect(mixed.message).toContain('whose for_each entry gives null (replicas = {...} in terraform.tfvars:1)');
    expect((await run('var.replicas', tfvars(`  "us-west-2" = { kms_key_arn = "${ARN}" }\n`))).status).toBe('customer-managed');
    // A type default of its own: that key.
    const typed = variable(`map(object({ kms_key_arn = optional(string, "${ARN}") }))`, '{\n    "us-west-2" = {}\n  }');
    expect((await run('var.replicas', { 'variables.tf': typed })).status).toBe('customer-managed');
    // A local, and a list keyed by a for expression.
    const local = `locals {\n  replicas = {\n    "us-west-2" = { kms_key_arn = null }\n  }\n}\n`;
    expect((await run('local.replicas', { 'locals.tf': local })).status).toBe('aws-managed');
    const LIST = 'list(object({ region = string, kms_key_arn = optional(string) }))';
    const list = (items: string) => ({ 'variables.tf': variable(LIST, `[${items}]`) });
    const forExpr = '{ for r in var.replicas : r.region => r }';
    expect((await run(forExpr, list(`{ region = "us-west-2", kms_key_arn = "${ARN}" }, { region = "eu-west-1" }`))).status).toBe('unknown');
    expect((await run(forExpr, list(`{ region = "us-west-2", kms_key_arn = "${ARN}" }`))).status).toBe('customer-managed');
    // A var-file sets the variable: its entries are not known, whatever the default says.
    const perEnv = await run('var.replicas', {
      'variables.tf': variable(MAP, '{\n    "us-west-2" = {}\n  }'),
      'env/prod.tfvars': `replicas = {\n  "us-west-2" = { kms_key_arn = "${ARN}" }\n}\n`,
    });
    expect(perEnv.status).toBe('unknown');
    expect(perEnv.message).toContain('replicas is set per environment by env/prod.tfvars (-var-file)');
    // A module others call (no sign of a root module): its callers set the collection.
    const reusable = await run('var.replicas', { 'variables.tf': variable(MAP, '{\n    "us-west-2" = {}\n  }') }, false);
    expect(reusable.status).toBe('unknown');
    expect(reusable.message).toContain('which its callers set: it is not a root module');
  });

  it('a table without a customer-managed key and its replicas are fixed together with --recreate-replicas', async () => {
    const text = table('\n  replica {\n    region_name = "us-west-2"\n  }\n').replace(/\n {2}server_side_encryption \{[^}]*\}\n/, '\n');
    const r = await processMemory([{ path: 'main.tf', text }], 'fix', { recreateReplicas: true });
    const t = r.outcomes[0].tables[0];
    expect(t.status).toBe('aws-owned');
    expect(t.fixable).toBe(true);
    expect(r.output.get('main.tf')).toContain('kms_key_arn = aws_kms_replica_key.stat_us_west_2.arn');
  });

  it('a replica whose region_name reads a data.aws_region of an aliased provider gets its key through that provider', async () => {
    const data = 'data "aws_region" "west" {\n  provider = aws.us_west_2\n}\n\n';
    for (const attribute of ['name', 'region', 'id']) {
      const text =
        data +
        table(`\n  replica {\n    region_name = data.aws_region.west.${attribute}\n  }\n`).replace(
          /\n {2}server_side_encryption \{[^}]*\}\n/,
          '\n',
        );
      const r = await processMemory([{ path: 'main.tf', text }], 'fix', { recreateReplicas: true });
      const t = r.outcomes[0].tables[0];
      expect([t.fixable, t.blocker], attribute).toEqual([true, undefined]);
      const out = r.output.get('main.tf')!;
      expect(out, attribute).toContain('resource "aws_kms_replica_key" "stat_us_west_2" {\n  provider = aws.us_west_2\n');
      expect(out, attribute).toContain('kms_key_arn = aws_kms_replica_key.stat_us_west_2.arn');
    }
    // A data source of the default provider names no aliased provider: the step asks for one, as before.
    const plain =
      'data "aws_region" "west" {}\n\n' +
      table('\n  replica {\n    region_name = data.aws_region.west.name\n  }\n').replace(/\n {2}server_side_encryption \{[^}]*\}\n/, '\n');
    const t = (await processMemory([{ path: 'main.tf', text: plain }], 'scan', { recreateReplicas: true })).outcomes[0].tables[0];
    expect(t.blocker).toContain('no provider "aws" configuration with an alias for replica region data.aws_region.west.name');
  });

  it('the data source in another file of a called module, through an alias its callers pass (configuration_aliases), counts too', async () => {
    const versions =
      'terraform {\n  required_providers {\n    aws = {\n      source                = "hashicorp/aws"\n      configuration_aliases = [aws.secondary]\n    }\n  }\n}\n';
    const dataTf = 'data "aws_region" "secondary" {\n  provider = aws.secondary\n}\n';
    const tableTf =
      'resource "aws_dynamodb_table" "vault" {\n  name     = "vault"\n  hash_key = "Path"\n\n  attribute {\n    name = "Path"\n    type = "S"\n  }\n\n' +
      '  replica {\n    region_name = data.aws_region.secondary.name\n  }\n}\n';
    const r = await processMemory(
      [
        { path: 'modules/vault/versions.tf', text: versions },
        { path: 'modules/vault/data.tf', text: dataTf },
        { path: 'modules/vault/dynamodb.tf', text: tableTf },
      ],
      'fix',
      { recreateReplicas: true },
    );
    const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.vault')!;
    expect([t.fixed, t.blocker]).toEqual([true, undefined]);
    expect(r.output.get('modules/vault/dynamodb.tf')).toContain(
      'resource "aws_kms_replica_key" "vault_secondary" {\n  provider = aws.secondary\n',
    );
  });
});
