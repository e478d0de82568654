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

// A unit deploying the folder from this repository's origin at a ref (deploy review, session 56, 4), and units
// terragrunt does not deploy, or may not (adversarial pass, session 56, F4).
const ORIGIN =
  '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://GitHub.com/acme/infra\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';

describe('commit message: a unit deploying the folder from this repository at a ref', () => {
  it('is listed apart, with its ref and when the fix reaches it, and counted nowhere', async () => {
    const m = await message([
      { path: '.git/config', text: ORIGIN },
      { path: 'live/prod/ddb/terragrunt.hcl', text: unit('prod', 'git::git@github.com:acme/infra.git//modules/ddb?ref=v1.0.0') },
      { path: 'live/dev/ddb/terragrunt.hcl', text: unit('dev', 'github.com/acme/infra//modules/ddb') },
    ]);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    const apart = flat.split("Deployed from this repository's origin at a ref, not by this commit: ")[1].split(' Before deploying')[0];
    expect(apart).toContain(
      '* unit live/prod/ddb (terragrunt.hcl:5), through aws_dynamodb_table.t (modules/ddb/main.tf:5): deploys its module from ' +
        'this repository\'s origin at ref v1.0.0 (source = "git::git@github.com:acme/infra.git//modules/ddb?ref=v1.0.0"), not this ' +
        "work tree's copy; the fix reaches it only once a commit or tag with this change is released and the unit's ref moved to it",
    );
    expect(apart).toContain(
      "* unit live/dev/ddb (terragrunt.hcl:5), through aws_dynamodb_table.t (modules/ddb/main.tf:5): deploys its module from this repository's origin at its default branch",
    );
    expect(apart).toContain('the fix reaches it once this change is merged to the default branch');
    expect(flat.split('Tables: ')[1].split(' Deployed from')[0]).not.toContain('unit ');
    expect(flat).not.toContain('each create the module');
  });

  it('another repository, another folder, or a work tree without origin: not listed', async () => {
    for (const files of [
      [
        { path: '.git/config', text: ORIGIN },
        { path: 'live/a/terragrunt.hcl', text: unit('a', 'git::git@github.com:acme/other.git//modules/ddb?ref=v1') },
        { path: 'live/b/terragrunt.hcl', text: unit('b', 'git::git@github.com:acme/infra.git//modules/cache?ref=v1') },
      ],
      [
        { path: '.git/config', text: '[core]\n\tbare = false\n' },
        { path: 'live/a/terragrunt.hcl', text: unit('a', 'git::git@github.com:acme/infra.git//modules/ddb?ref=v1') },
      ],
    ]) {
      const m = await message(files);
      expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
      expect(m).not.toContain('unit ');
    }
  });
});

describe('commit message: units terragrunt does not deploy', () => {
  const skipped = (env: string, lines: string) => `${lines}\n\n${unit(env)}`;

  it('skip = true and an exclude of apply are not listed or counted; an exclude of plan alone is', async () => {
    const m = await message([
      { path: 'live/skip/ddb/terragrunt.hcl', text: skipped('skip', 'skip = true') },
      { path: 'live/old/ddb/terragrunt.hcl', text: skipped('old', 'exclude {\n  if      = true\n  actions = ["all"]\n}') },
      { path: 'live/prod/ddb/terragrunt.hcl', text: skipped('prod', 'exclude {\n  if      = true\n  actions = ["plan"]\n}') },
    ]);
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 1 terragrunt unit with customer-managed KMS keys');
    expect(m).toContain('unit live/prod/ddb');
    expect(m).not.toContain('live/skip');
    expect(m).not.toContain('live/old');
  });

  it('a skip that is not a literal: listed as may not deploy, counted in the notes, not the subject', async () => {
    const m = await message([
      { path: 'live/prod/ddb/terragrunt.hcl', text: unit('prod') },
      { path: 'live/old/ddb/terragrunt.hcl', text: skipped('old', 'skip = local.retired') },
    ]);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table and the tables of 1 terragrunt unit with customer-managed KMS keys');
    expect(flat).toContain('1 more terragrunt unit may deploy its folder too');
    expect(flat).toContain(
      '* unit live/old/ddb (terragrunt.hcl:7), through aws_dynamodb_table.t (modules/ddb/main.tf:5), was aws-owned; may not deploy at all: its skip = local.retired is not a literal kmsfix reads',
    );
    // The note counts the unit that may not deploy, and says so: the subject's 1 and the note's 2 differ for that reason.
    expect(flat).toContain("The 2 terragrunt units (1 of which may not deploy) listed with the tables each create the module's keys anew");
  });

  it('only units that may not deploy: none in the subject, the note says each may not', async () => {
    const m = await message([
      { path: 'live/old/ddb/terragrunt.hcl', text: skipped('old', 'skip = local.retired') },
      { path: 'live/qa/ddb/terragrunt.hcl', text: skipped('qa', 'exclude {\n  if      = local.off\n  actions = ["all"]\n}') },
    ]);
    const flat = m.replace(/\s+/g, ' ');
    expect(m.split('\n')[0]).toBe('Encrypt 1 DynamoDB table with customer-managed KMS keys');
    expect(flat).toContain('2 more terragrunt units may deploy its folder too');
    expect(flat).toContain(
      "The 2 terragrunt units (each of which may not deploy) listed with the tables each create the module's keys anew",
    );
  });
});
