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
});
