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

/** A table repeated by `forEach: it` whose key reads the iterator (`key`), after the `lines` that declare it. */
const iterated = (lines: string, key: string) => `import { Construct } from 'constructs';
import { TerraformIterator, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    ${lines}
    new DynamodbTable(this, 'tables', {
      forEach: it,
      name: it.key,
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
    });
  }
}
`;

const MANAGED = 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb';

async function scanIterated(lines: string, key: string) {
  const r = await processMemory([{ path: 'main.ts', text: iterated(lines, key) }], 'scan', {});
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return r.outcomes[0].tables[0];
}

// Adversarial pass s63 F4: `kmsKeyArn: keys.value` of `TerraformIterator.fromMap({ a: '...alias/aws/dynamodb' })` was
// customer-managed; read entry by entry, as Terraform's `each.value` is.
describe('CDKTF: a key read from the forEach iterator', () => {
  it('every entry the AWS managed key (a map or list in place or in a const, value, key, member, Token.asString): aws-managed', async () => {
    for (const [lines, key] of [
      [`const it = TerraformIterator.fromMap({ a: '${MANAGED}' });`, 'it.value'],
      [`const keys = ['${MANAGED}', 'alias/aws/dynamodb'];\n    const it = TerraformIterator.fromList(keys);`, 'Token.asString(it.value)'],
      [`const it = TerraformIterator.fromList(['alias/aws/dynamodb']);`, 'it.key'],
      [`const it = TerraformIterator.fromMap({ 'alias/aws/dynamodb': 'x' });`, 'it.key'],
      [
        `const a = { arn: '${MANAGED}' };\n    const it = TerraformIterator.fromMap({ a, b: { arn: 'alias/aws/dynamodb' } });`,
        "it.getString('arn')",
      ],
      [`const it = TerraformIterator.fromMap({ a: { arn: '${MANAGED}' } });`, 'it.value.arn'],
    ]) {
      const t = await scanIterated(lines, key);
      expect(t.status, `${lines} ${key}`).toBe('aws-managed');
      expect(t.message, key).toContain(`${key} (every forEach entry gives `);
    }
  });

  it('some entries the AWS managed key: unknown, naming them', async () => {
    const t = await scanIterated(
      `const it = TerraformIterator.fromMap({ a: '${MANAGED}', b: 'arn:aws:kms:eu-west-1:111122223333:key/1' });`,
      'it.value',
    );
    expect(t.status).toBe('unknown');
    expect(t.message).toContain(
      `it.value: the AWS managed key for each instance whose forEach entry gives "${MANAGED}" (TerraformIterator.fromMap(`,
    );
    const m = await scanIterated(`const it = TerraformIterator.fromMap({ a: 'alias/orders', b: 'alias/aws/dynamodb' });`, 'it.key');
    expect(m.status).toBe('customer-managed');
  });

  it('no entry the AWS managed key, or a collection kmsfix cannot list: customer-managed, as before', async () => {
    for (const [lines, key] of [
      [`const it = TerraformIterator.fromMap({ a: 'arn:aws:kms:eu-west-1:111122223333:key/1' });`, 'it.value'],
      [`const it = TerraformIterator.fromList(Token.asList('\${var.keys}'));`, 'it.value'],
      [`const more = ['${MANAGED}'];\n    const it = TerraformIterator.fromList([...more]);`, 'it.value'],
    ]) {
      expect((await scanIterated(lines, key)).status, lines).toBe('customer-managed');
    }
  });

  it('with --kms-key-arn: fixed, the iterator read replaced by the given key', async () => {
    const text = iterated(`const it = TerraformIterator.fromMap({ a: '${MANAGED}' });`, 'it.value');
    const r = await processMemory([{ path: 'main.ts', text }], 'fix', { kmsKeyArn: ARN });
    expect(r.output.get('main.ts')).toContain(`kmsKeyArn: '${ARN}'`);
  });
});
