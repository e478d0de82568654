/**
 * A CDK for Terraform table with a `region` of its own (hashicorp/aws 6's Enhanced Region Support; real-world
 * round 39 F6, `new DynamodbTable(scope, 'rate-limit', { ..., region })` on @cdktf/provider-aws ^21): fixed as
 * Terraform's `region = ...` is when the nearest package.json's provider package binds hashicorp/aws 6
 * (@cdktf/provider-aws 21.0.0 and later, any @cdktn/provider-aws): the key, its alias and the policy's Region
 * lookup get the same `region`. Older, undeclared, or a Region the key could not repeat: declined as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (region: string, provider = '@cdktf/provider-aws') => `import type { Construct } from 'constructs';
import { DynamodbTable } from '${provider}/lib/dynamodb-table';

const regionOf = (name: string): string => \`\${name}-1\`;

export const generateTables = (scope: Construct, region: string): void => {
  new DynamodbTable(scope, 'rate-limit', {
    name: 'rate-limit',
    hashKey: 'id',
    attribute: [{ name: 'id', type: 'S' }],
    ${region},
  });
};
`;
const FILE = 'src/tables.ts';
const pkg = (deps: Record<string, string>) => JSON.stringify({ dependencies: deps });
const files = (text: string, packages: Record<string, string>) => [
  { path: FILE, text },
  ...Object.entries(packages).map(([path, text]) => ({ path, text })),
];

async function scanWith(text: string, packages: Record<string, string>) {
  const r = await processMemory(files(text, packages), 'scan');
  const [t] = r.outcomes.find((o) => o.file.path === FILE)!.tables;
  return t.fixable ? 'fixable' : t.blocker;
}

const OWN_REGION = /^the table sets its own Region \(region: (.+)\), and kmsfix would create its key/;

describe('CDKTF: a table with a region of its own', () => {
  it("@cdktf/provider-aws ^21 (hashicorp/aws 6): fixed, the key, alias and Region lookup in the table's region", async () => {
    const packages = { 'package.json': pkg({ '@cdktf/provider-aws': '^21.22.1', cdktf: '^0.21.0' }) };
    expect(await scanWith(table('region'), packages)).toBe('fixable');
    const r = await processMemory(files(table('region'), packages), 'fix');
    const out = r.output.get(FILE)!;
    expect(out).toMatch(/new DataAwsRegion\(scope, 'rate-limitTableRegion', \{\s*region,\s*\}\)/);
    expect(out).toMatch(
      /new KmsKey\(scope, 'rate-limit-key', \{[^}]*policy: dynamoDbKeyPolicy\(callerIdentity, partition, tableRegion\),\s*region,\s*\}\)/,
    );
    expect(out).toMatch(/new KmsAlias\(scope, 'rate-limit-alias', \{\s*name: [^\n]*\s*targetKeyId: rateLimitKey\.keyId,\s*region,\s*\}\)/);
    expect(out).toContain('serverSideEncryption: { enabled: true, kmsKeyArn: rateLimitKey.arn }');
  });

  it('a provider older than 21 (hashicorp/aws 5), or none declared: declined with the step, as before', async () => {
    const declared: Record<string, string>[] = [
      { 'package.json': pkg({ '@cdktf/provider-aws': '^19.50.0' }) },
      { 'package.json': pkg({ '@cdktf/provider-aws': '20.1.0' }) },
      { 'package.json': pkg({ '@cdktf/provider-aws': 'latest' }) },
      { 'package.json': pkg({ cdktf: '^0.21.0' }) },
      {},
    ];
    for (const packages of declared) expect(await scanWith(table('region'), packages)).toMatch(OWN_REGION);
    // The nearest package.json that lists the provider, from the file's folder up.
    const nested = {
      'package.json': pkg({ '@cdktf/provider-aws': '^19.0.0' }),
      'src/package.json': pkg({ '@cdktf/provider-aws': '>=21.0.0' }),
    };
    expect(await scanWith(table('region'), nested)).toBe('fixable');
  });

  it("CDK Terrain's @cdktn/provider-aws (hashicorp/aws 6 from its first release): read in the table's own package", async () => {
    const cdktn = table('region', '@cdktn/provider-aws');
    expect(await scanWith(cdktn, { 'package.json': pkg({ '@cdktn/provider-aws': '^23.7.0' }) })).toBe('fixable');
    expect(await scanWith(cdktn, { 'package.json': pkg({ '@cdktf/provider-aws': '^21.0.0' }) })).toMatch(OWN_REGION);
  });

  it('a Region the key could not repeat (a call), or read through options kmsfix cannot read: declined on ^21 too', async () => {
    const packages = { 'package.json': pkg({ '@cdktf/provider-aws': '^21.0.0' }) };
    expect(await scanWith(table("region: regionOf('eu-central')"), packages)).toMatch(OWN_REGION);
    // A variable, a literal, a condition of them: repeated as written.
    expect(await scanWith(table("region: region || 'eu-west-1'"), packages)).toBe('fixable');
    expect(await scanWith(table("region: 'eu-west-2'"), packages)).toBe('fixable');
  });

  it('--kms-key-arn: a key of another Region than the literal region is declined, as for a provider', async () => {
    const packages = { 'package.json': pkg({ '@cdktf/provider-aws': '^21.0.0' }) };
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const r = await processMemory(files(table("region: 'eu-west-2'"), packages), 'fix', { kmsKeyArn: arn });
    expect(r.output.get(FILE)).toBe(table("region: 'eu-west-2'"));
    const same = await processMemory(files(table("region: 'us-east-1'"), packages), 'fix', { kmsKeyArn: arn });
    expect(same.output.get(FILE)).toContain(`kmsKeyArn: '${arn}'`);
    // A region that is not a literal may be any Region: declined too (adversarial pass of session 57, H2).
    const some = await processMemory(files(table('region'), packages), 'fix', { kmsKeyArn: arn });
    expect(some.output.get(FILE)).toBe(table('region'));
    expect(JSON.stringify(some.outcomes.find((o) => o.file.path === FILE)!.tables[0])).toMatch(
      /--kms-key-arn names a key in us-east-1, and this table's Region is region: region, which kmsfix cannot read as a literal/,
    );
  });

  it('a region the file changes between tables (a let reassigned, a property assigned): declined, not one key or one Region lookup for both (adversarial pass of session 57, H3)', async () => {
    const packages = { 'package.json': pkg({ '@cdktf/provider-aws': '^21.0.0' }) };
    const two = (decl: string, change: string, region: string) => `import type { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export const generateTables = (scope: Construct, cfg: { region: string }): void => {
  ${decl}
  new DynamodbTable(scope, 'a', { name: 'a', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], region: ${region} });
  ${change}
  new DynamodbTable(scope, 'b', { name: 'b', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], region: ${region} });
};
`;
    const verdicts = async (text: string) => {
      const r = await processMemory(files(text, packages), 'scan');
      return r.outcomes.find((o) => o.file.path === FILE)!.tables.map((t) => (t.fixable ? 'fixable' : t.blocker));
    };
    for (const [decl, change, region] of [
      ["let region = 'us-east-1';", "region = 'eu-west-1';", 'region'],
      ['', "cfg.region = 'eu-west-1';", 'cfg.region'],
    ]) {
      const v = await verdicts(two(decl, change, region));
      expect(v).toHaveLength(2);
      for (const x of v) expect(x).toMatch(OWN_REGION);
    }
    // A const, or a parameter the file never assigns: one Region each time, fixed.
    expect(await verdicts(two("const region = 'us-east-1';", '', 'region'))).toEqual(['fixable', 'fixable']);
    expect(await verdicts(two('', '', 'cfg.region'))).toEqual(['fixable', 'fixable']);
  });
});
