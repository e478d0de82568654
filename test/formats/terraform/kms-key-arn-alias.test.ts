/**
 * --kms-key-arn with an alias ARN in Terraform: not written into kms_key_arn (the provider reads the table's key back
 * as the key's ARN, and every later plan would update the table again: terraform-aws-modules/terraform-aws-dynamodb-table#92),
 * but as a data "aws_kms_key" whose key_id is the alias ARN, through the table's provider, and its .arn; only where the
 * provider's Region is a literal, the alias's (session 64).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const ALIAS = 'arn:aws:kms:us-east-1:111122223333:alias/orders';
const TABLE = (provider = '') =>
  `resource "aws_dynamodb_table" "orders" {\n${provider}  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;

async function fix(text: string) {
  const r = await processMemory([{ path: 'main.tf', text }], 'fix', { kmsKeyArn: ALIAS });
  expect(r.outcomes[0].error).toBeUndefined();
  const t = r.outcomes[0].tables[0];
  return {
    out: r.output.get('main.tf')!,
    fixed: t.fixed === true,
    declined: t.fixed ? undefined : t.message.split('Not fixable automatically: ')[1],
  };
}

describe('--kms-key-arn alias ARN in Terraform', () => {
  it("the key it names through a data aws_kms_key of the table's provider, in the alias's Region", async () => {
    const r = await fix(`provider "aws" {\n  region = "us-east-1"\n}\n\n${TABLE()}`);
    expect(r.fixed).toBe(true);
    expect(r.out).toContain('    kms_key_arn = data.aws_kms_key.orders.arn\n');
    expect(r.out).toContain(`data "aws_kms_key" "orders" {\n  key_id = "${ALIAS}"\n}\n`);
    expect(r.out).not.toContain(`kms_key_arn = "${ALIAS}"`);
  });

  it("reuses the module's data source of that alias ARN and provider", async () => {
    const own = `data "aws_kms_key" "app" {\n  key_id = "${ALIAS}"\n}\n\n`;
    const r = await fix(`provider "aws" {\n  region = "us-east-1"\n}\n\n${own}${TABLE()}`);
    expect(r.out).toContain('kms_key_arn = data.aws_kms_key.app.arn');
    expect(r.out.match(/data "aws_kms_key"/g)).toHaveLength(1);
  });

  it('declines a table of another Region, or whose Region kmsfix cannot read', async () => {
    const west = await fix(`provider "aws" {\n  region = "eu-west-1"\n}\n\n${TABLE()}`);
    expect(west.declined).toBe(
      "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (the default provider): a table's key must be in its Region",
    );
    const unknown = await fix(`provider "aws" {\n  region = var.region\n}\n\n${TABLE()}`);
    expect(unknown.declined).toContain('is an alias ARN, which kmsfix writes as data "aws_kms_key"');
    expect(unknown.declined).toContain('data.aws_kms_alias.a.target_key_arn');
    expect((await fix(TABLE())).fixed).toBe(false);
  });
});
