/**
 * The commit message of a fix whose Terraform module table gives the module's calls their keys
 * (TableReport.through): the calls are listed with the tables this commit changes, not as left for a
 * manual step, and the notes that count tables count them (deploy review, session 55).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';

const PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n';
const MODULE = `variable "name" {\n  type = string\n}\n\nresource "aws_dynamodb_table" "default" {\n  name         = var.name\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n  server_side_encryption {\n    enabled = true\n  }\n}\n`;
const call = (name: string) => `module "${name}" {\n  source = "../modules/inbox"\n  name   = "${name}"\n}\n`;

async function message(live: string) {
  const r = await processMemory(
    [
      { path: 'live/main.tf', text: live },
      { path: 'modules/inbox/main.tf', text: MODULE },
    ],
    'fix',
  );
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
}

describe('commit message: Terraform module calls fixed through their module', () => {
  it('lists each call under Tables through its module table, not under Not changed, and counts it', async () => {
    const m = await message(`${PROVIDER}\n${call('orders_inbox')}\n${call('customers_inbox')}`);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 2 module calls with customer-managed KMS keys');
    expect(flat).toContain(
      "Through their module's table, so are the tables of 2 Terraform module calls: terraform apply changes each call's.",
    );
    const tables = flat.split('Tables: ')[1].split(' Before deploying')[0];
    expect(tables).toContain(
      '* module.orders_inbox (live/main.tf:5), through aws_dynamodb_table.default (modules/inbox/main.tf:5), was aws-managed',
    );
    expect(tables).toContain(
      '* module.customers_inbox (live/main.tf:10), through aws_dynamodb_table.default (modules/inbox/main.tf:5), was aws-managed',
    );
    expect(tables).toContain('alias/dynamodb/<table name>), created for this call');
    expect(m).not.toContain('Not changed');
    expect(flat).toContain("The 2 module calls listed with the tables each create the module's keys anew, billed the same.");
  });

  it('a message without such calls is unchanged', async () => {
    const r = await processMemory([{ path: 'main.tf', text: `${PROVIDER}\n${MODULE.replace('var.name', '"orders"')}` }], 'fix');
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
    expect(m.split('\n').slice(0, 4)).toEqual([
      'Encrypt 1 DynamoDB table with customer-managed KMS keys',
      '',
      'kmsfix 0.0.0 changed 1 file so that 1 DynamoDB table is encrypted with a',
      'customer-managed KMS key instead of an AWS owned or AWS managed key.',
    ]);
    expect(m).toContain(
      '\n* Cost: each new key costs $1 per month, $2 after its first yearly\n  rotation and $3 from the second on, plus $0.03 per 10,000 requests.\n* KMS',
    );
  });
});
