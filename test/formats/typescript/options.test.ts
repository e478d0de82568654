/**
 * The options a table's key, alias and lookups share (src/formats/typescript/options.ts): Pulumi's
 * `parent`, `provider`, `protect` and CDKTF's `provider`, `lifecycle`, read as written, as shorthand
 * properties (`{ provider }`) and through a const object literal; options kmsfix cannot read make the
 * table not fixable, never "no options" (a key through the default provider is in another Region).
 * Fixtures: typescript/pulumi-options-shorthand, typescript/cdktf-provider-shorthand.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function run(text: string, mode: 'scan' | 'fix' = 'scan', options = {}) {
  const r = await processMemory([{ path: 'index.ts', text }], mode, options);
  expect(r.outcomes[0].error).toBeUndefined();
  return r;
}

const pulumi = (body: string) => `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
${body}
`;
const attrs = `{ attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' }`;

describe('table options copied to the key', () => {
  it('a shorthand property is read as the variable of its name', async () => {
    const r = await run(
      pulumi(`const sse = { enabled: true };
new aws.dynamodb.Table('a', { ...${attrs}, serverSideEncryption: sse });
const kmsKeyArn = 'arn:aws:kms:us-east-1:111122223333:key/1';
new aws.dynamodb.Table('b', { attributes: [], hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn } });`),
    );
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([
      ['a', 'unknown'],
      ['b', 'customer-managed'],
    ]);
  });

  it('options kmsfix cannot read make the table not fixable, with the step', async () => {
    const r = await run(
      pulumi(`export function make(opts: pulumi.CustomResourceOptions) {
  new aws.dynamodb.Table('a', ${attrs}, opts);
  new aws.dynamodb.Table('b', ${attrs}, { ...opts, protect: true });
  new aws.dynamodb.Table('c', ${attrs}, { provider: new aws.Provider('p', { region: 'us-west-2' }) });
  new aws.dynamodb.Table('d', ${attrs}, makeOpts());
}
function makeOpts() { return {}; }`),
    );
    const t = r.outcomes[0].tables;
    expect(t.map((x) => [x.address, x.status, x.fixable])).toEqual([
      ['a', 'aws-owned', false],
      ['b', 'aws-owned', false],
      ['c', 'aws-owned', false],
      ['d', 'aws-owned', false],
    ]);
    expect(t[0].blocker).toContain('the resource options are opts, not an object literal');
    expect(t[0].blocker).toContain('`{ parent: opts.parent, provider: opts.provider }`');
    expect(t[1].blocker).toContain('parent may come from the spread ...opts');
    expect(t[2].blocker).toContain("provider is created in place (new aws.Provider('p', { region: 'us-west-2' }))");
    expect(t[3].blocker).toContain('the resource options are makeOpts()');
  });

  it('the Region of a provider created in options held in a const is checked against --kms-key-arn', async () => {
    const r = await run(
      pulumi(`const opts = { provider: new aws.Provider('east', { region: 'us-east-1' }) };
new aws.dynamodb.Table('a', ${attrs}, opts);`),
      'fix',
      { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1' },
    );
    const t = r.outcomes[0].tables[0];
    expect(t.fixed).not.toBe(true);
    expect(t.message).toMatch(/Not fixable automatically: .*us-east-1/);
  });

  it('a CDKTF provider written as a shorthand goes to the key, alias and lookups', async () => {
    const r = await run(
      `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = new AwsProvider(this, 'west', { region: 'us-west-2', alias: 'west' });
    new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], provider });
  }
}
`,
      'fix',
    );
    const out = r.outcomes[0].newText ?? '';
    // Written as the table's is: `provider,` in the key, the alias and the three lookups (`{ provider },` on a line of its
    // own where the lookup's head line is past the width).
    expect(out.match(/^\s+(provider|\{ provider \}),$/gm)?.length).toBe(5);
    expect(out).not.toContain('provider: provider');
  });
});
