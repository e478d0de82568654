/**
 * A folder a module block around it calls is a child module, whatever its lock file says
 * (src/formats/terraform/callers.ts calledModule): a published module commits `.terraform.lock.hcl` for
 * its CI and is called by its own examples (tfstack/terraform-aws-dynamodb-table, round 36). A key
 * written into its table would override every caller's key input; with the call fixed too, both
 * aliases had one name (AlreadyExistsException at apply). One of the two is fixed, never both.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const LOCK =
  '# This file is maintained automatically by "terraform init".\n\nprovider "registry.terraform.io/hashicorp/aws" {\n  version = "6.10.0"\n}\n';

const table = (key: string) => `resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = var.server_side_encryption_enabled
    kms_key_arn = ${key}
  }
}
`;

const VARIABLES =
  'variable "name" {\n  type = string\n}\n\nvariable "server_side_encryption_enabled" {\n  type    = bool\n  default = true\n}\n\n' +
  'variable "kms_key_arn" {\n  type    = string\n  default = null\n}\n';

const CONDITIONAL = 'var.server_side_encryption_enabled && var.kms_key_arn != null ? var.kms_key_arn : null';

/** The module at `dir` (with its lock file), and `callers` (path -> the call's source). */
function tree(dir: string, key: string, callers: Record<string, string>): MemoryFile[] {
  const at = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  return [
    { path: at('main.tf'), text: table(key) },
    { path: at('variables.tf'), text: VARIABLES },
    { path: at('.terraform.lock.hcl'), text: LOCK },
    ...Object.entries(callers).map(([path, source]) => ({
      path,
      text: `provider "aws" {\n  region = "ap-southeast-2"\n}\n\nmodule "dynamodb_table" {\n  source = "${source}"\n  name   = "example-carts"\n}\n`,
    })),
  ];
}

async function scanAndFix(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const rows = scan.outcomes.flatMap((o) => o.tables);
  // The files the fix changed.
  const output = new Map([...fix.output].filter(([path, text]) => files.find((f) => f.path === path)!.text !== text));
  return { rows, output };
}

describe('a module folder with a lock file, called by a module block around it', () => {
  it('examples/standard calls the module (source = "../../"): the call is fixed, the module\'s table is not (one key, one alias)', async () => {
    const { rows, output } = await scanAndFix(tree('.', 'var.kms_key_arn', { 'examples/standard/main.tf': '../../' }));
    const own = rows.find((t) => t.address === 'aws_dynamodb_table.this')!;
    expect(own.fixable).toBe(false);
    expect(own.blocker).toContain(
      'this folder is not a root module (module.dynamodb_table of examples/standard/main.tf:5:1 calls it, which makes it a child module ' +
        "whatever its lock file, tfvars or provider block say: a key written here would override the caller's): kmsfix does not write a key into a reusable module",
    );
    // Not the other way out a folder without a call seen has (its own terraform.tfvars): this one is called.
    expect(own.blocker).not.toContain('if this folder is a root module');
    expect(rows.find((t) => t.address === 'module.dynamodb_table')!.fixable).toBe(true);
    expect(output.has('main.tf')).toBe(false);
    const call = output.get('examples/standard/main.tf')!;
    expect(call).toContain('kms_key_arn                    = aws_kms_key.dynamodb_table.arn');
    expect(call.match(/resource "aws_kms_alias"/g)).toHaveLength(1);
  });

  it("a key behind a condition on inputs: the module's table is not fixed, and the call's step names the inputs it can pass", async () => {
    const { rows, output } = await scanAndFix(tree('.', CONDITIONAL, { 'examples/standard/main.tf': '../../' }));
    expect(rows.find((t) => t.address === 'aws_dynamodb_table.this')!.fixable).toBe(false);
    expect(output.size).toBe(0);
    const call = rows.find((t) => t.address === 'module.dynamodb_table')!;
    expect(call.fixable).toBe(false);
    expect(call.blocker).toContain(
      "the module's table (aws_dynamodb_table.this, ../../main.tf:1) takes server_side_encryption.kms_key_arn through an expression of its inputs " +
        'var.server_side_encryption_enabled and var.kms_key_arn, not from one input kmsfix can pass a key to: set those inputs in this call by hand',
    );
    expect(call.blocker).not.toContain('from no input the call can pass');
  });

  it('the module folder alone (no call around it): its lock file makes it a root module, whose table is fixed in place', async () => {
    const { rows, output } = await scanAndFix(tree('.', CONDITIONAL, {}));
    expect(rows.find((t) => t.address === 'aws_dynamodb_table.this')!.fixable).toBe(true);
    expect(output.get('main.tf')).toContain('kms_key_arn = aws_kms_key.this.arn');
  });

  it('a call farther away than the module looks (live/prod -> ../../modules/table): the module is fixed in place, the call is not', async () => {
    const { rows, output } = await scanAndFix(tree('modules/table', 'var.kms_key_arn', { 'live/prod/main.tf': '../../modules/table' }));
    expect(rows.find((t) => t.address === 'aws_dynamodb_table.this')!.fixable).toBe(true);
    const call = rows.find((t) => t.address === 'module.dynamodb_table')!;
    expect(call.fixable).toBe(false);
    expect(call.blocker).toContain(
      "the module's folder (../../modules/table) has a sign of a root module (a provider or backend configuration, a lock file or tfvars) " +
        'and no call of it in the three folders above or below it, so kmsfix fixes aws_dynamodb_table.this',
    );
    expect(output.has('live/prod/main.tf')).toBe(false);
    expect(output.get('modules/table/main.tf')).toContain('kms_key_arn = aws_kms_key.this.arn');
  });
});
