/**
 * A terragrunt unit in terragrunt's JSON form, `terragrunt.hcl.json`, is read as the same unit in HCL (its source,
 * inputs, includes and extra_arguments): the module folder it deploys gets the variables it sets (varSources.ts), a
 * table whose key reads one is unknown, naming the unit, and never fixed. Before (session 55, Terraform round F6),
 * the file was not read: the module's default null was read (aws-managed) and a fix replaced the key the unit passes.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { DEFAULT_FIX_OPTIONS } from '../../../src/engine/pipeline.js';
import { run } from '../../../src/engine/run.js';
import { tempDir, writeTree } from '../../helpers/cli-helper.js';

const CMK = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MODULE = `variable "table_kms_key_arn" {
  type    = string
  default = null
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.table_kms_key_arn
  }
}

terraform {
  backend "s3" {}
}
`;
const json = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;
const UNIT = json({ terraform: { source: '../../../modules/orders' }, inputs: { table_kms_key_arn: CMK } });

async function orders(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.orders')!;
  return { t, changed: fix.outcomes.some((o) => o.newText !== undefined) };
}

describe('a terragrunt.hcl.json unit', () => {
  it('sets the inputs of the module folder it deploys: unknown, naming it, not fixed', async () => {
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'live/prod/orders/terragrunt.hcl.json', text: UNIT },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
    expect(t.message).toContain('table_kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl.json');
  });

  it("its labelled include's source and inputs, and its extra_arguments' var-files, are read as in HCL", async () => {
    const root = { path: 'live/root.hcl', text: 'terraform {\n  source = "${get_repo_root()}/modules/orders"\n}\n' };
    const include = { root: { path: '${find_in_parent_folders("root.hcl")}' } };
    const viaInclude = await orders([
      { path: '.git/HEAD', text: 'ref: refs/heads/main\n' },
      { path: 'modules/orders/main.tf', text: MODULE },
      root,
      { path: 'live/prod/orders/terragrunt.hcl.json', text: json({ include, inputs: { table_kms_key_arn: CMK } }) },
    ]);
    expect([viaInclude.t.status, viaInclude.changed]).toEqual(['unknown', false]);
    const varFile = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      {
        path: 'live/prod/orders/terragrunt.hcl.json',
        text: json({
          terraform: {
            source: '../../../modules/orders',
            extra_arguments: { env_vars: { commands: ['plan', 'apply'], required_var_files: ['${get_terragrunt_dir()}/prod.tfvars'] } },
          },
        }),
      },
      { path: 'live/prod/orders/prod.tfvars', text: `table_kms_key_arn = "${CMK}"\n` },
    ]);
    expect([varFile.t.status, varFile.changed]).toEqual(['unknown', false]);
    expect(varFile.t.message).toContain('table_kms_key_arn is set by ../../live/prod/orders/prod.tfvars');
  });

  it('a unit of another folder, or that sets other inputs, changes nothing', async () => {
    const other = json({ terraform: { source: '../../../modules/other' }, inputs: { table_kms_key_arn: CMK } });
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'live/prod/orders/terragrunt.hcl.json', text: other },
    ]);
    expect([t.status, changed]).toEqual(['aws-managed', true]);
  });

  it('is found on disk, in the scanned trees', async () => {
    const dir = tempDir('tg-json');
    const write = (p: string, text: string) => writeTree(dir, { [p]: text });
    write('modules/orders/main.tf', MODULE);
    write('live/prod/orders/terragrunt.hcl.json', UNIT);
    const r = await run(['.'], { ...DEFAULT_FIX_OPTIONS, cwd: dir, mode: 'fix' as const, workers: 0 });
    const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.orders')!;
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(r.outcomes.every((o) => o.newText === undefined)).toBe(true);
  });
});
