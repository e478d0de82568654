/**
 * Override files merge into a module's `locals` and `variable` blocks too (overrideFiles.ts, evaluate.ts
 * mergedVariables): a local an override file sets replaces the primary's, an override's `default` replaces the
 * variable's, later override files (by name) win. Session 60's adversarial pass F1: both tables read
 * customer-managed from the primary files while Terraform deployed them with a null key (the AWS managed one).
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const CMK = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const table = (label: string, key: string) =>
  `resource "aws_dynamodb_table" "${label}" {\n  name     = "${label}"\n  hash_key = "pk"\n\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n\n` +
  `  server_side_encryption {\n    enabled     = true\n    kms_key_arn = ${key}\n  }\n}\n`;
const main =
  `variable "table_key" {\n  type    = string\n  default = "${CMK}"\n}\n\nlocals {\n  key = "${CMK}"\n}\n\n` +
  `${table('a', 'local.key')}\n${table('b', 'var.table_key')}`;

async function statuses(files: MemoryFile[]) {
  const rows = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables);
  return Object.fromEntries(rows.map((t) => [t.address, t.status]));
}

describe('terraform: override files over locals and variables', () => {
  it("an override file's local and variable default replace the primary's", async () => {
    expect(await statuses([{ path: 'main.tf', text: main }])).toEqual({
      'aws_dynamodb_table.a': 'customer-managed',
      'aws_dynamodb_table.b': 'customer-managed',
    });
    const files = [
      { path: 'main.tf', text: main },
      { path: 'override.tf', text: 'locals {\n  key = null\n}\n\nvariable "table_key" {\n  default = null\n}\n' },
    ];
    expect(await statuses(files)).toEqual({ 'aws_dynamodb_table.a': 'aws-managed', 'aws_dynamodb_table.b': 'aws-managed' });
    const rows = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables);
    expect(rows.find((t) => t.address === 'aws_dynamodb_table.b')!.message).toContain('table_key defaults to null (override.tf:5)');
  });

  it("the AWS managed key's ARN as an override's default", async () => {
    const managed = 'arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb';
    const files = [
      { path: 'main.tf', text: main },
      { path: 'k_override.tf', text: `variable "table_key" {\n  default = "${managed}"\n}\n` },
    ];
    expect((await statuses(files))['aws_dynamodb_table.b']).toBe('aws-managed');
  });

  it('an override that sets only the type keeps the default; a later override file (by name) wins', async () => {
    const typeOnly = [
      { path: 'main.tf', text: main },
      { path: 'override.tf', text: 'variable "table_key" {\n  type = string\n}\n' },
    ];
    expect((await statuses(typeOnly))['aws_dynamodb_table.b']).toBe('customer-managed');
    const nulled = main.replace(`default = "${CMK}"`, 'default = null');
    const two = (first: string, second: string) => [
      { path: 'main.tf', text: nulled },
      { path: 'a_override.tf', text: `variable "table_key" {\n  default = ${first}\n}\n` },
      { path: 'z_override.tf', text: `variable "table_key" {\n  default = ${second}\n}\n` },
    ];
    expect((await statuses(two('null', `"${CMK}"`)))['aws_dynamodb_table.b']).toBe('customer-managed');
    expect((await statuses(two(`"${CMK}"`, 'null')))['aws_dynamodb_table.b']).toBe('aws-managed');
  });

  it("a called local module's override file sets its local", async () => {
    const files = [
      { path: 'modules/t/main.tf', text: `locals {\n  key = "${CMK}"\n}\n\n${table('t', 'local.key')}` },
      { path: 'modules/t/override.tf', text: 'locals {\n  key = null\n}\n' },
      { path: 'root/main.tf', text: 'module "t" {\n  source = "../modules/t"\n}\n' },
    ];
    const st = await statuses(files);
    expect(st['module.t']).toBe('aws-managed');
  });
});
