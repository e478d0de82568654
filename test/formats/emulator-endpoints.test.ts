/**
 * A provider that sends DynamoDB to an emulator (LocalStack, DynamoDB Local) but not KMS and STS:
 * the key and the account lookup a fix generates would go to AWS with the emulator's mock
 * credentials, and plan would fail (brdd3v/aws-dynamodb-exp). Such a table is reported and not fixed
 * (src/rule/emulator.ts; Terraform's endpoints block, Pulumi's and CDKTF's provider endpoints), unless
 * --kms-key-arn gives the key.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const TABLE = (provider = '') => `resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
${provider}
  attribute {
    name = "id"
    type = "S"
  }
}
`;

const providers = (endpoints: string, alias = '') => `provider "aws" {
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
${alias}
  endpoints {
${endpoints}
  }
}
`;

async function table(files: Record<string, string>, main = TABLE(), kmsKeyArn?: string) {
  const all = [{ path: 'main.tf', text: main }, ...Object.entries(files).map(([path, text]) => ({ path, text }))];
  const [scan, fix] = await Promise.all([processMemory(all, 'scan'), processMemory(all, 'fix', kmsKeyArn ? { kmsKeyArn } : {})]);
  const of = (r: typeof scan) => r.outcomes.flatMap((o) => o.tables).find((t) => t.address === 'aws_dynamodb_table.t')!;
  return { fixable: of(scan).fixable, blocker: of(scan).blocker ?? '', fixed: of(fix).fixed === true };
}

describe('a provider that sends DynamoDB to an emulator', () => {
  it('DynamoDB alone at LocalStack: not fixed, the step names the endpoints to add', async () => {
    const t = await table({ 'provider.tf': providers('    dynamodb = "http://localhost:4566"') });
    expect(t).toMatchObject({ fixable: false, fixed: false });
    expect(t.blocker).toContain('the provider aws sends DynamoDB to "http://localhost:4566"');
    expect(t.blocker).toContain('but not KMS and STS');
    expect(t.blocker).toContain('Add kms = "http://localhost:4566" and sts = "http://localhost:4566" to its endpoints (tflocal');
    const kmsOnly = await table({ 'provider.tf': providers('    dynamodb = "http://localhost:4566"\n    kms = "http://localhost:4566"') });
    expect(kmsOnly.blocker).toContain('but not STS:');
  });

  it('with KMS and STS sent there too, or an AWS endpoint of DynamoDB, or another provider: fixed', async () => {
    const all = '    dynamodb = "http://localhost:4566"\n    kms      = "http://localhost:4566"\n    sts      = "http://localhost:4566"';
    expect(await table({ 'provider.tf': providers(all) })).toMatchObject({ fixable: true, fixed: true });
    const fips = providers('    dynamodb = "https://dynamodb-fips.us-east-1.amazonaws.com"');
    expect(await table({ 'provider.tf': fips })).toMatchObject({ fixable: true, fixed: true });
    // The emulator's provider is an alias the table does not use.
    const aliased =
      providers('    dynamodb = "http://localhost:8000"', '  alias = "local"') + 'provider "aws" {\n  region = "us-east-1"\n}\n';
    expect(await table({ 'provider.tf': aliased })).toMatchObject({ fixable: true, fixed: true });
    // ... and one it does use.
    const through = await table({ 'provider.tf': aliased }, TABLE('  provider     = aws.local\n'));
    expect(through).toMatchObject({ fixable: false, fixed: false });
    expect(through.blocker).toContain('the provider aws.local sends DynamoDB to "http://localhost:8000"');
  });

  it('--kms-key-arn fixes it: the fix adds nothing that calls KMS or STS', async () => {
    const arn = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect((await table({ 'provider.tf': providers('    dynamodb = "http://localhost:4566"') }, TABLE(), arn)).fixed).toBe(true);
  });

  it('Terraform JSON syntax', async () => {
    const json = JSON.stringify(
      { provider: { aws: [{ region: 'us-east-1', endpoints: [{ dynamodb: 'http://localhost:4566' }] }] } },
      null,
      2,
    );
    expect(await table({ 'provider.tf.json': json })).toMatchObject({ fixable: false, fixed: false });
  });
});

describe('a Pulumi or CDKTF provider of the file that sends DynamoDB to an emulator', () => {
  const program = (endpoints: string, opts = '{ provider: localstack }') => `import * as aws from "@pulumi/aws";
const localstack = new aws.Provider("localstack", {
    region: "us-east-1",
    skipCredentialsValidation: true,
    endpoints: [${endpoints}],
});
export const t = new aws.dynamodb.Table("t", { attributes: [{ name: "id", type: "S" }], hashKey: "id" }, ${opts});
`;
  async function pulumi(text: string) {
    const files = [{ path: 'index.ts', text }];
    const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
    const [t] = scan.outcomes[0].tables;
    return { fixable: t.fixable, blocker: t.blocker ?? '', fixed: fix.outcomes[0].tables[0].fixed === true };
  }

  it("Pulumi: DynamoDB alone at LocalStack through the table's provider: not fixed, the step names the endpoints", async () => {
    const t = await pulumi(program('{ dynamodb: "http://localhost:4566", s3: "http://localhost:4566" }'));
    expect(t).toMatchObject({ fixable: false, fixed: false });
    expect(t.blocker).toContain('the provider localstack sends DynamoDB to "http://localhost:4566"');
    expect(t.blocker).toContain('Add kms: "http://localhost:4566" and sts: "http://localhost:4566" to its endpoints');
  });

  it('Pulumi: every service a key calls sent there too, another provider, or none: fixed', async () => {
    const all = '{ dynamodb: "http://localhost:4566", kms: "http://localhost:4566", sts: "http://localhost:4566" }';
    expect(await pulumi(program(all))).toMatchObject({ fixable: true, fixed: true });
    expect(await pulumi(program('{ dynamodb: "http://localhost:4566" }', '{}'))).toMatchObject({ fixable: true, fixed: true });
  });

  it('CDKTF: an AwsProvider of the stack with such endpoints', async () => {
    const text = `import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const local = new AwsProvider(this, "aws", { region: "us-east-1", endpoints: [{ dynamodb: "http://localhost:8000" }] });
    new DynamodbTable(this, "t", { name: "t", hashKey: "id", attribute: [{ name: "id", type: "S" }], provider: local });
  }
}
`;
    const [t] = (await processMemory([{ path: 'main.ts', text }], 'scan')).outcomes[0].tables;
    expect([t.fixable, t.blocker]).toEqual([
      false,
      expect.stringContaining('the provider local sends DynamoDB to "http://localhost:8000"'),
    ]);
    // The stack's default provider (no alias), which a table without a provider uses; an aliased one it does not use.
    const byDefault = text.replace(', provider: local', '');
    const [d] = (await processMemory([{ path: 'main.ts', text: byDefault }], 'scan')).outcomes[0].tables;
    expect(d.blocker).toContain("the provider aws (the stack's AwsProvider without an alias) sends DynamoDB to");
    const aliased = byDefault.replace('region: "us-east-1",', 'alias: "local", region: "us-east-1",');
    expect((await processMemory([{ path: 'main.ts', text: aliased }], 'scan')).outcomes[0].tables[0].fixable).toBe(true);
  });
});
