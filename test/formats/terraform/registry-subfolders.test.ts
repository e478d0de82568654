/**
 * A registry module's subfolder (`//examples/global-tables`, `//wrappers`, cloudposse's `//examples/complete`) is
 * another module, with inputs of its own: only the root (no `//`, or `//` alone, with `?ref=`/`?version=`) is read
 * as the module (registryModules.ts ROOT). Round 41, F1: the root's inputs written into such a call failed
 * `terraform validate` (Unsupported argument). A `//wrappers` call or unit gets a note naming it.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n\n';

async function run(files: { path: string; text: string }[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  return {
    tables: scan.outcomes.flatMap((o) => o.tables),
    notes: scan.outcomes.flatMap((o) => o.notes ?? []),
    unchanged: files.every((f) => (fix.output.get(f.path) ?? f.text) === f.text),
  };
}

const call = (label: string, source: string, extra = '') =>
  `module "${label}" {\n  source = "${source}"\n  name   = "${label}"\n${extra}}\n`;

describe('registry module subfolders', () => {
  it('an //examples/... call is not read as the module: no table, nothing written', async () => {
    const r = await run([
      {
        path: 'main.tf',
        text:
          PROVIDER +
          call('ddb', 'terraform-aws-modules/dynamodb-table/aws//examples/global-tables') +
          call('cp', 'cloudposse/dynamodb/aws//examples/complete') +
          call('mi', 'git::https://github.com/mineiros-io/terraform-aws-dynamodb.git//examples/basic?ref=v0.6.0'),
      },
    ]);
    expect(r.tables).toEqual([]);
    expect(r.unchanged).toBe(true);
  });

  it('a //wrappers call: no table, nothing written, a note naming the call and where to set the encryption', async () => {
    const r = await run([
      {
        path: 'main.tf',
        text:
          PROVIDER +
          `module "tables" {\n  source  = "terraform-aws-modules/dynamodb-table/aws//wrappers"\n  version = "4.2.0"\n\n  items = {\n    orders = { name = "orders", hash_key = "id" }\n  }\n}\n`,
      },
    ]);
    expect(r.tables).toEqual([]);
    expect(r.unchanged).toBe(true);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toContain('main.tf:5:1: module "tables" calls terraform-aws-modules/dynamodb-table//wrappers');
    expect(r.notes[0]).toContain('in its defaults or in each entry of items');
  });

  it('a terragrunt unit deploying //wrappers (tfr:///...//wrappers?version=): no table, a note', async () => {
    const r = await run([
      {
        path: 'live/tables/terragrunt.hcl',
        text:
          'terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws//wrappers?version=4.2.0"\n}\n\n' +
          'inputs = {\n  defaults = { server_side_encryption_enabled = true }\n  items = { orders = { name = "orders", hash_key = "id" } }\n}\n',
      },
    ]);
    expect(r.tables).toEqual([]);
    expect(r.unchanged).toBe(true);
    expect(r.notes).toEqual([
      expect.stringContaining('live/tables/terragrunt.hcl:1:1: the terragrunt unit deploys terraform-aws-modules/dynamodb-table//wrappers'),
    ]);
  });

  it('the root, however written, is still the module (//, .git, ?ref=, ?version=)', async () => {
    const r = await run([
      {
        path: 'main.tf',
        text:
          PROVIDER +
          call('a', 'terraform-aws-modules/dynamodb-table/aws') +
          call('b', 'git::https://github.com/terraform-aws-modules/terraform-aws-dynamodb-table.git//?ref=v4.2.0') +
          call('c', 'github.com/terraform-aws-modules/terraform-aws-dynamodb-table?ref=v4.2.0') +
          call('d', 'git::https://github.com/cloudposse/terraform-aws-dynamodb.git?ref=tags/0.37.0') +
          call('e', 'mineiros-io/dynamodb/aws//'),
      },
    ]);
    expect(r.tables.map((t) => [t.address, t.status])).toEqual([
      ['module.a', 'aws-owned'],
      ['module.b', 'aws-owned'],
      ['module.c', 'aws-owned'],
      ['module.d', 'aws-managed'],
      ['module.e', 'aws-owned'],
    ]);
  });
});
