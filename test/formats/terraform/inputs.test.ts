/**
 * Terraform tables decided by a module's inputs (src/formats/terraform/evaluate.ts, inputs.ts):
 * expressions evaluated as Checkov and Trivy do, messages that say which value decided, who owns
 * the fix (the call, the root module's table, nobody when the module is reusable), and local module
 * calls read through the engine, in memory and on disk.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { evaluate, moduleEnv, type Env } from '../../../src/formats/terraform/evaluate.js';
import { asBool } from '../../../src/formats/terraform/expression.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';
import { tempTree } from '../../helpers/cli-helper.js';

const env: Env = {
  vars: new Map([
    ['on', { expr: 'true', why: 'on defaults to true' }],
    ['off', { expr: 'false', why: 'off defaults to false' }],
    ['none', { expr: 'null', why: 'none defaults to null' }],
    ['env', { expr: '"dev"', why: 'env = "dev" in dev.auto.tfvars' }],
    ['required', { why: 'required has no default' }],
  ]),
  locals: new Map([
    ['prod', 'var.env == "prod"'],
    ['loop', 'local.loop'],
  ]),
};
const value = (expr: string) => {
  const v = evaluate(expr, env);
  return v.known ? v.value : 'unknown';
};

const table = (name: string, sse: string) =>
  `resource "aws_dynamodb_table" "${name}" {\n  name     = "${name}"\n  hash_key = "id"\n\n  server_side_encryption {\n${sse}  }\n}\n`;
const variable = (name: string, def?: string) => `variable "${name}" {\n${def === undefined ? '' : `  default = ${def}\n`}}\n`;

async function scan(files: MemoryFile[]) {
  const r = await processMemory(files, 'scan');
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}

describe('evaluate: expressions on known values', () => {
  it('literals, variables, locals, operators, conditionals', () => {
    expect(value('var.on')).toBe(true);
    expect(value('!var.on')).toBe(false);
    expect(value('var.on && !var.off')).toBe(true);
    expect(value('var.off || var.on')).toBe(true);
    expect(value('var.none != null')).toBe(false);
    expect(value('var.none == null ? "alias/aws/dynamodb" : var.none')).toBe('alias/aws/dynamodb');
    expect(value('local.prod ? 1 : 0')).toBe(0);
    expect(value('(var.env != "prod") && var.on')).toBe(true);
  });

  it('try() and coalesce() when their arguments are known', () => {
    expect(value('try(var.on, false)')).toBe(true);
    // try(x, fallback) is x unless x fails to evaluate, which nothing tells for a value kmsfix does not know.
    for (const e of ['try(aws_kms_key.k[0].arn, null)', 'try(var.required, false)', 'var.on ? try(aws_kms_key.k[0].arn, null) : null'])
      expect(value(e), e).toBe('unknown');
    expect(value('coalesce(var.none, "arn:aws:kms:eu-west-1:111122223333:key/k")')).toBe('arn:aws:kms:eu-west-1:111122223333:key/k');
    expect(value('coalesce(var.required, true)')).toBe('unknown');
  });

  it('unknown: no default, references, other functions, interpolation, a local that loops', () => {
    for (const e of [
      'var.required',
      'aws_kms_key.k.arn',
      'lookup(var.m, "k", null)',
      '"${aws_kms_key.k.arn}-x"',
      'local.loop',
      'var.undeclared',
    ])
      expect(value(e), e).toBe('unknown');
  });

  it('a template that is one interpolation is the value of its expression, unconverted (Terraform 0.12+)', () => {
    expect(value('"${var.on}"')).toBe(true);
    expect(value('"${var.env}"')).toBe('dev');
    expect(value('"${ var.none }"')).toBe(null);
    expect(value('"${var.env == "prod" ? false : var.on}"')).toBe(true);
    expect(value('"${local.prod}"')).toBe(false);
    for (const e of ['"${}"', '"%{if var.on}x%{endif}"']) expect(value(e), e).toBe('unknown');
    // Templates of more than one interpolation, or text around it, are strings (since session 49: unknown before).
    expect(value('"${var.env}-x"')).toBe('dev-x');
    expect(value('"${var.on}${var.off}"')).toBe('truefalse');
    expect(value('"x${var.on}"')).toBe('xtrue');
    // One interpolation alone inside a larger expression keeps its type: the bool true is not the string "true".
    expect(value('"${var.on}" == "true"')).toBe(false);
  });

  it('a bool argument takes exactly the strings "true" and "false" as bools, as Terraform converts them', () => {
    expect([asBool(true), asBool('true'), asBool(false), asBool('false')]).toEqual([true, true, false, false]);
    for (const v of ['True', 'FALSE', ' true', '1', '0', 'yes', '', null, 1]) expect(asBool(v), String(v)).toBeUndefined();
  });

  it('a string "true" from a default, a tfvars file or a local decides the switch; "True" does not', async () => {
    const files = (def: string, tfvars?: string) => [
      { path: 'main.tf', text: `provider "aws" {\n  region = "eu-west-1"\n}\n\n${table('t', '    enabled = var.sse\n')}` },
      { path: 'variables.tf', text: `variable "sse" {\n  type    = string\n  default = ${def}\n}\n` },
      ...(tfvars ? [{ path: 'terraform.tfvars', text: tfvars }] : []),
    ];
    const status = async (f: MemoryFile[]) => (await scan(f))['aws_dynamodb_table.t'];
    expect((await status(files('"true"'))).message).toContain('(sse defaults to "true" (variables.tf:1))');
    expect((await status(files('"true"'))).status).toBe('aws-managed');
    expect((await status(files('"false"'))).status).toBe('aws-owned');
    expect((await status(files('"true"', 'sse = "false"\n'))).message).toContain('(sse = "false" in terraform.tfvars:1)');
    expect((await status(files('"True"'))).status).toBe('unknown');
  });

  it('says which value decided', () => {
    expect(evaluate('local.prod ? true : var.off', env).why).toEqual(['env = "dev" in dev.auto.tfvars', 'off defaults to false']);
  });

  it('precedence: a call input, else *.auto.tfvars (in name order) over terraform.tfvars, else the default', () => {
    const files = [{ path: 'variables.tf', text: '', tops: [] }];
    const tops = ['a', 'b', 'c'].map((n) => ({
      type: 'variable',
      labels: [n],
      text: '',
      attr: (k: string) => (k === 'default' ? { value: '1' } : undefined),
    }));
    files[0] = { path: 'variables.tf', text: '', tops } as never;
    const tfvars = [
      { path: 'b.auto.tfvars', absPath: '/m/b.auto.tfvars', text: 'a = 4\n' },
      { path: 'terraform.tfvars', absPath: '/m/terraform.tfvars', text: 'a = 2\nb = 2\n' },
      { path: 'a.auto.tfvars', absPath: '/m/a.auto.tfvars', text: 'a = 3\n' },
    ];
    const root = moduleEnv(files, tfvars);
    expect(['a', 'b', 'c'].map((n) => value2(`var.${n}`, root))).toEqual([4, 2, 1]);
    expect(evaluate('var.a', root).why[0]).toBe('a = 4 in b.auto.tfvars:1');
    // A called module: the call's inputs; tfvars are the root module's only.
    const called = moduleEnv(files, tfvars, { label: 'm', inputs: new Map([['b', '5']]), dir: '../m' });
    expect(['a', 'b'].map((n) => value2(`var.${n}`, called))).toEqual([1, 5]);
    expect(evaluate('var.a', called).why[0]).toBe('a defaults to 1 (../m/variables.tf) and module.m does not set it');
  });
});

function value2(expr: string, e: Env) {
  const v = evaluate(expr, e);
  return v.known ? v.value : 'unknown';
}

describe('tables decided by module inputs', () => {
  it('a reusable module (no provider, backend, lock file or tfvars): the value decides the status, the callers own the fix', async () => {
    const files = [
      { path: 'main.tf', text: table('t', '    enabled     = var.sse\n    kms_key_arn = var.key\n') },
      { path: 'variables.tf', text: variable('sse', 'false') + variable('key', 'null') },
    ];
    const t = (await scan(files))['aws_dynamodb_table.t'];
    expect(t.status).toBe('aws-owned');
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('server_side_encryption.enabled = var.sse (sse defaults to false (variables.tf:1))');
    expect(t.blocker).toContain('kmsfix does not write a key into a reusable module');
    const fixed = await processMemory(files, 'fix');
    expect(fixed.outcomes.every((o) => o.newText === undefined)).toBe(true);
  });

  it('a root module (a provider configuration): the table is fixed, terraform.tfvars decides before the default', async () => {
    const files = [
      { path: 'main.tf', text: `provider "aws" {\n  region = "eu-west-1"\n}\n\n${table('t', '    enabled = var.sse\n')}` },
      { path: 'variables.tf', text: variable('sse', 'false') },
      { path: 'terraform.tfvars', text: 'sse = true\n' },
    ];
    const t = (await scan(files))['aws_dynamodb_table.t'];
    expect(t.status).toBe('aws-managed');
    expect(t.fixable).toBe(true);
    const out = (await processMemory(files, 'fix')).output.get('main.tf')!;
    expect(out).toContain('    enabled     = true\n    kms_key_arn = aws_kms_key.t.arn\n');
  });

  it('enabled = "${var.sse}" (Terraform 0.11 style) is decided as enabled = var.sse, and fixed so', async () => {
    for (const [def, status] of [
      ['true', 'aws-managed'],
      ['false', 'aws-owned'],
    ]) {
      const files = (enabled: string) => [
        { path: 'main.tf', text: `provider "aws" {\n  region = "eu-west-1"\n}\n\n${table('t', `    enabled = ${enabled}\n`)}` },
        { path: 'variables.tf', text: variable('sse', def) },
      ];
      const t = (await scan(files('"${var.sse}"')))['aws_dynamodb_table.t'];
      const plain = (await scan(files('var.sse')))['aws_dynamodb_table.t'];
      expect([t.status, t.fixable], def).toEqual([status, true]);
      expect(plain.status).toBe(status);
      expect(t.message).toContain(`(sse defaults to ${def} (variables.tf:1))`);
      const out = (await processMemory(files('"${var.sse}"'), 'fix')).output.get('main.tf')!;
      expect(out).toContain('    enabled     = true\n    kms_key_arn = aws_kms_key.t.arn\n');
    }
  });

  it('a local module whose table reads "${var.x}": the call gets the inputs, as for var.x', async () => {
    const files = [
      { path: 'modules/table/main.tf', text: table('this', '    enabled     = "${var.sse}"\n    kms_key_arn = "${var.key}"\n') },
      { path: 'modules/table/variables.tf', text: `${variable('sse', 'false')}\n${variable('key', 'null')}` },
      { path: 'main.tf', text: 'module "orders" {\n  source = "./modules/table"\n}\n' },
    ];
    const t = (await scan(files))['module.orders'];
    expect([t.status, t.fixable]).toEqual(['aws-owned', true]);
    const out = (await processMemory(files, 'fix')).output.get('main.tf')!;
    expect(out).toContain('sse = true');
    expect(out).toContain('key = aws_kms_key.orders.arn');
  });

  it('a local module call: the message names the default and the call that does not set it', async () => {
    const files = [
      {
        path: 'modules/table/main.tf',
        text: table('this', '    enabled     = var.server_side_encryption_enabled\n    kms_key_arn = var.key_arn\n'),
      },
      {
        path: 'modules/table/variables.tf',
        text: `${variable('server_side_encryption_enabled', 'false')}\n${variable('key_arn', 'null')}`,
      },
      { path: 'main.tf', text: 'module "orders" {\n  source = "./modules/table"\n}\n' },
    ];
    const t = (await scan(files))['module.orders'];
    expect(t.status).toBe('aws-owned');
    expect(t.fixable).toBe(true);
    expect(t.message).toContain(
      'server_side_encryption_enabled defaults to false (modules/table/variables.tf:1) and module.orders does not set it',
    );
    const out = (await processMemory(files, 'fix')).output;
    expect(out.get('main.tf')).toContain(
      '  server_side_encryption_enabled = true\n  key_arn                        = aws_kms_key.orders.arn\n',
    );
    expect(out.get('main.tf')).toContain('name          = "alias/dynamodb/this"');
    expect(out.get('modules/table/main.tf')).toBe(files[0].text);
  });

  it('a local module whose table writes its encryption itself: the call is reported, not fixed', async () => {
    const files = [
      { path: 'modules/table/main.tf', text: table('this', '    enabled = false\n') },
      { path: 'main.tf', text: 'module "orders" {\n  source = "./modules/table"\n}\n' },
    ];
    const t = (await scan(files))['module.orders'];
    expect(t.status).toBe('aws-owned');
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain(
      "the module's table (aws_dynamodb_table.this, modules/table/main.tf:1) takes server_side_encryption.enabled and " +
        'server_side_encryption.kms_key_arn from no input the call can pass (it sets or leaves them out itself)',
    );
    // Where the fix that reaches this call is: the module's own table, fixed where its folder is scanned.
    expect(t.blocker).toContain(
      "kmsfix fixes that table where it scans the module's folder (modules/table, from this file's folder), and every call of the module then gets a key of its own",
    );
  });

  it("a suppression on the module's table speaks for its calls, under the profile in force, naming where it is", async () => {
    const sse = '    enabled     = var.sse\n    kms_key_arn = var.key\n';
    const files = [
      { path: 'modules/table/main.tf', text: `# checkov:skip=CKV_AWS_119:public data\n${table('this', sse)}` },
      { path: 'modules/table/variables.tf', text: `${variable('sse', 'false')}\n${variable('key', 'null')}` },
      { path: 'main.tf', text: 'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "orders" {\n  source = "./modules/table"\n}\n' },
    ];
    const t = (await scan(files))['module.orders'];
    expect([t.status, t.fixable, t.compliant]).toEqual(['suppressed', false, true]);
    expect(t.message).toContain('Suppressed by checkov:skip=CKV_AWS_119 (public data) in modules/table/main.tf:1; without it: aws-owned');
    expect((await processMemory(files, 'fix')).outcomes.every((o) => o.newText === undefined)).toBe(true);
    // Under Trivy's rules a Checkov skip counts for nothing, for the call as for the module's own row.
    const trivy = await processMemory(files, 'scan', { profile: 'trivy' });
    const statuses = trivy.outcomes.flatMap((o) => o.tables.map((x) => [x.address, x.status, x.compliant]));
    expect(statuses).toEqual([
      ['aws_dynamodb_table.this', 'aws-owned', false],
      ['module.orders', 'aws-owned', false],
    ]);
  });

  it("a local module's table with count decided by the call: fixed only when the code tells the table exists", async () => {
    const sse = '    enabled     = var.sse\n    kms_key_arn = var.key\n';
    const files = (create: string) => [
      { path: 'm/main.tf', text: table('this', sse).replace('{\n', '{\n  count = var.create ? 1 : 0\n') },
      { path: 'm/variables.tf', text: `${variable('sse', 'false')}\n${variable('key', 'null')}\n${variable('create', 'true')}` },
      {
        path: 'main.tf',
        text: `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "on" {\n  type = bool\n}\n\nmodule "orders" {\n  source = "./m"\n${create}}\n`,
      },
    ];
    const maybe = (await scan(files('  create = var.on\n')))['module.orders'];
    expect(maybe.fixable).toBe(false);
    expect(maybe.blocker).toContain('has count = var.create ? 1 : 0, which the call decides with a value the code does not tell');
    for (const create of ['', '  create = true\n']) expect((await scan(files(create)))['module.orders'].fixable, create).toBe(true);
    // With --kms-key-arn nothing is added beside the call: the call passes the key, whether the table exists or not.
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const given = await processMemory(files('  create = var.on\n'), 'fix', { kmsKeyArn });
    const call = given.outcomes.find((o) => o.file.path === 'main.tf')!;
    expect(call.tables.map((x) => [x.address, x.fixable, x.blocker])).toEqual([['module.orders', true, undefined]]);
    expect(call.newText).toContain(`  sse = true\n  key = "${kmsKeyArn}"\n}`);
    expect(call.newText).not.toContain('aws_kms_key');
  });

  it("a local module's table with count decided by the call and no key input: the step is the module's fix, not a key input it lacks", async () => {
    // Real-world round 45, F2 (opg-use-an-lpa's ./region module): the count step said "pass the key to the module's key input"
    // while the module has none, and the same run's fix gave the module's table its key.
    const files = [
      {
        path: 'region/cleanup.tf',
        text:
          'variable "account_name" {\n  type = string\n}\n\nresource "aws_dynamodb_table" "cleanup" {\n' +
          '  count        = var.account_name == "development" ? 1 : 0\n  name         = "WorkspaceCleanup"\n' +
          '  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n',
      },
      {
        path: 'main.tf',
        text:
          'provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "account_name" {\n  type = string\n}\n\n' +
          'module "eu_west_1" {\n  source       = "./region"\n  account_name = var.account_name\n}\n',
      },
    ];
    const call = (await scan(files))['module.eu_west_1'];
    expect(call.fixable).toBe(false);
    expect(call.blocker).not.toContain("pass the key to the module's key input");
    expect(call.blocker).toContain("kmsfix fixes that table where it scans the module's folder (region, from this file's folder)");
    const fixed = await processMemory(files, 'fix');
    expect(fixed.outcomes.find((o) => o.file.path === 'region/cleanup.tf')!.newText).toContain(
      'kms_key_arn = aws_kms_key.cleanup[count.index].arn',
    );
  });

  it("a local module's table with for_each: a call that gives it an empty collection creates no table and is not reported", async () => {
    const sse = '    enabled     = var.sse\n    kms_key_arn = var.key\n';
    const files = (names: string, def = '') => [
      { path: 'm/main.tf', text: table('this', sse).replace('{\n', '{\n  for_each = var.names\n') },
      { path: 'm/variables.tf', text: `${variable('sse', 'false')}\n${variable('key', 'null')}\n${variable('names', def || undefined)}` },
      {
        path: 'main.tf',
        text: `provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "all" {\n  type = set(string)\n}\n\nmodule "orders" {\n  source = "./m"\n${names}}\n`,
      },
    ];
    for (const [names, def] of [
      ['  names = []\n', ''],
      ['  names = toset([])\n', ''],
      ['  names = {}\n', ''],
      ['', '[]'],
    ])
      expect(Object.keys(await scan(files(names, def))), names || def).toEqual(['aws_dynamodb_table.this']);
    for (const names of ['  names = var.all\n', '  names = ["a", "b"]\n']) {
      const t = (await scan(files(names)))['module.orders'];
      expect([t.status, t.fixable], names).toEqual(['aws-owned', true]);
    }
  });

  it('a local module with two tables fed by the same inputs: the call is set once, both tables fixed (per table and shared)', async () => {
    const sse = '    enabled     = var.sse\n    kms_key_arn = var.key\n';
    const files = [
      { path: 'm/main.tf', text: `${table('a', sse)}\n${table('b', sse)}` },
      { path: 'm/variables.tf', text: `${variable('sse', 'false')}\n${variable('key', 'null')}` },
      { path: 'main.tf', text: 'module "pair" {\n  source = "./m"\n}\n' },
    ];
    for (const keyStrategy of ['per-table', 'shared'] as const) {
      const r = await processMemory(files, 'fix', { keyStrategy });
      expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
      const call = r.outcomes.find((o) => o.file.path === 'main.tf')!;
      expect(call.tables.map((t) => [t.address, t.fixed])).toEqual([
        ['module.pair.aws_dynamodb_table.a', true],
        ['module.pair.aws_dynamodb_table.b', true],
      ]);
      const out = r.output.get('main.tf')!;
      expect(out.match(/resource "aws_kms_key"/g)).toHaveLength(1);
      expect(out).toContain('  sse = true\n  key = aws_kms_key.');
    }
  });

  it('a local module call in .tf.json is fixed through the same inputs', async () => {
    const files = [
      { path: 'm/main.tf', text: table('t', '    enabled = var.sse\n') + variable('sse', 'false') + variable('key', 'null') },
      { path: 'main.tf.json', text: '{\n  "module": {\n    "orders": {\n      "source": "./m"\n    }\n  }\n}\n' },
    ];
    const t = (await scan(files))['module.orders'];
    expect([t.status, t.fixable]).toEqual(['aws-owned', false]); // the key is not an input of the module
    const withKey = [
      {
        ...files[0],
        text: table('t', '    enabled     = var.sse\n    kms_key_arn = var.key\n') + variable('sse', 'false') + variable('key', 'null'),
      },
      files[1],
    ];
    const out = (await processMemory(withKey, 'fix')).output.get('main.tf.json')!;
    expect(JSON.parse(out).module.orders).toEqual({ source: './m', sse: true, key: '${aws_kms_key.orders.arn}' });
  });

  it('a call of a folder that is not there, or holds no table: no table, no error', async () => {
    const r = await processMemory(
      [{ path: 'main.tf', text: 'module "a" {\n  source = "./nowhere"\n}\n\nmodule "b" {\n  source = "../"\n}\n' }],
      'scan',
    );
    expect(r.outcomes.map((o) => [o.error, o.tables.length])).toEqual([[undefined, 0]]);
  });

  it('on disk: the example calling ../../ is fixed at the call, the module folder is left alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-local-'));
    cpSync(path.join(FIXTURES, 'terraform', 'module-local-source', 'input'), dir, { recursive: true });
    const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
    const want = path.join(FIXTURES, 'terraform', 'module-local-source', 'expected');
    for (const o of r.outcomes) {
      const expected = readFileSync(path.join(want, o.file.path), 'utf8');
      // A fix keeps no text of a file it does not change: compare that file on disk (it is untouched).
      expect(o.newText ?? readFileSync(path.join(dir, o.file.path), 'utf8'), o.file.path).toBe(expected);
    }
    expect(
      r.outcomes
        .filter((o) => o.newText !== undefined)
        .map((o) => o.file.path)
        .sort(),
    ).toEqual(['examples/basic/main.tf', 'examples/encrypted/main.tf']);
  });
});

describe('a key through a counted aws_kms_key: one(k[*].arn), join("", k.*.arn), element(concat(...)) (real-world round 22)', () => {
  const provider = 'provider "aws" {\n  region = "eu-west-1"\n}\n\n';
  const key = 'resource "aws_kms_key" "k" {\n  count               = var.create_kms ? 1 : 0\n  enable_key_rotation = true\n}\n\n';
  const sse = (expr: string) => `    enabled     = true\n    kms_key_arn = ${expr}\n`;
  const root = (expr: string, def?: string, more: MemoryFile[] = []) => [
    { path: 'main.tf', text: `${provider}${key}${table('t', sse(expr))}` },
    { path: 'variables.tf', text: variable('create_kms', def) },
    ...more,
  ];
  const FORMS = [
    'one(aws_kms_key.k[*].arn)',
    'one(aws_kms_key.k.*.arn)',
    'join("", aws_kms_key.k.*.arn)',
    'element(concat(aws_kms_key.k.*.arn, [""]), 0)',
    'concat(aws_kms_key.k[*].arn, [""])[0]',
    'try(aws_kms_key.k[0].arn, null)',
    '"${one(aws_kms_key.k[*].arn)}"',
  ];

  it('counted to zero by default: the AWS managed key (null or ""), fixed in a root module; one: the key', async () => {
    for (const expr of FORMS) {
      const t = (await scan(root(expr, 'false')))['aws_dynamodb_table.t'];
      expect([t.status, t.fixable], expr).toEqual(['aws-managed', true]);
      expect(t.message, expr).toContain('aws_kms_key.k has count = var.create_kms ? 1 : 0, 0: it gives');
      expect((await scan(root(expr, 'true')))['aws_dynamodb_table.t'].status, expr).toBe('customer-managed');
    }
    const out = (await processMemory(root(FORMS[0], 'false'), 'fix')).output.get('main.tf')!;
    expect(out).toContain('    kms_key_arn = aws_kms_key.t.arn\n');
  });

  it('a count the code does not decide (no default, a var-file per environment, length() > 0): unknown', async () => {
    expect((await scan(root(FORMS[0])))['aws_dynamodb_table.t'].status).toBe('unknown');
    const perEnv = root(FORMS[0], 'true', [{ path: 'prod.tfvars', text: 'create_kms = false\n' }]);
    const t = (await scan(perEnv))['aws_dynamodb_table.t'];
    expect(t.status).toBe('unknown');
    expect(t.message).toContain('create_kms is set per environment by prod.tfvars');
    const length = (await scan(root('length(aws_kms_key.k) > 0 ? aws_kms_key.k[0].arn : null', 'true')))['aws_dynamodb_table.t'];
    expect(length.status).toBe('unknown');
    expect(length.message).toContain('the AWS managed key when length(aws_kms_key.k) > 0 is false');
  });

  it('through a local, or in parentheses: the same (adversarial pass)', async () => {
    for (const expr of ['local.key', '(one(aws_kms_key.k[*].arn))', 'var.create_kms == false ? local.key : local.key']) {
      const files = root(expr, 'false', [{ path: 'locals.tf', text: 'locals {\n  key = one(aws_kms_key.k[*].arn)\n}\n' }]);
      const t = (await scan(files))['aws_dynamodb_table.t'];
      expect([t.status, t.fixable], expr).toEqual(['aws-managed', true]);
      expect(t.message, expr).toContain(`kms_key_arn = ${expr} (aws_kms_key.k has count = var.create_kms ? 1 : 0, 0: it gives null`);
    }
    const perEnv = root('local.key', 'true', [
      { path: 'locals.tf', text: 'locals {\n  key = one(aws_kms_key.k[*].arn)\n}\n' },
      { path: 'prod.tfvars', text: 'create_kms = false\n' },
    ]);
    expect((await scan(perEnv))['aws_dynamodb_table.t'].status).toBe('unknown');
  });

  it('a key without count, or another expression: the key, as before', async () => {
    const plain = root(FORMS[0], 'false');
    plain[0].text = plain[0].text.replace('  count               = var.create_kms ? 1 : 0\n', '');
    expect((await scan(plain))['aws_dynamodb_table.t'].status).toBe('customer-managed');
    for (const expr of ['aws_kms_key.k[0].arn', 'join(",", [aws_kms_key.k[0].arn])', 'one(aws_kms_key.other[*].arn)'])
      expect((await scan(root(expr, 'false')))['aws_dynamodb_table.t'].status, expr).toBe('customer-managed');
  });

  it("a local module's counted key: the call's input decides (not fixed through the call: the module writes the key)", async () => {
    const files = (create: string) => [
      { path: 'm/main.tf', text: `${key}${table('this', sse(FORMS[0]))}` },
      { path: 'm/variables.tf', text: variable('create_kms', 'false') },
      { path: 'main.tf', text: `${provider}module "orders" {\n  source = "./m"\n${create}}\n` },
    ];
    expect((await scan(files('')))['module.orders'].status).toBe('aws-managed');
    expect((await scan(files('  create_kms = true\n')))['module.orders'].status).toBe('customer-managed');
    const reusable = (await scan(files('').slice(0, 2)))['aws_dynamodb_table.this'];
    expect([reusable.status, reusable.fixable]).toEqual(['aws-managed', false]);
  });
});

describe('a file of the module that kmsfix cannot read (git-crypt, real-world round 26: rodrigomafrarios/aws-infra-terraform)', () => {
  const GITCRYPT = Buffer.concat([Buffer.from('\u0000GITCRYPT\u0000'), Buffer.from([0x8a, 0x01, 0xff, 0x00, 0x42])]);
  const tree = (files: Record<string, string | Buffer>) => tempTree('tf-sealed', files);
  const scanDir = async (dir: string) => {
    const r = await run(['.'], { cwd: dir, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    return { errors: r.outcomes.flatMap((o) => (o.error ? [o.error.message] : [])), tables: r.outcomes.flatMap((o) => o.tables) };
  };

  it('an encrypted secrets.auto.tfvars: no error, the call still reported, the variables it may set not known', async () => {
    const root = 'provider "aws" {\n  region = "eu-west-1"\n}\n\n';
    const dir = tree({
      'env/sdx/main.tf': `${root}module "system" {\n  source = "../../modules/system"\n}\n\n${table('own', '    enabled = var.sse\n')}`,
      'env/sdx/variables.tf': variable('sse', 'true'),
      'env/sdx/secrets.auto.tfvars': GITCRYPT,
      'modules/system/main.tf': 'resource "aws_dynamodb_table" "accounts" {\n  name     = "accounts"\n  hash_key = "id"\n}\n',
    });
    const { errors, tables } = await scanDir(dir);
    expect(errors).toEqual([]);
    expect(tables.map((t) => t.address).sort()).toEqual(['aws_dynamodb_table.accounts', 'aws_dynamodb_table.own', 'module.system']);
    const own = tables.find((t) => t.address === 'aws_dynamodb_table.own')!;
    expect(own.status).toBe('unknown');
    expect(own.message).toContain('sse may be set by secrets.auto.tfvars, which kmsfix cannot read (binary file');
  });

  it('an encrypted .tf file of the module: its tables reported, not fixed, the file named', async () => {
    const dir = tree({ 'main.tf': table('t', '    enabled = true\n'), 'secrets.tf': GITCRYPT });
    const { errors, tables } = await scanDir(dir);
    expect(errors).toEqual([]);
    expect(tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['aws_dynamodb_table.t', 'aws-managed', false]]);
    expect(tables[0].blocker).toContain('secrets.tf, a file of the module, cannot be read (binary file');
  });
});

describe('replica resources and their inputs', () => {
  const replicaModule = [
    variable('kms_key_arn', 'null'),
    variable('global_table_arn'),
    'resource "aws_dynamodb_table_replica" "replica" {\n  global_table_arn = var.global_table_arn\n  kms_key_arn      = var.kms_key_arn\n}\n',
  ].join('\n');

  it("a replica resource's kms_key_arn read from a variable is evaluated (null: the AWS managed key), as a table's key is", async () => {
    const t = (await scan([{ path: 'modules/replica/main.tf', text: replicaModule }]))['aws_dynamodb_table_replica.replica'];
    expect(t.status).toBe('aws-managed');
    expect(t.reason).toBe('kms_key_arn = var.kms_key_arn (kms_key_arn defaults to null (main.tf:1))');
  });

  it("a table whose replica a local module declares (global_table_arn passed as the table's arn) is not fixed alone", async () => {
    const root = [
      'provider "aws" {\n  region = "eu-west-1"\n}\n',
      'provider "aws" {\n  alias  = "london"\n  region = "eu-west-2"\n}\n',
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n}\n',
      'resource "aws_dynamodb_table" "audit" {\n  name     = "audit"\n  hash_key = "id"\n}\n',
      'module "replica" {\n  source = "../modules/replica"\n  providers = {\n    aws = aws.london\n  }\n  global_table_arn = aws_dynamodb_table.orders.arn\n}\n',
    ].join('\n');
    const r = await processMemory(
      [
        { path: 'modules/replica/main.tf', text: replicaModule },
        { path: 'root/main.tf', text: root },
      ],
      'fix',
      { recreateReplicas: true },
    );
    const by = Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [`${o.file.path}:${t.address}`, t])));
    expect(by['root/main.tf:aws_dynamodb_table.orders'].fixed).toBeUndefined();
    expect(by['root/main.tf:aws_dynamodb_table.orders'].message).toContain(
      'it is the global table of module.replica (aws_dynamodb_table_replica.replica of ../modules/replica), declared as a resource of its own',
    );
    expect(by['root/main.tf:aws_dynamodb_table.audit'].fixed).toBe(true);
  });
});

describe("a local module's table with region = var.region (hashicorp/aws 6)", () => {
  const module =
    `variable "name" {\n  type = string\n}\n\nvariable "region" {\n  type    = string\n  default = null\n}\n\nvariable "sse_enabled" {\n  type    = bool\n  default = false\n}\n\nvariable "kms_key_arn" {\n  type    = string\n  default = null\n}\n\n` +
    `resource "aws_dynamodb_table" "this" {\n  name     = var.name\n  hash_key = "id"\n  region   = var.region\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  server_side_encryption {\n    enabled     = var.sse_enabled\n    kms_key_arn = var.kms_key_arn\n  }\n}\n`;
  const files = (inputs: string): MemoryFile[] => [
    { path: 'mod/main.tf', text: module },
    {
      path: 'main.tf',
      text: `provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "t" {\n  source = "./mod"\n  name   = "t"\n${inputs}}\n`,
    },
  ];

  it("left null by the call (the module's default): the provider's Region, so the key beside the call serves it", async () => {
    const r = await processMemory(files(''), 'fix');
    const call = r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'module.t')!;
    expect(call.fixable).toBe(true);
    expect(r.output.get('main.tf')).toContain('  sse_enabled = true\n  kms_key_arn = aws_kms_key.t.arn\n');
  });

  it('set by the call to another Region: not fixed, with the step', async () => {
    const call = (await scan(files('  region = "us-east-2"\n')))['module.t'];
    expect(call.fixable).toBe(false);
    expect(call.message).toContain(
      "sets region = var.region, and a key kmsfix creates beside the call would be in the Region of the call's provider",
    );
  });
});

it("a switch a call's input leaves unknown: the value in backticks, then what the call sets (terraform-aws-modules' wrappers)", async () => {
  const mod = `variable "name" {\n  type = string\n}\n\nvariable "sse_enabled" {\n  type    = bool\n  default = false\n}\n\nresource "aws_dynamodb_table" "this" {\n  name     = var.name\n  hash_key = "id"\n\n  server_side_encryption {\n    enabled = var.sse_enabled\n  }\n}\n`;
  const wrapper = `variable "items" {\n  type    = any\n  default = {}\n}\n\nmodule "wrapper" {\n  source   = "../mod"\n  for_each = var.items\n\n  name        = each.key\n  sse_enabled = try(each.value.sse_enabled, false)\n}\n`;
  const by = await scan([
    { path: 'mod/main.tf', text: mod },
    { path: 'wrappers/main.tf', text: wrapper },
  ]);
  expect(by['module.wrapper'].status).toBe('unknown');
  expect(by['module.wrapper'].reason).toBe(
    'server_side_encryption.enabled is the expression `var.sse_enabled` (module.wrapper sets sse_enabled = try(each.value.sse_enabled, false))',
  );
});

/**
 * A call's null input to a variable declared `nullable = false` with a default (adversarial pass of session 47, repro 05):
 * Terraform uses the default. The call was reported aws-managed and fixed, replacing the organisation's key.
 */
it('null to a `nullable = false` variable: its default (a key), not null', async () => {
  const ARN = '"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
  const module = `variable "kms_key_arn" {\n  type     = string\n  nullable = false\n  default  = ${ARN}\n}\n\n${table('t', '    enabled     = true\n    kms_key_arn = var.kms_key_arn\n')}`;
  const call = (input: string) => `module "orders" {\n  source      = "../modules/table"\n  kms_key_arn = ${input}\n}\n`;
  const rows = async (files: MemoryFile[]) => (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables);
  const literal = await rows([
    { path: 'modules/table/main.tf', text: module },
    { path: 'live/main.tf', text: call('null') },
  ]);
  expect(literal.find((t) => t.address === 'module.orders')?.status).toBe('customer-managed');
  // Through the caller's own variable whose default is null (the usual wrapper).
  const wrapped = await rows([
    { path: 'modules/table/main.tf', text: module },
    { path: 'live/main.tf', text: `${variable('kms_key_arn', 'null')}\n${call('var.kms_key_arn')}` },
  ]);
  const t = wrapped.find((x) => x.address === 'module.orders')!;
  expect(t.status).toBe('customer-managed');
  expect(t.message).toMatch(/kms_key_arn is not nullable: null gives its default/);
  // A root module's terraform.tfvars setting it to null: the default too (adversarial pass, repro 07).
  const root = await rows([
    { path: 'main.tf', text: module },
    { path: 'terraform.tfvars', text: 'kms_key_arn = null\n' },
  ]);
  expect(root.find((x) => x.address === 'aws_dynamodb_table.t')?.status).toBe('customer-managed');
  // A nullable variable (the default): null is the value, the AWS managed key.
  const nullable = await rows([
    { path: 'modules/table/main.tf', text: module.replace('  nullable = false\n', '') },
    { path: 'live/main.tf', text: call('null') },
  ]);
  expect(nullable.find((x) => x.address === 'module.orders')?.status).toBe('aws-managed');
});
