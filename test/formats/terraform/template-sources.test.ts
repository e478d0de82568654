/**
 * A module call's local source written as a template (`source = "../modules/${var.flavor}"`), which OpenTofu 1.8+
 * evaluates early and Terraform rejects (src/formats/terraform/templateSources.ts). The adversarial pass of session 62
 * (F6): kmsfix did not follow such a call, read the folder it names as a root module whose default key is a
 * customer-managed one, and the scan was green where the call passes the AWS managed key.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { mayName, templateSource } from '../../../src/formats/terraform/templateSources.js';

const MODULE = `variable "kms_key_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
`;

const CALLER = `variable "flavor" {
  type    = string
  default = "ddb"
}

module "tables" {
  source      = "../modules/\${var.flavor}"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb"
}
`;

/** A table keyed by a variable with no default, in a folder with a provider block (a sign of a root module). */
const ROOT_TABLE = MODULE.replace(/default = "[^"]*"/, 'default = null').replace(
  'variable "kms_key_arn"',
  'provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "kms_key_arn"',
);

const rows = (r: Awaited<ReturnType<typeof processMemory>>) =>
  r.outcomes.flatMap((o) => o.tables.map((t) => [o.file.path, t.address, t.status, t.fixed ?? false]));
const notes = (r: Awaited<ReturnType<typeof processMemory>>) => r.outcomes.flatMap((o) => o.notes ?? []);

describe('a template module source (OpenTofu)', () => {
  it('is evaluated with the defaults in a .tofu file: the call passing the AWS managed key is aws-managed, and fixed beside the call', async () => {
    const files = [
      { path: 'live/main.tofu', text: CALLER },
      { path: 'modules/ddb/main.tf', text: MODULE },
    ];
    const scan = await processMemory(files, 'scan');
    expect(rows(scan)).toContainEqual(['live/main.tofu', 'module.tables', 'aws-managed', false]);
    expect(notes(scan)).toEqual([]);
    const fix = await processMemory(files, 'fix');
    expect(rows(fix)).toContainEqual(['live/main.tofu', 'module.tables', 'aws-managed', true]);
    expect(fix.output.get('live/main.tofu')).toContain('kms_key_arn = aws_kms_key.tables.arn');
    expect(fix.output.get('live/main.tofu')).toContain('source      = "../modules/${var.flavor}"');
  });

  it('through a local too', async () => {
    const text = CALLER.replace('"../modules/${var.flavor}"', '"../modules/${local.flavor}"') + '\nlocals {\n  flavor = var.flavor\n}\n';
    const r = await processMemory(
      [
        { path: 'live/main.tofu', text },
        { path: 'modules/ddb/main.tf', text: MODULE },
      ],
      'scan',
    );
    expect(rows(r)).toContainEqual(['live/main.tofu', 'module.tables', 'aws-managed', false]);
  });

  it('in a .tf file: read as OpenTofu does, with a note that Terraform rejects it', async () => {
    const r = await processMemory(
      [
        { path: 'live/main.tf', text: CALLER },
        { path: 'modules/ddb/main.tf', text: MODULE },
      ],
      'scan',
    );
    expect(rows(r)).toContainEqual(['live/main.tf', 'module.tables', 'aws-managed', false]);
    expect(notes(r)).toEqual([
      expect.stringContaining(
        'live/main.tf:6:1: module "tables" has source = "../modules/${var.flavor}", which Terraform rejects ("Variables not allowed") and OpenTofu 1.8+ evaluates',
      ),
    ]);
  });

  it('set by a var-file: not followed (a note), and each folder it may name is a module others call: its callers decide its key', async () => {
    const files = [
      { path: 'main.tofu', text: CALLER.replace('../modules/', './modules/') },
      { path: 'prod.tfvars', text: 'flavor = "ddb"\n' },
      { path: 'modules/ddb/main.tf', text: ROOT_TABLE },
      { path: 'elsewhere/app/main.tf', text: ROOT_TABLE },
    ];
    const r = await processMemory(files, 'fix');
    expect(notes(r)).toEqual([
      expect.stringContaining(
        'main.tofu:6:1: module "tables" has source = "./modules/${var.flavor}": flavor is set per environment by prod.tfvars (-var-file), ' +
          'so kmsfix does not follow the call; every folder it may name (./modules/*) is read as a module others call',
      ),
    ]);
    // The same table in a folder no call may name is fixed in place; the one the call may name is not.
    expect(rows(r)).toEqual([
      ['modules/ddb/main.tf', 'aws_dynamodb_table.t', 'aws-managed', false],
      ['elsewhere/app/main.tf', 'aws_dynamodb_table.t', 'aws-managed', true],
    ]);
  });
});

describe('templateSources', () => {
  it('reads a local template source, and the folders it may name', () => {
    expect(templateSource('"../modules/${var.flavor}"')).toBe('../modules/${var.flavor}');
    expect(templateSource('"../modules/ddb"')).toBeUndefined();
    expect(templateSource('"git::https://x/${var.v}"')).toBeUndefined();
    expect(mayName('../modules/${var.flavor}', '../modules/ddb')).toBe(true);
    expect(mayName('./modules/${var.flavor}/table', 'modules/ddb/table')).toBe(true);
    expect(mayName('../modules/${var.flavor}', '../other/ddb')).toBe(false);
    expect(mayName('../modules/${var.flavor}', '')).toBe(false);
  });
});
