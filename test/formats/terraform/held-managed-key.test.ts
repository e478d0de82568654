/**
 * A kms_key_arn kmsfix does not evaluate, reading a local or variable that holds the AWS managed key's alias
 * (adversarial pass of session 64): `tostring(local.managed)`, `local.list[0]`, `element(local.list, 0)`, `one([...])`
 * were customer-managed, the reason quoting the local's value `arn:...:alias/aws/dynamodb`. They may be that key:
 * unknown, naming the local. A key the module's values decide (a choice, a map entry it picks) is read as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const header = `resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
variable "use_cmk" {
  default = true
}
locals {
  managed = "arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb"
  list    = [local.managed]
  keys    = { dev = local.managed, prod = aws_kms_key.k.arn }
}
`;
const table = (key: string) => `resource "aws_dynamodb_table" "t" {
  name         = "t"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = ${key}
  }
}
`;
const scan = async (key: string) => (await processMemory([{ path: 'main.tf', text: header + table(key) }], 'scan')).outcomes[0].tables[0];

describe('a key through a local holding the AWS managed key', () => {
  it.each([
    'tostring(local.managed)',
    'one([local.managed])',
    'lower(local.managed)',
    'local.list[0]',
    'element(local.list, 0)',
    'concat(local.list, [])[0]',
    '[for x in local.list : x][0]',
  ])('%s: unknown, naming the local', async (key) => {
    const t = await scan(key);
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/may be the AWS managed key alias\/aws\/dynamodb \(local\.(managed|list) holds it\)/);
  });

  it.each([
    'local.keys["prod"]',
    'local.keys.prod',
    'lookup(local.keys, "prod")',
    'var.use_cmk ? aws_kms_key.k.arn : local.managed',
    'tostring(aws_kms_key.k.arn)',
  ])('%s: the entry or branch the module decides, a key of the user: customer-managed as before', async (key) => {
    expect((await scan(key)).status).toBe('customer-managed');
  });

  it('a local read whole, or through a template, is still its value (aws-managed)', async () => {
    expect((await scan('local.managed')).status).toBe('aws-managed');
    expect((await scan('"${local.managed}"')).status).toBe('aws-managed');
  });
});
