/**
 * A child module's table and what its callers do with it through the module's outputs
 * (src/formats/terraform/callers.ts): a replica resource, a resource policy or a legacy global table in
 * the calling folder makes a fix of the module's table fail at apply (or lock a granted account out),
 * as the same resource beside the table does; scan and fix say so alike, and the module is left alone.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = `resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

const module = (extra = '') => [
  { path: 'table/variables.tf', text: 'variable "name" {\n  type = string\n}\n' },
  { path: 'table/main.tf', text: TABLE + extra },
  {
    path: 'table/outputs.tf',
    text: 'output "table_arn" {\n  value = aws_dynamodb_table.this.arn\n}\n\noutput "other" {\n  value = "x"\n}\n',
  },
];

const call = `module "orders" {
  source = "./table"
  name   = "orders"
}
`;

/** The module's table in scan and fix: fixable, blocker, and whether fix wrote it. */
async function moduleTable(root: string, extra = '') {
  const files = [{ path: 'main.tf', text: call + root }, ...module(extra)];
  const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
  const of = (r: typeof scan) => r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table.this')!;
  expect(of(fix).fixable).toBe(of(scan).fixable);
  expect(of(fix).blocker).toBe(of(scan).blocker);
  // The call's own row gives the same reason first (not "kmsfix fixes that table where it scans the module").
  const callRow = scan.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'module.orders')!;
  if (of(scan).fixable === false) expect(callRow.blocker?.split(': ')[0]).toBe(of(scan).blocker?.split(': ')[0]);
  return { fixable: of(scan).fixable, blocker: of(scan).blocker ?? '', fixed: of(fix).fixed === true };
}

describe("a child module's table, through its callers", () => {
  it('a replica resource of the calling folder on the module output: the global table is not fixed alone', async () => {
    const t = await moduleTable(`
resource "aws_dynamodb_table_replica" "dr" {
  provider         = aws.dr
  global_table_arn = module.orders.table_arn
}
`);
    expect(t.fixable).toBe(false);
    expect(t.fixed).toBe(false);
    expect(t.blocker).toContain('it is the global table of aws_dynamodb_table_replica.dr of main.tf (through module.orders)');
  });

  it("the replica resource's status is its module table's, as the call configures it", async () => {
    const files = [
      { path: 'main.tf', text: `${call}\nresource "aws_dynamodb_table_replica" "dr" {\n  global_table_arn = module.orders.table_arn\n}\n` },
      ...module(),
    ];
    const r = await processMemory(files, 'scan');
    const dr = r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table_replica.dr')!;
    expect(dr.status).toBe('aws-owned');
    expect(dr.message).toContain('the replica uses the encryption of its table module.orders, which uses the AWS owned key');
  });

  it('a resource policy on the module output granting another account', async () => {
    const t = await moduleTable(`
resource "aws_dynamodb_resource_policy" "partner" {
  resource_arn = module.orders.table_arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "dynamodb:GetItem", Resource = "*" }]
  })
}
`);
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain(
      'aws_dynamodb_resource_policy.partner of main.tf (through module.orders) grants principals of account 111122223333',
    );
  });

  it('a zero-ETL integration of the caller reading the module output (adversarial pass)', async () => {
    const t = await moduleTable(`
resource "aws_redshift_integration" "etl" {
  integration_name = "etl"
  source_arn       = module.orders.table_arn
  target_arn       = "arn:aws:redshift-serverless:eu-west-1:111122223333:namespace/n"
}
`);
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('the zero-ETL integration aws_redshift_integration.etl of main.tf (through module.orders)');
  });

  it('a legacy global table that depends on the call', async () => {
    const t = await moduleTable(`
resource "aws_dynamodb_global_table" "g" {
  depends_on = [module.orders]
  name       = "orders"
  replica {
    region_name = "us-east-1"
  }
}
`);
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('aws_dynamodb_global_table.g of main.tf joins it into a global table (through module.orders)');
    expect(t.blocker).toContain('2017.11.29');
  });

  it('what names another output, or another module, changes nothing; a provider block does not make a called folder a root module', async () => {
    const other = await moduleTable(`
resource "aws_dynamodb_table_replica" "dr" {
  global_table_arn = module.orders.other
}

resource "aws_dynamodb_table_replica" "elsewhere" {
  global_table_arn = module.orders_old.table_arn
}
`);
    expect(other).toEqual({ fixable: true, blocker: '', fixed: true });
    // A folder main.tf calls is a child module even with a provider configuration (callers.ts calledModule, session 53):
    // the caller's replica on its output still stops the fix (it was taken for a root module, and fixed).
    const root = await moduleTable(
      `
resource "aws_dynamodb_table_replica" "dr" {
  global_table_arn = module.orders.table_arn
}
`,
      'provider "aws" {\n  region = "us-east-1"\n}\n',
    );
    expect(root.fixable).toBe(false);
    expect(root.blocker).toContain('aws_dynamodb_table_replica.dr of main.tf (through module.orders)');
  });

  it("a call in a module others call, passing that module's own key variable (root -> app -> table, storacha/storoku's layout): its callers' key is kept", async () => {
    const leaf = `variable "kms_key_arn" {\n  default = null\n}\n\nresource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.kms_key_arn\n  }\n}\n`;
    const app = `variable "kms_key_arn" {\n  default = null\n}\n\nmodule "tables" {\n  source      = "../dynamodb"\n  kms_key_arn = var.kms_key_arn\n}\n`;
    const root = `resource "aws_kms_key" "k" {}\n\nmodule "app" {\n  source      = "./modules/app"\n  kms_key_arn = aws_kms_key.k.arn\n}\n`;
    const files = [
      { path: 'main.tf', text: root },
      { path: 'modules/app/main.tf', text: app },
      { path: 'modules/dynamodb/main.tf', text: leaf },
    ];
    const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
    const call = scan.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'module.tables')!;
    expect(call.fixable).toBe(false);
    expect(call.blocker).toContain("its encryption comes from var.kms_key_arn of this module, which the module's callers set");
    // Nothing written: the middle module's call keeps passing its callers' key.
    for (const f of files) expect(fix.output.get(f.path) ?? f.text, f.path).toBe(f.text);
  });
});
