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

async function run(props: string, mode: 'scan' | 'fix' = 'scan') {
  const r = await processMemory([{ path: 'main.ts', text: file(props) }], mode);
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
      const fixed = await run(props, 'fix');
      expect(fixed.output, props).toBe(file(props));
    }
  });

  it('forEach or count null or undefined, or absent: fixed as before', async () => {
    for (const props of ["count: undefined,\n      name: 'orders',", "forEach: null,\n      name: 'orders',", "name: 'orders',"]) {
      expect((await run(props)).tables[0].fixable, props).toBe(true);
      expect((await run(props, 'fix')).output, props).toContain('new KmsAlias(');
    }
  });
});
