/**
 * A provider that sends DynamoDB to an emulator (LocalStack, DynamoDB Local) but not KMS and STS:
 * the key and the account lookup a fix generates would go to AWS with the emulator's mock
 * credentials, and plan would fail (brdd3v/aws-dynamodb-exp). Such a table is reported and not fixed
 * (src/formats/terraform/endpoints.ts), unless --kms-key-arn gives the key.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

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
    expect(t.blocker).toContain('Add kms = "http://localhost:4566" and sts = "http://localhost:4566" to its endpoints block');
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
