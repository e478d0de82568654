/**
 * A table whose deletion protection is an expression (`deletion_protection_enabled = var.protect`):
 * a fix gives the key of a literally protected table `prevent_destroy`, which takes only a literal, so
 * it cannot follow the expression (a literal `true` would make every destroy fail where the table is
 * not protected). The key has none, and the fix says so: where the table is protected, the way out of a
 * failing destroy (terraform state rm of the table) must leave its key behind too.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (extra: string) =>
  `resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n${extra}\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
const VARIABLE = 'variable "protect" {\n  type    = bool\n  default = true\n}\n';

it.each([
  ['an input', '  deletion_protection_enabled = var.protect', true],
  ['a condition', '  deletion_protection_enabled = terraform.workspace == "prod"', true],
  ['a literal true (the key gets prevent_destroy)', '  deletion_protection_enabled = true', false],
  ['a literal false', '  deletion_protection_enabled = false', false],
  [
    'an input, and the table itself kept by prevent_destroy (so is its key)',
    '  deletion_protection_enabled = var.protect\n  lifecycle {\n    prevent_destroy = true\n  }',
    false,
  ],
])('deletion protection from %s', async (_, extra, caution) => {
  const text = VARIABLE + table(extra);
  const scanned = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
  expect(scanned.fixable).toBe(true);
  expect(scanned.message.includes("Deletion protection: the table's deletion_protection_enabled is")).toBe(caution);
  const r = await processMemory([{ path: 'main.tf', text }], 'fix');
  const out = r.output.get('main.tf')!;
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  // The key is protected exactly where the table is, literally.
  const key = out.slice(out.indexOf('resource "aws_kms_key"'));
  expect(key.slice(0, key.indexOf('\n}\n')).includes('prevent_destroy = true')).toBe(!caution && extra.includes('= true'));
  if (caution) expect(scanned.message).toContain(extra.split('= ')[1]);
});

/** A registry module call's deletion_protection_enabled input: the fix reads it as a table's (fix.ts), and so does the caution. */
const moduleCall = (extra: string) =>
  `module "orders" {\n  source   = "terraform-aws-modules/dynamodb-table/aws"\n  name     = "orders"\n  hash_key = "id"\n${extra}\n}\n`;

it.each([
  ['an input', '  deletion_protection_enabled = var.protect', true],
  ['a literal true (the key gets prevent_destroy)', '  deletion_protection_enabled = true', false],
])('a module call: deletion protection from %s', async (_, extra, caution) => {
  const text = VARIABLE + moduleCall(extra);
  const scanned = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
  expect(scanned.message.includes("Deletion protection: the table's deletion_protection_enabled is")).toBe(caution);
  const r = await processMemory([{ path: 'main.tf', text }], 'fix');
  const out = r.output.get('main.tf')!;
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  const key = out.slice(out.indexOf('resource "aws_kms_key"'));
  expect(key.slice(0, key.indexOf('\n}\n')).includes('prevent_destroy = true')).toBe(!caution);
});
