/**
 * A key that falls back to the AWS managed key when its value is not there (`try(x, null)` whose first
 * value kmsfix cannot read, `lookup(map, "k", null)`: maps are not evaluated) is not known to be
 * customer-managed: `unknown`, as `cond ? key : null` is, never `customer-managed` (the table would be
 * counted compliant and never fixed).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string, key: string, head = '') =>
  `resource "aws_dynamodb_table" "${name}" {\n${head}  name     = "${name}"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = ${key}\n  }\n}\n`;

it('try(..., null) and lookup(..., null) over values the code does not give are unknown, with why', async () => {
  const text = [
    'variable "tables" {\n  type = map(any)\n}\n',
    'variable "config" {\n  type = any\n}\n',
    table('each', 'try(each.value.kms_key_arn, null)', '  for_each = var.tables\n'),
    table('lookup', 'lookup(var.config, "kms_key_arn", null)'),
    table('lookup_empty', 'lookup(var.config, "kms_key_arn", "")'),
    // A fallback that is itself a customer-managed key, and a plain reference: customer-managed, as before.
    table('keyed_fallback', 'try(each.value.kms_key_arn, aws_kms_key.k.arn)', '  for_each = var.tables\n'),
    table('plain', 'aws_kms_key.k.arn'),
  ].join('\n');
  const r = await processMemory([{ path: 'main.tf', text }], 'scan');
  const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
  for (const name of ['each', 'lookup', 'lookup_empty']) {
    const t = by.get(`aws_dynamodb_table.${name}`)!;
    expect(t.status, name).toBe('unknown');
    expect(t.compliant).toBe(false);
  }
  expect(by.get('aws_dynamodb_table.each')!.message).toContain(
    'kms_key_arn = try(each.value.kms_key_arn, null): the AWS managed key when its first value cannot be read, which the code alone does not tell',
  );
  expect(by.get('aws_dynamodb_table.lookup')!.message).toContain('the AWS managed key when the map has no such key');
  expect(by.get('aws_dynamodb_table.keyed_fallback')!.status).toBe('customer-managed');
  expect(by.get('aws_dynamodb_table.plain')!.status).toBe('customer-managed');
});

it("a root module's choice whose condition its default decides is read at the branch it takes", async () => {
  const provider = 'provider "aws" {\n  region = "eu-west-1"\n}\n';
  const scan = async (def: string, key: string) => {
    const text = [provider, `variable "create_key" {\n  default = ${def}\n}\n`, table('t', key)].join('\n');
    const t = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    return [t.status, t.fixable];
  };
  expect(await scan('true', 'var.create_key ? aws_kms_key.k[0].arn : null')).toEqual(['customer-managed', false]);
  expect(await scan('false', 'var.create_key ? aws_kms_key.k[0].arn : null')).toEqual(['aws-managed', true]);
  // The branch taken falls back to the AWS managed key (try(x, null)): unknown, as written alone.
  expect(await scan('true', 'var.create_key ? try(aws_kms_key.k[0].arn, null) : null')).toEqual(['unknown', false]);
  expect(await scan('false', 'var.create_key ? null : try(aws_kms_key.k[0].arn, null)')).toEqual(['unknown', false]);
  // A reusable module's variable (no provider, no default): the condition is not known.
  const reusable = [`variable "create_key" {\n  type = bool\n}\n`, table('t', 'var.create_key ? aws_kms_key.k[0].arn : null')].join('\n');
  expect((await processMemory([{ path: 'main.tf', text: reusable }], 'scan')).outcomes[0].tables[0].status).toBe('unknown');
});

it('a key indexed by anything but a number (count.index, each.key, a string, a splat) is read as one indexed by a number (itgix/tf-module-dynamodb)', async () => {
  const provider = 'provider "aws" {\n  region = "eu-west-1"\n}\n';
  const scan = async (def: string, key: string, head = '') => {
    const text = [provider, `variable "use" {\n  default = ${def}\n}\n`, table('t', key, head)].join('\n');
    const t = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
    return t.status;
  };
  for (const [key, head] of [
    ['aws_kms_key.k[count.index].arn', '  count = 2\n'],
    ['aws_kms_key.m[each.key].arn', '  for_each = toset(["a", "b"])\n'],
    ['aws_kms_key.m["a"].arn', ''],
    ['aws_kms_key.m["a]"].arn', ''],
    ['aws_kms_key.m[element(keys(var.m), var.m["x"])].arn', ''],
  ]) {
    // Was customer-managed whatever the condition (the expression did not read): the AWS managed key by default.
    expect(await scan('false', `var.use ? ${key} : null`, head), key).toBe('aws-managed');
    expect(await scan('true', `var.use ? ${key} : null`, head), key).toBe('customer-managed');
  }
  // The condition read per instance (each.value): unknown.
  const each = table('t', 'each.value.own_key ? aws_kms_key.m[each.key].arn : null', '  for_each = var.tables\n');
  const text = ['variable "tables" {\n  type = map(any)\n}\n', each].join('\n');
  const t = (await processMemory([{ path: 'main.tf', text }], 'scan')).outcomes[0].tables[0];
  expect(t.status).toBe('unknown');
  expect(t.message).toContain('the AWS managed key when each.value.own_key is false, which the code alone does not tell');
});
