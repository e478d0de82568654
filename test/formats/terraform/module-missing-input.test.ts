/**
 * A module's table that takes one encryption setting from a variable and the other from none (round 37, R3;
 * e-lopezc/serverless-product-catalog-api: `enabled = var.server_side_encryption`, no key): neither its call
 * (no input for the key) nor the module's folder (a reusable module, its callers set the switch) is fixed, and
 * each row's step pointed at the other. Both steps now name the input to add to the module, with the default
 * that keeps every call as it is (src/formats/terraform/addedInput.ts).
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const module = (sse: string, extra = '') => `variable "table_name" {
  type = string
}

variable "server_side_encryption" {
  type    = bool
  default = false
}
${extra}
resource "aws_dynamodb_table" "this" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
${sse}  }
}
`;
const CALL =
  'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "table" {\n  source     = "../../modules/dynamodb"\n  table_name = "products"\n}\n';

async function rows(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const by = new Map(scan.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
  return {
    call: by.get('module.table')!,
    table: by.get('aws_dynamodb_table.this')!,
    changed: fix.outcomes.some((o) => o.newText !== undefined),
  };
}

describe('a module table with a switch input and no key input', () => {
  it('both rows name the key variable to add; neither says the other fixes it', async () => {
    const { call, table, changed } = await rows([
      { path: 'environments/dev/main.tf', text: CALL },
      { path: 'modules/dynamodb/main.tf', text: module('    enabled = var.server_side_encryption\n') },
    ]);
    expect([call.fixable, table.fixable, changed]).toEqual([false, false, false]);
    const add =
      'add variable "kms_key_arn" (type = string, default = null) (its default keeps every call as it is) and read it in the ' +
      "table's server_side_encryption block (kms_key_arn = var.kms_key_arn)";
    expect(call.blocker).toContain(`reusable module). A${add.slice(1)} in the module, then run kmsfix again`);
    expect(call.blocker).not.toContain('a fix of a tree that holds the module fixes this call too');
    expect(table.blocker).toContain(
      `It has no input for server_side_encryption.kms_key_arn, so no call can pass it: ${add}, then run kmsfix again`,
    );
  });

  it('a name the module uses already is not offered, and a literal key is the default', async () => {
    const { call } = await rows([
      { path: 'environments/dev/main.tf', text: CALL },
      {
        path: 'modules/dynamodb/main.tf',
        text: module(
          '    enabled     = var.server_side_encryption\n    kms_key_arn = "alias/aws/dynamodb"\n',
          '\nvariable "kms_key_arn" {\n  type    = string\n  default = null\n}\n',
        ),
      },
    ]);
    expect(call.blocker).toContain('Add variable "server_side_encryption_kms_key_arn" (type = string, default = "alias/aws/dynamodb")');
  });

  it('once the module has the input, the call is fixed (the step is right)', async () => {
    const { call, changed } = await rows([
      { path: 'environments/dev/main.tf', text: CALL },
      {
        path: 'modules/dynamodb/main.tf',
        text: module(
          '    enabled     = var.server_side_encryption\n    kms_key_arn = var.kms_key_arn\n',
          '\nvariable "kms_key_arn" {\n  type    = string\n  default = null\n}\n',
        ),
      },
    ]);
    expect([call.fixable, changed]).toEqual([true, true]);
  });

  it('a module whose table sets its encryption itself keeps the step that a scan of its folder fixes it', async () => {
    const { call, table } = await rows([
      { path: 'environments/dev/main.tf', text: CALL },
      { path: 'modules/dynamodb/main.tf', text: module('    enabled = false\n') },
    ]);
    expect(call.blocker).toContain('a fix of a tree that holds the module fixes this call too');
    expect(table.fixable).toBe(true);
  });
});
