/**
 * Calls of the registry DynamoDB modules other than terraform-aws-modules (registryModules.ts):
 * cloudposse/dynamodb and mineiros-io/dynamodb, their inputs evaluated where they read the root
 * module's variables, their replicas' step. fixtures/terraform/module-cloudposse and module-mineiros
 * hold the literal cases and their fixes.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n\n';

async function scan(text: string, kmsKeyArn?: string) {
  const r = await processMemory([{ path: 'main.tf', text: PROVIDER + text }], 'scan', kmsKeyArn ? { kmsKeyArn } : {});
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}

describe('cloudposse/dynamodb and mineiros-io/dynamodb calls', () => {
  it('inputs read from variables are evaluated (defaults), as for terraform-aws-modules', async () => {
    const t = await scan(`variable "encrypt" {
  default = false
}

variable "key" {
  default = null
}

module "cp" {
  source            = "cloudposse/dynamodb/aws"
  name              = "cp"
  enable_encryption = var.encrypt
}

module "mi" {
  source      = "mineiros-io/dynamodb/aws"
  name        = "mi"
  hash_key    = "id"
  kms_key_arn = var.key
}

module "mi_type" {
  source   = "mineiros-io/dynamodb/aws"
  name     = "mi-type"
  hash_key = "id"
  kms_type = var.type
}
`);
    expect([t['module.cp'].status, t['module.cp'].fixable]).toEqual(['aws-owned', true]);
    expect(t['module.cp'].message).toContain('enable_encryption = var.encrypt (encrypt defaults to false');
    expect([t['module.mi'].status, t['module.mi'].fixable]).toEqual(['aws-owned', true]);
    expect(t['module.mi_type'].status).toBe('unknown');
  });

  it('replicas: not fixed, the step says the module gives them no key', async () => {
    const t = await scan(`module "cp" {
  source   = "git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=tags/0.37.0"
  name     = "cp"
  replicas = ["us-west-2"]
}
`);
    expect(t['module.cp'].fixable).toBe(false);
    expect(t['module.cp'].blocker).toMatch(/^the module call sets replicas, and the module creates each replica with kms_key_arn = null/);
  });

  it('a call that creates no table (enabled = false, module_enabled = false), or another module named like them, is not a table', async () => {
    const t = await scan(
      'module "x" {\n  source = "cloudposse/dynamodb-autoscaler/aws"\n}\n\n' +
        'module "off" {\n  source  = "cloudposse/dynamodb/aws"\n  enabled = false\n}\n\n' +
        'module "none" {\n  source         = "mineiros-io/dynamodb/aws"\n  module_enabled = false\n}\n',
    );
    expect(t).toEqual({});
  });

  it('a call whose table exists only when an input the code does not decide says so is not fixed: a key and alias would be created either way', async () => {
    const t = await scan(
      'variable "create" {\n  type = bool\n}\n\n' +
        'module "maybe" {\n  source       = "terraform-aws-modules/dynamodb-table/aws"\n  create_table = var.create\n  name         = "maybe"\n  hash_key     = "id"\n}\n\n' +
        'module "sure" {\n  source       = "terraform-aws-modules/dynamodb-table/aws"\n  create_table = true\n  name         = "sure"\n  hash_key     = "id"\n}\n\n' +
        'module "off" {\n  source       = "terraform-aws-modules/dynamodb-table/aws"\n  create_table = false\n}\n\n' +
        'module "posse" {\n  source  = "cloudposse/dynamodb/aws"\n  enabled = var.create\n}\n',
    );
    expect(Object.keys(t).sort()).toEqual(['module.maybe', 'module.posse', 'module.sure']);
    expect(t['module.sure'].fixable).toBe(true);
    for (const [address, input] of [
      ['module.maybe', 'create_table'],
      ['module.posse', 'enabled'],
    ]) {
      expect(t[address].fixable, address).toBe(false);
      expect(t[address].blocker).toContain(`the call creates its table only when ${input} = var.create is true`);
      expect(t[address].blocker).toContain('give the aws_kms_key and aws_kms_alias count = var.create ? 1 : 0 by hand');
    }
  });

  it('with --kms-key-arn (nothing added beside the call), such a call is fixed: the key input only', async () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const text =
      'variable "create" {\n  type = bool\n}\n\n' +
      'module "maybe" {\n  source       = "terraform-aws-modules/dynamodb-table/aws"\n  create_table = var.create\n  name         = "maybe"\n  hash_key     = "id"\n}\n';
    expect((await scan(text, arn))['module.maybe'].fixable).toBe(true);
    const r = await processMemory([{ path: 'main.tf', text: PROVIDER + text }], 'fix', { kmsKeyArn: arn });
    const out = r.output.get('main.tf')!;
    expect(out).toContain(`server_side_encryption_kms_key_arn = "${arn}"`);
    expect(out).not.toContain('aws_kms_key');
    expect(out).not.toContain('aws_kms_alias');
  });

  // Real-world round 39 (F1, F2, F4): a call's creation switch and replica Regions are evaluated as its other inputs are.
  it('a creation switch read from a variable or a local is evaluated: true fixed, false not a table, a var-file still undecided', async () => {
    const call = (name: string, create: string) =>
      `module "${name}" {\n  source       = "terraform-aws-modules/dynamodb-table/aws"\n  create_table = ${create}\n  name         = "${name}"\n  hash_key     = "id"\n}\n\n`;
    const t = await scan(
      'variable "on" {\n  default = true\n}\n\nvariable "off" {\n  default = false\n}\n\nlocals {\n  create = false\n}\n\n' +
        call('on', 'var.on') +
        call('off', 'var.off') +
        call('local_off', 'local.create'),
    );
    expect(Object.keys(t)).toEqual(['module.on']);
    expect([t['module.on'].status, t['module.on'].fixable]).toEqual(['aws-owned', true]);
    const files = (extra: { path: string; text: string }[]) =>
      scanFiles([
        { path: 'main.tf', text: PROVIDER + 'variable "create" {\n  default = true\n}\n\n' + call('orders', 'var.create') },
        ...extra,
      ]);
    expect(await files([{ path: 'terraform.tfvars', text: 'create = false\n' }])).toEqual({});
    const perEnv = (await files([{ path: 'prod.tfvars', text: 'create = false\n' }]))['module.orders'];
    expect(perEnv.fixable).toBe(false);
    expect(perEnv.blocker).toContain('the call creates its table only when create_table = var.create is true');
  });

  it("a cloudposse call without enabled takes it from its context: module.this's enabled (null: true), unless set from outside", async () => {
    const call =
      'module "orders" {\n  source            = "cloudposse/dynamodb/aws"\n  version           = "0.37.0"\n  hash_key          = "id"\n' +
      '  enable_encryption = true\n\n  context = module.this.context\n}\n';
    const context =
      'variable "enabled" {\n  type    = bool\n  default = null\n}\n\n' +
      'module "this" {\n  source  = "cloudposse/label/null"\n  version = "0.25.0"\n\n  enabled = var.enabled\n}\n';
    const files = (extra: { path: string; text: string }[]) =>
      scanFiles([{ path: 'c/main.tf', text: PROVIDER + call }, { path: 'c/context.tf', text: context }, ...extra]);
    expect((await files([]))['module.orders'].fixable).toBe(true);
    expect(await files([{ path: 'c/terraform.tfvars', text: 'enabled = false\n' }])).toEqual({});
    // An atmos component: the stack sets enabled.
    const atmos = (await files([{ path: 'atmos.yaml', text: 'components:\n  terraform:\n    base_path: c\n' }]))['module.orders'];
    expect(atmos.fixable).toBe(false);
    expect(atmos.blocker).toContain(
      'the call creates its table only when module.this.enabled (its enabled, through context = module.this.context) is true',
    );
    expect(atmos.blocker).toContain('count = module.this.enabled ? 1 : 0');
    // No null-label module "this" to read: undecided.
    expect((await scanFiles([{ path: 'c/main.tf', text: PROVIDER + call }]))['module.orders'].fixable).toBe(false);
    // A literal context that switches it off: no table.
    expect(await scan(call.replace('module.this.context', '{ enabled = false }'))).toEqual({});
  });

  it('replica Regions read from a variable that is an empty list are none: the call is fixed', async () => {
    const text =
      'variable "replicas" {\n  type    = list(string)\n  default = []\n}\n\n' +
      'module "cp" {\n  source            = "cloudposse/dynamodb/aws"\n  version           = "0.37.0"\n  name              = "cp"\n' +
      '  enable_encryption = true\n  replicas          = var.replicas\n}\n';
    expect((await scan(text))['module.cp'].fixable).toBe(true);
    const set = (
      await scanFiles([
        { path: 'main.tf', text: PROVIDER + text },
        { path: 'terraform.tfvars', text: 'replicas = ["us-west-2"]\n' },
      ])
    )['module.cp'];
    expect(set.fixable).toBe(false);
    expect(set.blocker).toMatch(/^the module call sets replicas/);
    // Its other obstacles take its place (an older version pinned).
    const old = (await scan(text.replace('"0.37.0"', '"0.21.0"')))['module.cp'];
    expect(old.fixable).toBe(false);
    expect(old.blocker).toContain('the call pins cloudposse/dynamodb to version = "0.21.0"');
  });
});

async function scanFiles(files: { path: string; text: string }[]) {
  const r = await processMemory(files, 'scan', {});
  return Object.fromEntries(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
}
