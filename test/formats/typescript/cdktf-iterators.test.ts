/**
 * A CDKTF table with forEach (a TerraformIterator) or count: the alias a fix writes would name
 * `${aws_dynamodb_table.tables.name}`, which Terraform refuses for a resource with for_each/count
 * set (src/formats/typescript/iterators.ts). Declined, with the manual step.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const file = (props: string) => `import { Construct } from 'constructs';
import { TerraformIterator, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const names = TerraformIterator.fromList(['orders', 'users']);
    const common = { count: 3 };
    new DynamodbTable(this, 'tables', {
      ${props}
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    });
  }
}
`;

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function run(props: string, mode: 'scan' | 'fix' = 'scan', kmsKeyArn?: string) {
  const r = await processMemory([{ path: 'main.ts', text: file(props) }], mode, kmsKeyArn ? { kmsKeyArn } : {});
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return { ...r.outcomes[0], output: r.output.get('main.ts')! };
}

describe('CDKTF: a table with forEach or count', () => {
  it('forEach, count, or count from a const spread: not fixable, the step names the iterator', async () => {
    for (const [props, how] of [
      ['forEach: names,\n      name: names.value,', 'forEach: names'],
      ["count: 2,\n      name: 'orders',", 'count: 2'],
      ["...common,\n      name: 'orders',", 'count: 3'],
    ]) {
      const out = await run(props);
      const t = out.tables[0];
      expect(t.fixable, props).toBe(false);
      expect(t.blocker, props).toContain(`the table is created several times (${how})`);
      expect(t.blocker, props).toContain('Missing resource instance key');
      expect(t.blocker, props).toContain('or run fix with --kms-key-arn and an existing key');
      const fixed = await run(props, 'fix');
      expect(fixed.output, props).toBe(file(props));
    }
  });

  it('with --kms-key-arn (no key or alias added): fixed, every instance on the given key', async () => {
    for (const props of ['forEach: names,\n      name: names.value,', "count: 2,\n      name: 'orders',"]) {
      const scanned = (await run(props, 'scan', ARN)).tables[0];
      expect([scanned.fixable, scanned.blocker], props).toEqual([true, undefined]);
      const fixed = await run(props, 'fix', ARN);
      expect(fixed.output, props).toContain(`serverSideEncryption: {\n        enabled: true,\n        kmsKeyArn: '${ARN}',\n      },`);
      expect(fixed.output, props).not.toContain('KmsAlias');
      expect(fixed.output, props).not.toContain('KmsKey');
    }
  });

  it('forEach or count null or undefined, or absent: fixed as before', async () => {
    for (const props of ["count: undefined,\n      name: 'orders',", "forEach: null,\n      name: 'orders',", "name: 'orders',"]) {
      expect((await run(props)).tables[0].fixable, props).toBe(true);
      expect((await run(props, 'fix')).output, props).toContain('new KmsAlias(');
    }
  });
});
