/**
 * Calls of registry modules that create a Terraform state-lock table on the AWS managed key
 * (registryModules.ts LOCK_TABLE_MODULES: cloudposse/tfstate-backend, trussworks/bootstrap) were read as nothing,
 * the file not even past the prefilter (round 41, F3): each gets a note naming it and the way to a
 * customer-managed key, unless its dynamodb_enabled is a literal false. Nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { terraformEntry } from '../../../src/formats/terraform/entry.js';

const TEXT = `module "backend" {
  source  = "cloudposse/tfstate-backend/aws"
  version = "1.4.1"
  name    = "terraform"
}

module "bootstrap" {
  source        = "trussworks/bootstrap/aws"
  region        = "us-west-2"
  account_alias = "example"
}

module "no_lock" {
  source           = "git::https://github.com/cloudposse/terraform-aws-tfstate-backend.git?ref=1.4.1"
  dynamodb_enabled = false
}

module "maybe" {
  source           = "cloudposse/tfstate-backend/aws"
  dynamodb_enabled = var.lock_table
}
`;

describe('registry modules that create a state-lock table', () => {
  it('the prefilter lets such a file through', () => {
    expect(terraformEntry.prefilter(TEXT)).toBe(true);
  });

  it('a note for each call that creates the table, naming the switch or its absence; no table, nothing written', async () => {
    const files = [{ path: 'main.tf', text: TEXT }];
    const scan = await processMemory(files, 'scan');
    expect(scan.outcomes.flatMap((o) => o.tables)).toEqual([]);
    const notes = scan.outcomes.flatMap((o) => o.notes ?? []);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toContain(
      'main.tf:1:1: module "backend" calls cloudposse/tfstate-backend, which creates a Terraform state-lock DynamoDB table on the AWS managed key',
    );
    expect(notes[0]).toContain('set dynamodb_enabled = false and lock with S3 native locking (use_lockfile = true)');
    expect(notes[1]).toContain('main.tf:7:1: module "bootstrap" calls trussworks/bootstrap');
    expect(notes[1]).toContain('it has no input for a key');
    expect(notes[2]).toContain('module "maybe"');
    expect(notes[2]).toContain('(now dynamodb_enabled = var.lock_table)');
    const fix = await processMemory(files, 'fix');
    expect(fix.output.get('main.tf') ?? TEXT).toBe(TEXT);
  });
});
