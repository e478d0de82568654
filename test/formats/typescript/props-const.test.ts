/**
 * Props held in a `const` object literal of the file, or spread from one (issue 18): followed and
 * fixed there (fixtures/typescript/cdk-props-const, cdk-props-spread, cdktf-props-const); when the
 * key cannot be declared before the const, or a change would reach other uses, the table is
 * reported not fixable with the reason (cdk-props-shared). Any other variable or call stays unknown.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (body: string, top = '') => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
const pk = { name: 'id', type: dynamodb.AttributeType.STRING };
${top}
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, names: string[]) {
    super(scope, id);
${body}
  }
}
`;

async function scan(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables.map((t) => ({
    address: t.address,
    status: t.status,
    fixable: t.fixable,
    why: `${t.message} ${t.blocker ?? ''}`,
  }));
}

describe('props from a const object literal', () => {
  it('reads the status through the const and through spreads of consts', async () => {
    const tables = await scan(
      stack(`    const p = { partitionKey: pk, encryption: dynamodb.TableEncryption.AWS_MANAGED };
    new dynamodb.Table(this, 'A', p);
    const base = { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED };
    new dynamodb.Table(this, 'B', { ...base, partitionKey: pk });
    new dynamodb.Table(this, 'C', { partitionKey: pk, ...base, encryption: dynamodb.TableEncryption.DEFAULT });`),
    );
    expect(tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['A', 'aws-managed', true],
      ['B', 'customer-managed', false],
      ['C', 'aws-owned', true],
    ]);
  });

  it('a let, a parameter or a call stays unknown, with what the props are', async () => {
    const tables = await scan(
      stack(`    let p = { partitionKey: pk };
    new dynamodb.Table(this, 'A', p);
    new dynamodb.Table(this, 'B', make());
    function make() { return { partitionKey: pk }; }
    for (const n of names) new dynamodb.Table(this, n, { ...(n as never) });`),
    );
    expect(tables[0]).toMatchObject({ address: 'A', status: 'unknown' });
    expect(tables[0].why).toMatch(/props are the variable p, not a const object literal of this file/);
    expect(tables[1]).toMatchObject({ address: 'B', status: 'unknown' });
    expect(tables[1].why).toMatch(/props are make\(\), not an object literal/);
  });

  it('not fixable, with the reason: shared, used elsewhere, declared outside the function or the loop, a legacy setting in a spread', async () => {
    const tables = await scan(
      stack(
        `    const shared = { partitionKey: pk };
    new dynamodb.Table(this, 'L', shared);
    new dynamodb.Table(this, 'R', shared);
    const logged = { partitionKey: pk };
    console.log(logged);
    new dynamodb.Table(this, 'Logged', logged);
    new dynamodb.Table(this, 'Far', outer);
    const each = { partitionKey: pk };
    for (const n of names) {
      new dynamodb.Table(this, n, each);
    }
    const legacy = { serverSideEncryption: true };
    new dynamodb.Table(this, 'Legacy', { partitionKey: pk, ...legacy } as dynamodb.TableProps);`,
        'const outer = { partitionKey: pk };',
      ),
    );
    const why = Object.fromEntries(tables.map((t) => [t.address, t.fixable ? 'fixable' : t.why]));
    expect(why.L).toMatch(/the const shared, are shared with another table \(line 10\)/);
    expect(why.R).toMatch(/the const shared, are shared with another table \(line 9\)/);
    expect(why.Logged).toMatch(/the const logged, are also used elsewhere \(line 12\)/);
    expect(why.Far).toMatch(/the const outer \(line 4\), are declared outside the function that creates the table/);
    expect(why.n).toMatch(/the const each \(line 15\), are declared outside the loop/);
    expect(why.Legacy).toMatch(/serverSideEncryption comes from a spread object \(line 19\)/);
  });
});
