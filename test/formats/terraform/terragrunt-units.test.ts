/**
 * Terragrunt units whose `terraform { source }` is a DynamoDB registry module are tables (they were
 * missed: scan exited 0). Statuses: fixtures/terraform/terragrunt-units (statuses.json). Here: the
 * manual step in each module's words, nothing written by fix, terragrunt's lock table left out,
 * and units under .terragrunt-cache (terragrunt's copies) never read. The CLI tests need `npm run build`.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const LIVE = path.join(FIXTURES, 'terraform', 'terragrunt-units', 'input');
const read = (rel: string) => ({ path: rel, text: readFileSync(path.join(LIVE, rel), 'utf8') });

describe('terragrunt units', () => {
  it('a unit of terraform-aws-modules/dynamodb-table is reported at its terraform block, not fixable, with the step in its inputs', async () => {
    const files = [read('live/root.hcl'), read('live/prod/orders/terragrunt.hcl')];
    const r = await processMemory(files, 'scan');
    const tables = r.outcomes.flatMap((o) => o.tables.map((t) => ({ ...t, file: o.file.path })));
    expect(tables).toHaveLength(1);
    const t = tables[0];
    expect([t.file, t.line, t.address, t.status, t.fixable]).toEqual([
      'live/prod/orders/terragrunt.hcl',
      5,
      'terragrunt unit orders',
      'aws-managed',
      false,
    ]);
    expect(t.message).toContain('Not fixable automatically: a terragrunt unit deploys the module alone');
    expect(t.message).toContain('kms:CallerAccount = the account and kms:ViaService = dynamodb.<region>.amazonaws.com');
    expect(t.message).toContain(
      'set server_side_encryption_enabled = true and server_side_encryption_kms_key_arn = dependency.kms.outputs.key_arn in its inputs',
    );
    const fix = await processMemory(files, 'fix');
    for (const f of files) expect(fix.output.get(f.path)).toBe(f.text);
  });

  it("cloudposse's step names its inputs; a pin without the key input asks for the upgrade first", async () => {
    const files = [read('live/root.hcl'), read('live/prod/events/terragrunt.hcl'), read('live/prod/legacy/terragrunt.hcl')];
    const r = await processMemory(files, 'scan');
    const [events, legacy] = r.outcomes.flatMap((o) => o.tables.map((t) => t.message));
    expect(events).toContain('set enable_encryption = true and server_side_encryption_kms_key_arn = dependency.kms.outputs.key_arn');
    expect(events).not.toContain('upgrade');
    expect(legacy).toContain('upgrade cloudposse/dynamodb to 0.22.0 or later (the unit pins version = "0.21.0"');
  });

  it('inputs set by an included file count; an include kmsfix cannot find leaves the unit unknown', async () => {
    const r = await processMemory(
      [
        read('live/root.hcl'),
        read('live/stage/stage.hcl'),
        read('live/stage/baskets/terragrunt.hcl'),
        read('live/stage/carts/terragrunt.hcl'),
      ],
      'scan',
    );
    const by = new Map(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
    expect(by.get('terragrunt unit baskets')?.status).toBe('aws-managed');
    expect(by.get('terragrunt unit carts')?.status).toBe('unknown');
    expect(by.get('terragrunt unit carts')?.message).toContain('may be set by include "envcommon"');
    // Without the root.hcl it includes, the unit's switch could come from there.
    const alone = await processMemory([read('live/prod/roasts/terragrunt.hcl')], 'scan');
    expect(alone.outcomes[0].tables[0].message).toMatch(
      /^server_side_encryption_enabled and server_side_encryption_kms_key_arn may be set by include "root" \(no root.hcl in a folder above\)/,
    );
  });

  it('inputs = merge(...): the names its last literal object sets are read, whatever the earlier arguments hold (round 39, Note)', async () => {
    const unit = (last: string) => ({
      path: 'live/dev/orders/terragrunt.hcl',
      text:
        'terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.0.0"\n}\n\n' +
        'dependency "kms" {\n  config_path = "../kms"\n}\n\n' +
        `inputs = merge(local.common, {\n  name     = "orders"\n  hash_key = "id"\n${last}})\n`,
    });
    const status = async (last: string) => (await processMemory([unit(last)], 'scan')).outcomes[0].tables[0];
    const keyed = await status(
      '  server_side_encryption_enabled     = true\n  server_side_encryption_kms_key_arn = dependency.kms.outputs.key_arn\n',
    );
    expect(keyed.status).toBe('customer-managed');
    expect((await status('  server_side_encryption_enabled = false\n  server_side_encryption_kms_key_arn = null\n')).status).toBe(
      'aws-owned',
    );
    // The key left to local.common: not known.
    const open = await status('  server_side_encryption_enabled = true\n');
    expect(open.status).toBe('unknown');
    expect(open.message).toContain('which terragrunt evaluates');
  });

  it('a unit whose registry module an included file names (_envcommon layout) is a table, reported at that include (session 55)', async () => {
    const ENVCOMMON = 'terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.2.0"\n}\n';
    const UNIT =
      'include "envcommon" {\n  path = "../../_envcommon/orders.hcl"\n}\n\ninputs = {\n  name = "orders"\n  hash_key = "id"\n}\n';
    const r = await processMemory(
      [
        { path: 'live/_envcommon/orders.hcl', text: ENVCOMMON },
        { path: 'live/prod/orders/terragrunt.hcl', text: UNIT },
      ],
      'scan',
    );
    const tables = r.outcomes.flatMap((o) => o.tables);
    expect(tables.map((t) => [t.line, t.address, t.status, t.fixable])).toEqual([[1, 'terragrunt unit orders', 'aws-owned', false]]);
  });

  it('a unit taken for its include alone that does not parse (a boilerplate template) is no error: it names no table (session 55)', async () => {
    // gruntwork-io/terragrunt's test/fixtures/catalog/local-template/.boilerplate/terragrunt.hcl: once include-only units
    // were read (the _envcommon layout above), its `{{- if ... }}` made a scan of the repository exit 2.
    const TEMPLATE =
      'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\ninputs = {\n  {{- if .requiredVariables }}\n  x = 1\n  {{- end }}\n}\n';
    const r = await processMemory([{ path: 'catalog/.boilerplate/terragrunt.hcl', text: TEMPLATE }], 'scan');
    expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
    expect(r.outcomes.flatMap((o) => o.tables)).toEqual([]);
  });

  it("an input read from the unit's locals, or the locals of a read_terragrunt_config file, is the literal they hold (round 37, R1)", async () => {
    const unit = (locals: string, key: string) =>
      `${locals}terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.2.0"\n}\n\n` +
      `inputs = {\n  name = "orders"\n  server_side_encryption_enabled = true\n  server_side_encryption_kms_key_arn = ${key}\n}\n`;
    const ENV = 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\n\n';
    const CMK = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
    const r = await processMemory(
      [
        { path: 'live/dev/env.hcl', text: 'locals {\n  table_key = local.managed\n  managed   = "alias/aws/dynamodb"\n}\n' },
        { path: 'live/dev/orders/terragrunt.hcl', text: unit(ENV, 'local.env.locals.table_key') },
        { path: 'live/prod/env.hcl', text: `locals {\n  table_key = ${CMK}\n}\n` },
        { path: 'live/prod/orders/terragrunt.hcl', text: unit(ENV, 'local.env.locals.table_key') },
        { path: 'same/terragrunt.hcl', text: unit('locals {\n  table_key = "alias/aws/dynamodb"\n}\n\n', 'local.table_key') },
        {
          path: 'literal/terragrunt.hcl',
          text: unit('locals {\n  cfg = read_terragrunt_config("../live/dev/env.hcl")\n}\n\n', 'local.cfg.locals.table_key'),
        },
        { path: 'object/terragrunt.hcl', text: unit('locals {\n  keys = { orders = null }\n}\n\n', 'local.keys.orders') },
        // Not a literal: counted as a key, as before.
        { path: 'dep/terragrunt.hcl', text: unit('locals {\n  table_key = dependency.kms.outputs.key_arn\n}\n\n', 'local.table_key') },
        { path: 'tpl/terragrunt.hcl', text: unit('locals {\n  table_key = "alias/${get_env("KEY")}"\n}\n\n', 'local.table_key') },
        { path: 'nofile/terragrunt.hcl', text: unit(ENV, 'local.env.locals.table_key') },
        // The switch too: a literal false is the AWS owned key.
        {
          path: 'off/terragrunt.hcl',
          text: unit('locals {\n  encrypt = false\n}\n\n', 'null').replace('enabled = true', 'enabled = local.encrypt'),
        },
      ],
      'scan',
    );
    const by = new Map(r.outcomes.map((o) => [o.file.path, o.tables[0]]));
    const status = (p: string) => [p, by.get(p)?.status, by.get(p)?.fixable];
    expect(status('live/dev/orders/terragrunt.hcl')).toEqual(['live/dev/orders/terragrunt.hcl', 'aws-managed', false]);
    expect(by.get('live/dev/orders/terragrunt.hcl')?.message).toContain(
      'local.env.locals.table_key (= "alias/aws/dynamodb" in the locals of ../env.hcl)',
    );
    expect(status('same/terragrunt.hcl')).toEqual(['same/terragrunt.hcl', 'aws-managed', false]);
    expect(by.get('same/terragrunt.hcl')?.message).toContain('local.table_key (= "alias/aws/dynamodb" in the locals of terragrunt.hcl)');
    expect(status('literal/terragrunt.hcl')).toEqual(['literal/terragrunt.hcl', 'aws-managed', false]);
    expect(status('object/terragrunt.hcl')).toEqual(['object/terragrunt.hcl', 'aws-managed', false]);
    expect(status('off/terragrunt.hcl')).toEqual(['off/terragrunt.hcl', 'aws-owned', false]);
    for (const p of ['live/prod/orders/terragrunt.hcl', 'dep/terragrunt.hcl', 'tpl/terragrunt.hcl', 'nofile/terragrunt.hcl'])
      expect(status(p)).toEqual([p, 'customer-managed', false]);
  });

  it('an input through locals that are not literal is read as the Terraform reader reads the same forms (session 55, F4)', async () => {
    const unit = (locals: string, key: string) =>
      `locals {\n${locals}}\nterraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.2.0"\n}\n\n` +
      `inputs = {\n  name = "orders"\n  server_side_encryption_enabled = true\n  server_side_encryption_kms_key_arn = ${key}\n}\n`;
    const CMK = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
    const cases: [string, string, string, string | undefined][] = [
      // The locals decide: the entry or branch the environment takes.
      ['cond-dev', `  env = "dev"\n  table_key = local.env == "prod" ? ${CMK} : "alias/aws/dynamodb"\n`, 'local.table_key', 'aws-managed'],
      [
        'cond-prod',
        `  env = "prod"\n  table_key = local.env == "prod" ? ${CMK} : "alias/aws/dynamodb"\n`,
        'local.table_key',
        'customer-managed',
      ],
      ['index', '  env = "dev"\n  keys = { dev = "alias/aws/dynamodb", prod = "alias/orders" }\n', 'local.keys[local.env]', 'aws-managed'],
      [
        'tmpl',
        '  region = "eu-west-1"\n  table_key = "arn:aws:kms:${local.region}:111122223333:alias/aws/dynamodb"\n',
        'local.table_key',
        'aws-managed',
      ],
      // They do not: unknown, saying when.
      [
        'cond-env',
        `  env = get_env("ENV")\n  table_key = local.env == "prod" ? ${CMK} : "alias/aws/dynamodb"\n`,
        'local.table_key',
        'the AWS managed key when local.env == "prod" is false',
      ],
      [
        'index-env',
        '  keys = { dev = "alias/aws/dynamodb", prod = "alias/orders" }\n',
        'local.keys[get_env("ENV")]',
        'where the map\'s entry is "alias/aws/dynamodb"',
      ],
      ['getenv', '', 'get_env("TABLE_KEY", "alias/aws/dynamodb")', 'where the environment variable TABLE_KEY is not set'],
      [
        'getenv-local',
        '  table_key = get_env("TABLE_KEY", "alias/aws/dynamodb")\n',
        'local.table_key',
        'where the environment variable TABLE_KEY is not set',
      ],
      // A key the unit passes stays one.
      ['getenv-cmk', '', `get_env("TABLE_KEY", ${CMK})`, 'customer-managed'],
      ['dep', '  table_key = dependency.kms.outputs.key_arn\n', 'local.table_key', 'customer-managed'],
      // A unit template of a terragrunt 1.0 explicit stack: its stack file's values decide (session 55, F8).
      ['values', '', 'values.kms_key_arn', 'set by values.kms_key_arn, which the terragrunt.stack.hcl files that generate this unit pass'],
      ['values-local', '  key = values.kms_key_arn\n', 'local.key', 'set by values.kms_key_arn'],
    ];
    const r = await processMemory(
      cases.map(([dir, locals, key]) => ({ path: `${dir}/terragrunt.hcl`, text: unit(locals, key) })),
      'scan',
    );
    const by = new Map(r.outcomes.map((o) => [o.file.path.split('/')[0], o.tables[0]]));
    for (const [dir, , , want] of cases) {
      const t = by.get(dir)!;
      if (want === 'aws-managed' || want === 'customer-managed') expect([dir, t.status]).toEqual([dir, want]);
      else {
        expect([dir, t.status, t.fixable]).toEqual([dir, 'unknown', false]);
        expect(t.message).toContain(want);
      }
    }
  });

  it('kmsfix scan reports the units, exits 1, and never reads .terragrunt-cache', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tg-'));
    cpSync(LIVE, dir, { recursive: true });
    // Terragrunt copies the unit's folder into its cache, beside the module it downloads.
    cpSync(path.join(LIVE, 'live', 'prod', 'roasts'), path.join(dir, 'live', 'prod', 'roasts', '.terragrunt-cache', 'ab', 'cd'), {
      recursive: true,
    });
    const scan = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(scan.code, scan.stderr).toBe(1);
    const files = (JSON.parse(scan.stdout).tables as { file: string }[]).map((t) => t.file);
    expect(files).toHaveLength(9);
    expect(files.filter((f) => f.includes('.terragrunt-cache'))).toEqual([]);
  });
});

describe('a table a terragrunt generate block writes (round 37, R4)', () => {
  const UNIT = `terraform {
  source = "../../modules//app"
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "eu-west-1"
}
EOF
}

generate "sessions_table" {
  path      = "sessions_table.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    resource "aws_dynamodb_table" "sessions" {
      name         = "sessions"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "id"

      attribute {
        name = "id"
        type = "S"
      }
    }
  EOF
}
`;

  it('is reported at its line in the unit with its status, never fixed; the step names the generate block', async () => {
    const files = [
      { path: 'live/app/terragrunt.hcl', text: UNIT },
      { path: 'modules/app/main.tf', text: 'variable "x" {\n  default = 1\n}\n' },
    ];
    const scan = await processMemory(files, 'scan');
    const tables = scan.outcomes.flatMap((o) => o.tables.map((t) => ({ ...t, file: o.file.path })));
    expect(tables.map((t) => [t.file, t.line, t.address, t.status, t.fixable])).toEqual([
      ['live/app/terragrunt.hcl', 19, 'aws_dynamodb_table.sessions (generate "sessions_table")', 'aws-owned', false],
    ]);
    expect(tables[0].blocker).toContain(
      'the table is written by the terragrunt generate "sessions_table" block (live/app/terragrunt.hcl:15:1) into the unit\'s module at each run (path = "sessions_table.tf")',
    );
    const fix = await processMemory(files, 'fix');
    for (const f of files) expect(fix.output.get(f.path)).toBe(f.text);
  });

  it('a key the unit decides: its locals put in place, a variable read from its inputs, else unknown (session 55, F3)', async () => {
    const gen = (locals: string, key: string, inputs = '') =>
      `${locals}terraform {\n  source = "../../modules//app"\n}\n\n${inputs}generate "t" {\n  path = "t.tf"\n  if_exists = "overwrite"\n  contents = <<EOF\n` +
      `resource "aws_dynamodb_table" "sessions" {\n  name = "sessions"\n  hash_key = "id"\n  server_side_encryption {\n    enabled = true\n    kms_key_arn = ${key}\n  }\n}\nEOF\n}\n`;
    const LOCAL = 'locals {\n  table_key = "alias/aws/dynamodb"\n}\n\n';
    const CMK = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const cases: [string, string, string][] = [
      ['local', gen(LOCAL, '"${local.table_key}"'), 'aws-managed'],
      ['local-cmk', gen(`locals {\n  table_key = "${CMK}"\n}\n\n`, '"${local.table_key}"'), 'customer-managed'],
      ['unread', gen('', '"${get_env("KEY")}"'), 'terragrunt evaluates ${get_env("KEY")} before it writes the file'],
      ['var-unset', gen('', 'var.table_key'), "the unit's inputs do not set it"],
      ['var-managed', gen('', 'var.table_key', 'inputs = {\n  table_key = "alias/aws/dynamodb"\n}\n\n'), 'aws-managed'],
      ['var-null', gen('', 'var.table_key', 'inputs = {\n  table_key = null\n}\n\n'), 'aws-managed'],
      ['var-local', gen(LOCAL, 'var.table_key', 'inputs = {\n  table_key = local.table_key\n}\n\n'), 'aws-managed'],
      ['var-dep', gen('', 'var.table_key', 'inputs = {\n  table_key = dependency.kms.outputs.key_arn\n}\n\n'), 'customer-managed'],
      ['escaped', gen('', '"$${var.table_key}"', 'inputs = {\n  table_key = dependency.kms.outputs.key_arn\n}\n\n'), 'customer-managed'],
    ];
    const r = await processMemory(
      cases.map(([dir, text]) => ({ path: `live/${dir}/terragrunt.hcl`, text })),
      'scan',
    );
    const by = new Map(r.outcomes.map((o) => [o.file.path.split('/')[1], o.tables[0]]));
    for (const [dir, , want] of cases) {
      const t = by.get(dir)!;
      if (want === 'aws-managed' || want === 'customer-managed') expect([dir, t.status]).toEqual([dir, want]);
      else {
        expect([dir, t.status, t.fixable]).toEqual([dir, 'unknown', false]);
        expect(t.message).toContain(want);
      }
    }
  });

  it('a block with disable = true writes nothing: its table is not reported (session 55, F10)', async () => {
    const tables = async (unit: string) =>
      (await processMemory([{ path: 'live/app/terragrunt.hcl', text: unit }], 'scan')).outcomes.flatMap((o) =>
        o.tables.map((t) => t.address),
      );
    const disabled = (value: string) =>
      UNIT.replace(
        'if_exists = "overwrite_terragrunt"\n  contents  = <<-EOF',
        `if_exists = "overwrite_terragrunt"\n  disable   = ${value}\n  contents  = <<-EOF`,
      );
    expect(disabled('true')).not.toBe(UNIT);
    expect(await tables(disabled('true'))).toEqual([]);
    expect(await tables(disabled('true # for now'))).toEqual([]);
    // After the contents too; false, or a value kmsfix does not read, keeps the table.
    expect(await tables(UNIT.replace('  EOF\n}\n', '  EOF\n  disable = true\n}\n'))).toEqual([]);
    for (const v of ['false', 'local.off'])
      expect(await tables(disabled(v))).toEqual(['aws_dynamodb_table.sessions (generate "sessions_table")']);
  });
});
