/**
 * A fix that replaces the table's reference to a lookup of the AWS managed key held in a `const` removes that
 * `const` when the table was its only use (real-world round 40 F1: `tsc --noUnusedLocals` failed with TS6133),
 * and a named import only it used. Any other declaration stays as written (fixtures cdk-unused-lookup-*,
 * cdktf-unused-lookup, pulumi-unused-lookup for the removals).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (decl: string, after = '') => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
${decl}
    new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryptionKey: ddbKey,
    });
${after}  }
}
`;

const fixed = async (text: string) => (await processMemory([{ path: 'lib/s.ts', text }], 'fix')).output.get('lib/s.ts')!;
const LOOKUP = "kms.Alias.fromAliasName(this, 'DdbKey', 'alias/aws/dynamodb')";

it('the const only the table used is removed (a comment above it stays)', async () => {
  const out = await fixed(stack(`    // the managed key\n    const ddbKey = ${LOOKUP};`));
  expect(out).not.toContain('ddbKey');
  expect(out).toContain('    // the managed key\n');
  expect(out).toContain('encryptionKey: ordersKey,');
});

it('a let, a list of declarations, a destructuring, an export or a second use keep the declaration', async () => {
  const kept = [
    stack(`    let ddbKey = ${LOOKUP};`),
    stack(`    const ddbKey = ${LOOKUP}, other = 1;`, '    void other;\n'),
    stack(`    const [ddbKey] = [${LOOKUP}];`),
    stack(`    const ddbKey = ${LOOKUP};`, "    new cdk.CfnOutput(this, 'K', { value: ddbKey.keyArn });\n"),
    stack(`    const ddbKey = ${LOOKUP};`, '    type K = typeof ddbKey;\n    const k: K | undefined = undefined;\n    void k;\n'),
  ];
  for (const text of kept) {
    const out = await fixed(text);
    // A destructured lookup is not followed (the table is not reported aws-managed, nor fixed).
    if (!text.includes('[ddbKey]')) expect(out, text).toContain('encryptionKey: ordersKey,');
    expect(out, text).toMatch(/(let|const) (\[)?ddbKey/);
  }
  const exported = `import * as kms from 'aws-cdk-lib/aws-kms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cdk from 'aws-cdk-lib';

export const app = new cdk.App();
const stack = new cdk.Stack(app, 'S');
export const ddbKey = kms.Alias.fromAliasName(stack, 'DdbKey', 'alias/aws/dynamodb');
new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryptionKey: ddbKey,
});
`;
  expect(await fixed(exported)).toContain('export const ddbKey = ');
});

it('a key that is created (new kms.Key) is never removed, nor a lookup of another key', async () => {
  const created = stack("    const ddbKey = new kms.Key(this, 'Own', { enableKeyRotation: true });");
  expect(await fixed(created)).toBe(created);
});

it("two tables sharing the lookup: the fix of both removes it, a fix of one keeps it, and so does each table's own edits", async () => {
  // An edit serves a table (Edit.tables); a removal applied with one table's edits alone would leave the other's use,
  // so it serves none alone (tables: []) and only the fix of both applies it (tsc --noUnusedLocals then passes).
  const two = stack(
    `    const ddbKey = ${LOOKUP};`,
    "    new dynamodb.Table(this, 'Users', {\n      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },\n      encryptionKey: ddbKey,\n    });\n",
  );
  const both = await processMemory([{ path: 'lib/s.ts', text: two }], 'fix');
  expect(both.output.get('lib/s.ts')).not.toContain('const ddbKey');
  expect(both.output.get('lib/s.ts')).toContain('encryptionKey: usersKey,');
  const removal = both.outcomes[0].edits!.find((e) => e.text === '' && two.slice(e.start, e.end).includes('const ddbKey'));
  expect(removal?.tables).toEqual([]);
  const one = (await processMemory([{ path: 'lib/s.ts', text: two }], 'fix', { skipTables: ['Users'] })).output.get('lib/s.ts')!;
  expect(one).toContain(`const ddbKey = ${LOOKUP};`);
  expect(one).toContain('encryptionKey: ordersKey,');
});
