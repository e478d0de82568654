/** Terraform fixes the fixture walker cannot express: tables declined while planning, and options. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { fixtureCases } from '../../helpers/fixture-cases.js';

const GLOBAL = `provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "global" {
  name             = "global"
  hash_key         = "id"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "id"
    type = "S"
  }

  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "local" {
  name     = "local"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

describe('terraform: replica without a provider alias for its region', () => {
  it('leaves the table unchanged, not fixable, naming the missing provider configuration; fixes the others', async () => {
    const r = await processMemory([{ path: 'main.tf', text: GLOBAL }], 'fix');
    const o = r.outcomes[0];
    expect(o.error).toBeUndefined();
    const global = o.tables.find((t) => t.address === 'aws_dynamodb_table.global')!;
    expect(global.fixable).toBe(false);
    expect(global.fixed).toBeUndefined();
    expect(global.message).toContain('no provider "aws" configuration with an alias for replica region "eu-west-1"');
    expect(global.message).toContain('alias = "eu_west_1"');
    const local = o.tables.find((t) => t.address === 'aws_dynamodb_table.local')!;
    expect(local.fixed).toBe(true);
    const out = r.output.get('main.tf')!;
    // The global table's block is byte-identical.
    const block = GLOBAL.slice(
      GLOBAL.indexOf('resource "aws_dynamodb_table" "global"'),
      GLOBAL.indexOf('resource "aws_dynamodb_table" "local"'),
    );
    expect(out).toContain(block);
    expect(out).not.toContain('aws_kms_key.global');
  });

  it('the step is valid HCL: a provider block described, never written as a one-line block of two arguments', async () => {
    const r = await processMemory([{ path: 'main.tf', text: GLOBAL }], 'scan');
    const global = r.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table.global')!;
    expect(global.blocker).toBe(
      'no provider "aws" configuration with an alias for replica region "eu-west-1" in this module: add a provider "aws" block with ' +
        'alias = "eu_west_1" and region = "eu-west-1", so kmsfix can create the replica\'s key in that region',
    );
    expect(global.message).not.toMatch(/\{ alias = [^}\n]*region/);
  });

  it('in a module others call (no provider, backend, lock file or tfvars), the callers pass the provider: no provider block suggested', async () => {
    const child = GLOBAL.replace('provider "aws" {\n  region = "us-east-1"\n}\n', '');
    for (const mode of ['scan', 'fix'] as const) {
      const r = await processMemory([{ path: 'modules/table/main.tf', text: child }], mode);
      const global = r.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table.global')!;
      expect(global.fixable, mode).toBe(false);
      expect(global.blocker).toContain('in this module, which other modules call');
      expect(global.blocker).toContain("through the module's providers argument");
      expect(global.blocker).toContain('configuration_aliases = [aws.eu_west_1]');
      expect(global.blocker).not.toContain('add a provider "aws" block');
    }
  });

  it("in a folder with no sign of a root module, nor under modules/: both steps, the callers' and a provider block", async () => {
    const bare = GLOBAL.replace('provider "aws" {\n  region = "us-east-1"\n}\n', '');
    const r = await processMemory([{ path: 'main.tf', text: bare }], 'scan');
    const global = r.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table.global')!;
    expect(global.fixable).toBe(false);
    expect(global.blocker).toContain(
      'in this module, which shows no sign of a root module (no provider block, backend, lock file or tfvars file)',
    );
    expect(global.blocker).toContain('If other modules call it (a module does not configure providers), its callers must pass');
    expect(global.blocker).toContain(
      'if it is run on its own, add a provider "aws" block with alias = "eu_west_1" and region = "eu-west-1"',
    );
  });

  it('fixes it once the alias is configured in another file of the module (scan says so too)', async () => {
    const providers = 'provider "aws" {\n  alias  = "ireland"\n  region = "eu-west-1"\n}\n';
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-replica-'));
    writeFileSync(path.join(dir, 'main.tf'), GLOBAL);
    writeFileSync(path.join(dir, 'providers.tf'), providers);
    const opts = { cwd: dir, workers: 0, keyStrategy: 'per-table' as const, acceptAwsManaged: false, recreateReplicas: true };
    const scan = await run(['.'], { ...opts, mode: 'scan' });
    expect(scan.outcomes.flatMap((o) => o.tables).map((t) => t.fixable)).toEqual([true, true]);
    const r = await run(['.'], { ...opts, mode: 'fix' });
    expect(r.outcomes.map((o) => o.error)).toEqual([undefined]);
    const out = r.outcomes[0].newText!;
    expect(out).toContain('kms_key_arn = aws_kms_replica_key.global_ireland.arn');
    expect(out).toContain('provider = aws.ireland');
    expect(out).toContain('multi_region            = true');
    expect(r.outcomes.flatMap((o) => o.tables).every((t) => t.fixed)).toBe(true);
  });

  it('--kms-key-arn declines tables with replicas (one key, one region)', async () => {
    const providers = 'provider "aws" {\n  alias  = "ireland"\n  region = "eu-west-1"\n}\n';
    const r = await processMemory([{ path: 'main.tf', text: GLOBAL + '\n' + providers }], 'fix', {
      kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc',
    });
    const t = r.outcomes[0].tables;
    expect(t.find((x) => x.address === 'aws_dynamodb_table.global')!.fixable).toBe(false);
    expect(r.output.get('main.tf')).toContain('kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/abc"');
  });
});

describe('terraform: module directories', () => {
  it('a file that does not parse is reported, and the other files of the module are not fixed: a plan must not rest on declarations it cannot see', async () => {
    const good = 'resource "aws_dynamodb_table" "ok" {\n  name     = "ok"\n  hash_key = "id"\n}\n';
    const bad = 'resource "aws_dynamodb_table" "broken" {\n  name = "x"\n';
    const r = await processMemory(
      [
        { path: 'good.tf', text: good },
        { path: 'bad.tf', text: bad },
      ],
      'fix',
    );
    const badOut = r.outcomes.find((o) => o.file.path === 'bad.tf')!;
    expect(badOut.error?.message).toContain('HCL: unclosed block');
    expect(r.output.get('bad.tf')).toBe(bad);
    expect(r.output.get('good.tf')).toBe(good);
    expect(r.outcomes.find((o) => o.file.path === 'good.tf')!.error?.message).toBe(
      'fix not written: bad.tf, a file of the same group, could not be read (HCL: unclosed block (opened at line 1))',
    );
  });

  it('declares each data source once per module, in the file of the first fixed table', async () => {
    const t = (n: string) => `resource "aws_dynamodb_table" "${n}" {\n  name     = "${n}"\n  hash_key = "id"\n}\n`;
    const r = await processMemory(
      [
        { path: 'a.tf', text: t('a') },
        { path: 'b.tf', text: t('b') },
      ],
      'fix',
    );
    const all = [...r.output.values()].join('\n');
    expect(all.match(/data "aws_caller_identity"/g)).toHaveLength(1);
    expect(all.match(/data "aws_iam_policy_document"/g)).toHaveLength(1);
    expect(r.output.get('a.tf')).toContain('data "aws_region" "current" {}');
    expect(r.output.get('b.tf')).not.toContain('data "');
  });

  it('tabs stay tabs, and a BOM and a missing final newline are kept', async () => {
    const text = '\uFEFFresource "aws_dynamodb_table" "t" {\n\tname = "t"\n\n\tserver_side_encryption {\n\t\tenabled = false\n\t}\n}';
    const r = await processMemory([{ path: 'main.tf', text }], 'fix');
    const out = r.output.get('main.tf')!;
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out.endsWith('}')).toBe(true);
    expect(out).toContain('\tserver_side_encryption {\n\t\tenabled     = true\n\t\tkms_key_arn = aws_kms_key.t.arn\n\t}');
    expect(out).toContain('resource "aws_kms_key" "t" {\n\tdescription ');
  });
});

describe('terraform JSON', () => {
  it('keeps CRLF and tab indentation of a .tf.json file', async () => {
    const text =
      '{\r\n\t"resource": {\r\n\t\t"aws_dynamodb_table": {\r\n\t\t\t"t": {\r\n\t\t\t\t"name": "t",\r\n\t\t\t\t"hash_key": "id"\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n';
    const r = await processMemory([{ path: 'main.tf.json', text }], 'fix');
    expect(r.outcomes[0].error).toBeUndefined();
    const out = r.output.get('main.tf.json')!;
    expect(out.startsWith(text.slice(0, text.indexOf('"hash_key": "id"')))).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain(
      '\r\n\t\t\t\t"server_side_encryption": {\r\n\t\t\t\t\t"enabled": true,\r\n\t\t\t\t\t"kms_key_arn": "${aws_kms_key.t.arn}"\r\n\t\t\t\t}',
    );
    const parsed = JSON.parse(out);
    expect(parsed.resource.aws_kms_key.t.enable_key_rotation).toBe(true);
    expect(Object.keys(parsed.data)).toEqual(['aws_iam_policy_document', 'aws_caller_identity', 'aws_partition', 'aws_region']);
  });

  it('reports where a .tf.json file does not parse', async () => {
    const r = await processMemory([{ path: 'main.tf.json', text: '{\n  "resource": {\n    "aws_dynamodb_table": {,\n  }\n}\n' }], 'scan');
    expect(r.outcomes[0].error).toMatchObject({ line: 3, message: expect.stringContaining('JSON:') });
  });

  it('fixes a module call in .tf.json and reuses data sources declared in an HCL file of the module', async () => {
    const json =
      JSON.stringify({ module: { tables: { source: 'terraform-aws-modules/dynamodb-table/aws', name: 'orders' } } }, null, 2) + '\n';
    const hcl = 'data "aws_caller_identity" "this" {}\n';
    const r = await processMemory(
      [
        { path: 'main.tf.json', text: json },
        { path: 'data.tf', text: hcl },
      ],
      'fix',
    );
    const parsed = JSON.parse(r.output.get('main.tf.json')!);
    expect(parsed.module.tables.server_side_encryption_enabled).toBe(true);
    expect(parsed.module.tables.server_side_encryption_kms_key_arn).toBe('${aws_kms_key.tables.arn}');
    expect(parsed.data.aws_caller_identity).toBeUndefined();
    expect(JSON.stringify(parsed.data.aws_iam_policy_document)).toContain('data.aws_caller_identity.this.account_id');
    expect(r.output.get('data.tf')).toBe(hcl);
  });
});

describe('terraform --kms-key-arn: one reference to the key per module', () => {
  const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const t = (n: string) => `resource "aws_dynamodb_table" "${n}" {\n  name     = "${n}"\n  hash_key = "id"\n}\n`;

  it('one table: the ARN inline; several: a local the tables reference, across the files of the module', async () => {
    const one = await processMemory([{ path: 'a.tf', text: t('a') }], 'fix', { kmsKeyArn: ARN });
    expect(one.output.get('a.tf')).toContain(`kms_key_arn = "${ARN}"`);
    const two = await processMemory(
      [
        { path: 'a.tf', text: t('a') },
        { path: 'b.tf', text: t('b') },
      ],
      'fix',
      { kmsKeyArn: ARN },
    );
    expect(two.output.get('a.tf')).toContain(`\nlocals {\n  dynamodb_kms_key_arn = "${ARN}"\n}\n`);
    expect(two.output.get('a.tf')).toContain('kms_key_arn = local.dynamodb_kms_key_arn');
    expect(two.output.get('b.tf')).toContain('kms_key_arn = local.dynamodb_kms_key_arn');
    expect([...two.output.values()].join('').split(ARN)).toHaveLength(2);
  });

  it('a local of the module that holds the ARN is reused (a later run, a table added), and a taken name is not', async () => {
    const locals = `locals {\n  dynamodb_kms_key_arn = "other"\n  table_key            = "${ARN}"\n}\n`;
    const r = await processMemory([{ path: 'a.tf', text: locals + '\n' + t('a') }], 'fix', { kmsKeyArn: ARN });
    expect(r.output.get('a.tf')).toBe(
      locals +
        '\n' +
        t('a').replace('}\n', '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = local.table_key\n  }\n}\n'),
    );
    const fresh = await processMemory(
      [{ path: 'a.tf', text: 'locals {\n  dynamodb_kms_key_arn = "other"\n}\n\n' + t('a') + '\n' + t('b') }],
      'fix',
      { kmsKeyArn: ARN },
    );
    expect(fresh.output.get('a.tf')).toContain(`locals {\n  dynamodb_kms_key_arn_2 = "${ARN}"\n}`);
    expect(fresh.output.get('a.tf')).toContain('kms_key_arn = local.dynamodb_kms_key_arn_2');
  });

  it('an expression is used as given', async () => {
    const declared = 'variable "table_key_arn" {\n  type = string\n}\n\n';
    const r = await processMemory([{ path: 'a.tf', text: declared + t('a') + '\n' + t('b') }], 'fix', { kmsKeyArn: 'var.table_key_arn' });
    expect(r.output.get('a.tf')).not.toContain('locals');
    expect(r.output.get('a.tf')!.match(/kms_key_arn = var\.table_key_arn/g)).toHaveLength(2);
  });
});

describe('terraform: a module call given another provider', () => {
  it('creates the key, its alias and its policy Region lookup through the provider the call passes as aws (HCL and JSON)', async () => {
    const providers = 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n';
    const call =
      'module "orders" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n\n  providers = {\n    aws = aws.eu\n  }\n\n  name     = "orders"\n  hash_key = "id"\n}\n';
    const r = await processMemory([{ path: 'main.tf', text: `${providers}\n${call}` }], 'fix');
    const out = r.output.get('main.tf')!;
    expect(out).toContain('resource "aws_kms_key" "orders" {\n  provider = aws.eu\n');
    expect(out).toContain('resource "aws_kms_alias" "orders" {\n  provider = aws.eu\n');
    expect(out).toContain('values   = ["dynamodb.${data.aws_region.eu.name}.amazonaws.com"]');
    expect(out).toContain('data "aws_region" "eu" {\n  provider = aws.eu\n}');

    const json = JSON.stringify(
      {
        module: {
          orders: { source: 'terraform-aws-modules/dynamodb-table/aws', providers: { aws: 'aws.eu' }, name: 'orders', hash_key: 'id' },
        },
      },
      null,
      2,
    );
    const j = await processMemory([{ path: 'main.tf.json', text: json }], 'fix');
    expect(j.outcomes[0].error).toBeUndefined();
    const fixed = JSON.parse(j.output.get('main.tf.json')!) as { resource: { aws_kms_key: Record<string, { provider?: string }> } };
    expect(fixed.resource.aws_kms_key.orders.provider).toBe('aws.eu');
    // Without providers, the default provider, as before.
    const plain = await processMemory(
      [{ path: 'main.tf', text: call.replace(/\n {2}providers = \{\n {4}aws = aws\.eu\n {2}\}\n/, '') }],
      'fix',
    );
    expect(plain.output.get('main.tf')).not.toContain('provider = aws.');
  });
});

describe('terraform --kms-key-arn: a key of another Region than the table', () => {
  const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const providers = 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "ohio"\n  region = "us-east-2"\n}\n';
  const table = (n: string, provider = '') =>
    `resource "aws_dynamodb_table" "${n}" {\n${provider}  name     = "${n}"\n  hash_key = "id"\n}\n`;
  // The replicas' table is customer-managed (a replica of another stack's table, or of one not customer-managed, is never fixed).
  const global =
    'resource "aws_dynamodb_table" "global" {\n  name     = "global"\n  hash_key = "id"\n\n  server_side_encryption {\n' +
    '    enabled     = true\n    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/g"\n  }\n}\n';
  const replica = (n: string, provider: string) =>
    `resource "aws_dynamodb_table_replica" "${n}" {\n${provider}  global_table_arn = aws_dynamodb_table.global.arn\n}\n`;

  it("is declined for a table or replica whose provider's region differs, or a replica whose region is not written; used where it matches", async () => {
    const text = [
      providers,
      global,
      table('home'),
      table('ohio', '  provider = aws.ohio\n\n'),
      replica('ohio_replica', '  provider         = aws.ohio\n'),
      replica('unknown_replica', '  provider         = aws.elsewhere\n'),
    ].join('\n');
    const r = await processMemory([{ path: 'main.tf', text }], 'fix', { kmsKeyArn: ARN, recreateReplicas: true });
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect(by.get('aws_dynamodb_table.home')!.fixed).toBe(true);
    expect(by.get('aws_dynamodb_table.ohio')!.fixed).toBeUndefined();
    expect(by.get('aws_dynamodb_table.ohio')!.message).toContain(
      "--kms-key-arn names a key in us-east-1, and this table is in us-east-2 (provider aws.ohio): a table's key must be in its Region",
    );
    expect(by.get('aws_dynamodb_table_replica.ohio_replica')!.message).toContain(
      '--kms-key-arn names a key in us-east-1, and this table is in us-east-2',
    );
    // The note --recreate-replicas gives a table it fixes is dropped from one the plan declined after all.
    expect(by.get('aws_dynamodb_table_replica.ohio_replica')!.message).not.toContain('Fixed with');
    expect(by.get('aws_dynamodb_table_replica.unknown_replica')!.message).toContain(
      '--kms-key-arn names one key, and this replica is in the Region of provider aws.elsewhere, which kmsfix cannot check it against',
    );
    const out = r.output.get('main.tf')!;
    expect(out.match(new RegExp(`kms_key_arn += "${ARN}"`, 'g'))).toHaveLength(1);
    // A key of the replica's own Region is used.
    const ohioArn = ARN.replace('us-east-1', 'us-east-2');
    const o = await processMemory(
      [{ path: 'main.tf', text: [providers, global, replica('ohio_replica', '  provider         = aws.ohio\n')].join('\n') }],
      'fix',
      {
        kmsKeyArn: ohioArn,
        recreateReplicas: true,
      },
    );
    expect(o.outcomes[0].tables.find((t) => t.address === 'aws_dynamodb_table_replica.ohio_replica')!.fixed).toBe(true);
    expect(o.output.get('main.tf')).toContain(`kms_key_arn      = "${ohioArn}"`);
  });
});

describe("terraform: a key created through a provider alias reads that provider's account and partition", () => {
  it('declares (or reuses) data "aws_caller_identity" and "aws_partition" through the alias, as it does "aws_region"', async () => {
    const text = [
      'provider "aws" {\n  alias  = "tenant"\n  region = "eu-west-1"\n  assume_role {\n    role_arn = "arn:aws:iam::444455556666:role/deploy"\n  }\n}\n',
      'data "aws_caller_identity" "tenant_account" {\n  provider = aws.tenant\n}\n',
      'resource "aws_dynamodb_table" "orders" {\n  provider = aws.tenant\n  name     = "orders"\n  hash_key = "id"\n}\n',
      'resource "aws_dynamodb_table" "home" {\n  name     = "home"\n  hash_key = "id"\n}\n',
    ].join('\n');
    const r = await processMemory([{ path: 'main.tf', text }], 'fix', {});
    const out = r.output.get('main.tf')!;
    const tenantPolicy = out.slice(out.indexOf('data "aws_iam_policy_document" "dynamodb_kms_tenant"'));
    const tenantDoc = tenantPolicy.slice(0, tenantPolicy.indexOf('\n}\n'));
    // The module's own lookup through the alias is reused; the partition is read through it too.
    expect(tenantDoc).toContain('iam::${data.aws_caller_identity.tenant_account.account_id}:root');
    expect(tenantDoc).toContain('arn:${data.aws_partition.tenant.partition}:');
    expect(tenantDoc).toContain('values   = [data.aws_caller_identity.tenant_account.account_id]');
    expect(tenantDoc).not.toContain('.current.');
    expect(out).toContain('data "aws_partition" "tenant" {\n  provider = aws.tenant\n}\n');
    // The default provider's key reads the default provider's account.
    const homePolicy = out.slice(out.indexOf('data "aws_iam_policy_document" "dynamodb_kms" {'));
    expect(homePolicy.slice(0, homePolicy.indexOf('\n}\n'))).toContain('data.aws_caller_identity.current.account_id');
    expect(out).toContain('data "aws_caller_identity" "current" {}');
  });
});

describe('Terraform: an alias per instance', () => {
  it('every generated aws_kms_alias with count or for_each in the fixture outputs names each instance apart (KMS refuses a repeated alias name)', () => {
    let repeated = 0;
    for (const c of fixtureCases('terraform')) {
      for (const f of c.expected.filter((e) => e.path.endsWith('.tf'))) {
        for (const m of f.text.matchAll(/^resource "aws_kms_alias" "(\w+)" \{\n([\s\S]*?)^\}/gm)) {
          const body = m[2];
          const repeat = /^\s+(count|for_each)\s+=/m.exec(body)?.[1];
          if (!repeat) continue;
          repeated++;
          const name = /^\s+name\s+=\s+(.*)$/m.exec(body)![1];
          expect(name, `${c.name}/${f.path} aws_kms_alias.${m[1]}`).toMatch(
            repeat === 'count' ? /count\.index/ : /each\.(key|value)|\[each\.key\]/,
          );
        }
      }
    }
    expect(repeated).toBeGreaterThanOrEqual(4);
  });

  it('a local module called with for_each or count: the alias follows the name the call gives each instance', async () => {
    const c = fixtureCases('terraform').find((x) => x.name === 'module-local-repeated')!;
    const main = c.expected.find((f) => f.path === 'main.tf')!.text;
    expect(main).toContain('name          = "alias/dynamodb/${replace(each.key, ".", "-")}"');
    expect(main).toContain('name          = "alias/dynamodb/shard-${count.index}"');
    // The module names its table itself: the instance's key after the call's label, cut to alias characters.
    expect(main).toContain('name          = "alias/dynamodb/tenants-${replace(each.key, "/[^a-zA-Z0-9/_-]/", "-")}"');
  });
});

describe('Terraform: a key description per instance', () => {
  const repeated = (meta: string, name: string) =>
    `resource "aws_dynamodb_table" "t" {\n  ${meta}\n  name     = ${name}\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
  const description = async (meta: string, name: string, options = {}) => {
    const text = `provider "aws" {\n  region = "eu-west-1"\n}\n\n${repeated(meta, name)}`;
    const out = (await processMemory([{ path: 'main.tf', text }], 'fix', options)).output.get('main.tf')!;
    return /^ {2}description\s+= (.*)$/m.exec(out)?.[1];
  };

  it("the table's name when it reads only var., local., each. and count.; else the label and the instance's key", async () => {
    expect(await description('for_each = var.tables', '"${var.prefix}-${each.key}"')).toBe(
      '"KMS key for DynamoDB table ${var.prefix}-${each.key}"',
    );
    expect(await description('for_each = local.tables', 'each.value.name')).toBe('"KMS key for DynamoDB table ${each.value.name}"');
    expect(await description('count = 2', 'format("t-%d", count.index)')).toBe(
      '"KMS key for DynamoDB table ${format("t-%d", count.index)}"',
    );
    // A count that switches the table on: one instance, its name.
    expect(await description('count = var.enabled ? 1 : 0', 'var.name')).toBe('"KMS key for DynamoDB table ${var.name}"');
    // A resource's attribute in the name: the description would depend on it (and on the table, a cycle for its own).
    expect(await description('for_each = var.tables', '"${each.key}-${random_id.s.hex}"')).toBe(
      '"KMS key for DynamoDB table t[${each.key}]"',
    );
    expect(await description('count = 2', 'data.aws_ssm_parameter.names.value')).toBe('"KMS key for DynamoDB table t[${count.index}]"');
  });

  it('a description template holds the instance name where it says {table}; a shared key keeps its list', async () => {
    expect(await description('count = 2', '"t-${count.index}"', { key: { description: "Orders' {table} key" } })).toBe(
      '"Orders\' t-${count.index} key"',
    );
    expect(await description('count = 2', '"t-${count.index}"', { keyStrategy: 'shared' })).toBe('"KMS key for DynamoDB table t"');
  });
});
