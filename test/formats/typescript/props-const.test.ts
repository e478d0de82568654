/**
 * Props held in a `const` object literal of the file, or spread from one (issue 18): followed and
 * fixed there (fixtures/typescript/cdk-props-const, cdk-props-spread, cdktf-props-const); when the
 * key cannot be declared before the const, or a change would reach other uses, the table gets props
 * of its own where it is created, a spread of the const and its settings (cdk-props-shared). Any
 * other variable or call stays unknown.
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

  it('a const that cannot change for the table alone (shared, used elsewhere, outside the function or the loop): the table gets { ...const, <settings> }, the const stays', async () => {
    const input = stack(
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
    const v2 = { partitionKey: pk };
    new dynamodb.TableV2(this, 'V2a', v2);
    new dynamodb.TableV2(this, 'V2b', v2 as dynamodb.TablePropsV2);`,
      'const outer = { partitionKey: pk };',
    );
    const tables = await scan(input);
    expect(tables.map((t) => [t.address, t.fixable])).toEqual(['L', 'R', 'Logged', 'Far', 'n', 'V2a', 'V2b'].map((a) => [a, true]));
    const r = await processMemory([{ path: 'stack.ts', text: input }], 'fix');
    const out = r.output.get('stack.ts')!;
    // Every const as it was; each table its own props, a spread of the const and its settings.
    for (const decl of [
      'const shared = { partitionKey: pk };',
      'const logged = { partitionKey: pk };',
      'const outer = { partitionKey: pk };',
    ]) {
      expect(out).toContain(decl);
    }
    const own = (head: string, spread: string, settings: string[], after = ')') =>
      [`${head} {`, `      ...${spread},`, ...settings.map((x) => `      ${x},`), `    }${after};`].join('\n');
    expect(out).toContain(
      own("const l = new dynamodb.Table(this, 'L',", 'shared', [
        'encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED',
        'encryptionKey: lKey',
      ]),
    );
    expect(out).toContain(
      own("const far = new dynamodb.Table(this, 'Far',", 'outer', [
        'encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED',
        'encryptionKey: farKey',
      ]),
    );
    expect(out).toContain(
      'const nTable = new dynamodb.Table(this, n, {\n        ...each,\n        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n',
    );
    expect(out).toContain(
      own("const v2a = new dynamodb.TableV2(this, 'V2a',", 'v2', ['encryption: dynamodb.TableEncryptionV2.customerManagedKey(v2aKey)']),
    );
    expect(out).toContain(
      own(
        "const v2b = new dynamodb.TableV2(this, 'V2b',",
        'v2',
        ['encryption: dynamodb.TableEncryptionV2.customerManagedKey(v2bKey)'],
        ' as dynamodb.TablePropsV2)',
      ),
    );
    // Each key before its own table (the const `shared` comes before both).
    expect(out.indexOf('const lKey')).toBeGreaterThan(out.indexOf('const shared'));
    expect(out.indexOf('const rKey')).toBeGreaterThan(out.indexOf("new dynamodb.Table(this, 'L'"));
    const again = await scan(out);
    expect(again.map((t) => t.status)).toEqual(Array(7).fill('customer-managed'));
  });

  it('not fixable, with the reason: a legacy setting in a spread, or in a const the fix leaves as it is', async () => {
    const tables = await scan(
      stack(`    const legacy = { serverSideEncryption: true };
    new dynamodb.Table(this, 'Legacy', { partitionKey: pk, ...legacy } as dynamodb.TableProps);
    const old = { partitionKey: pk, serverSideEncryption: true };
    new dynamodb.Table(this, 'OldA', old as dynamodb.TableProps);
    new dynamodb.Table(this, 'OldB', old as dynamodb.TableProps);
    const own = { partitionKey: pk, serverSideEncryption: true };
    new dynamodb.Table(this, 'Own', own as dynamodb.TableProps);`),
    );
    const why = Object.fromEntries(tables.map((t) => [t.address, t.fixable ? 'fixable' : t.why]));
    expect(why.Legacy).toMatch(/serverSideEncryption comes from a spread object \(line 8\)/);
    expect(why.OldA).toMatch(
      /serverSideEncryption is set in the const old \(line 10\), which kmsfix leaves as it is \(shared with another table \(line 12\)\), and CDK refuses it beside encryption/,
    );
    expect(why.OldB).toMatch(/the const old \(line 10\), which kmsfix leaves as it is \(shared with another table \(line 11\)\)/);
    // A const of its own is changed in place: the legacy setting replaced.
    expect(why.Own).toBe('fixable');
  });
});

describe('arguments from a spread', () => {
  it('a table whose arguments come from a spread is unknown, named by the spread, short', async () => {
    const tables = await scan(`import * as aws from '@pulumi/aws';
declare function transform(...a: unknown[]): [string, aws.dynamodb.TableArgs];
export const t = new aws.dynamodb.Table(
  ...transform(undefined, 'orders', {
    attributes: [{ name: 'id', type: 'S' }],
    hashKey: 'id',
    billingMode: 'PAY_PER_REQUEST',
  }),
);
`);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ address: '...transform(...)', status: 'unknown', fixable: false });
    expect(tables[0].why).toContain("aws.dynamodb.Table's props come from the spread ...transform(...)");
  });
});

describe('an encryption held in a variable (real-world round 48)', () => {
  it('names the value the variable holds, not the name alone', async () => {
    const tables = await scan(
      stack(`    const encryption = names.length ? dynamodb.TableEncryption.AWS_MANAGED : dynamodb.TableEncryption.CUSTOMER_MANAGED;
    new dynamodb.Table(this, 'A', { partitionKey: pk, encryption });
    new dynamodb.Table(this, 'B', { partitionKey: pk, encryption: encryption });`),
    );
    for (const t of tables) {
      expect(t.status).toBe('unknown');
      expect(t.why).toContain('encryption is encryption (names.length ? dynamodb.TableEncryption.AWS_MANAGED : dyn...)');
    }
  });
});
