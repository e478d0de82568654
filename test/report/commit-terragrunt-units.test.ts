/**
 * The commit message of a fix whose Terraform module table is deployed by terragrunt units
 * (`terraform { source = "../../modules//ddb" }` in `live/<env>/ddb/terragrunt.hcl`: TableReport.units):
 * each unit applies the module with its own inputs and gets keys of its own, so the units are listed with
 * the tables this commit changes and counted, as a fixed module's `module` calls are (deploy review,
 * session 55: the message said "Encrypt 1 DynamoDB table" and named no unit).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';

const MODULE = `variable "name" {\n  type = string\n}\n\nresource "aws_dynamodb_table" "t" {\n  name         = var.name\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
const unit = (env: string, source = '../../../modules//ddb') =>
  `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "${source}"\n}\n\ninputs = {\n  name = "orders-${env}"\n}\n`;

async function message(files: { path: string; text: string }[]) {
  const r = await processMemory([{ path: 'modules/ddb/main.tf', text: MODULE }, ...files], 'fix');
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
}

describe('commit message: terragrunt units deploying a module folder fixed', () => {
  it('lists each unit under Tables through the module table, and counts it in the subject, first paragraph and cost note', async () => {
    const m = await message([
      { path: 'live/prod/ddb/terragrunt.hcl', text: unit('prod') },
      { path: 'live/dev/ddb/terragrunt.hcl', text: unit('dev') },
    ]);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 2 terragrunt units with customer-managed KMS keys');
    expect(flat).toContain(
      "Through their module's table, so are the tables of 2 terragrunt units that deploy its folder: terragrunt apply changes each unit's.",
    );
    const tables = flat.split('Tables: ')[1].split(' Before deploying')[0];
    expect(tables).toContain('* aws_dynamodb_table.t (modules/ddb/main.tf:5), was aws-owned');
    expect(tables).toContain('* unit live/dev/ddb (terragrunt.hcl:5), through aws_dynamodb_table.t (modules/ddb/main.tf:5), was aws-owned');
    expect(tables).toContain(
      '* unit live/prod/ddb (terragrunt.hcl:5), through aws_dynamodb_table.t (modules/ddb/main.tf:5), was aws-owned',
    );
    expect(tables).toContain('alias/dynamodb/<table name>), created for this unit');
    expect(m).not.toContain('Not changed');
    expect(flat).toContain("The 2 terragrunt units listed with the tables each create the module's keys anew, billed the same.");
  });

  it('module calls and units of one module are counted apart', async () => {
    const live = `module "orders" {\n  source = "../modules/ddb"\n  name   = "orders"\n}\n`;
    const m = await message([
      { path: 'live/main.tf', text: `provider "aws" {\n  region = "eu-west-1"\n}\n\n${live}` },
      { path: 'live/prod/ddb/terragrunt.hcl', text: unit('prod') },
    ]);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe(
      'Encrypt 1 DynamoDB table and the tables of 1 module call and 1 terragrunt unit with customer-managed KMS keys',
    );
    expect(flat).toContain('so are the tables of 1 Terraform module call: terraform apply');
    expect(flat).toContain('so are the tables of 1 terragrunt unit that deploys its folder');
    expect(flat).toContain('* module.orders (live/main.tf:5), through aws_dynamodb_table.t');
    expect(flat).toContain('* unit live/prod/ddb (terragrunt.hcl:5), through aws_dynamodb_table.t');
    expect(flat).toContain("The 1 module call and 1 terragrunt unit listed with the tables each create the module's keys anew");
  });

  it('a unit of another folder, of a registry module, or of its own folder is not listed', async () => {
    const m = await message([
      { path: 'live/prod/cache/terragrunt.hcl', text: unit('prod', '../../../modules//cache') },
      { path: 'live/prod/q/terragrunt.hcl', text: unit('prod', 'tfr:///terraform-aws-modules/sqs/aws?version=4.0.0') },
      { path: 'modules/ddb/terragrunt.hcl', text: unit('own', '.') },
    ]);
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    expect(m).not.toContain('unit');
  });
});
