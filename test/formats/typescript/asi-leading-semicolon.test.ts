/**
 * Semicolon-less code (standard, Prettier `semi: false`) puts a `;` in front of a statement that starts
 * with `[`, `(` or a template: the parser gives it to the statement before. The alias a fix writes after
 * the table's statement goes before that `;` (it was written after it, and glued to the next statement:
 * `; tKey.addAlias(...)[t].forEach(...)`, which still parsed); code on the same line after a table gets
 * a `;` of its own whatever the file's style.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { parseTypeScript, ts } from '../../../src/formats/typescript/parse.js';

const CDK = (after: string) => `import * as cdk from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id)
    const t = new dynamodb.Table(this, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    })${after}
  }
}
`;

/** The statements of the constructor, as the parser reads the fixed text. */
function statements(text: string): string[] {
  const sf = parseTypeScript('s.ts', text);
  const cls = sf.statements.find(ts.isClassDeclaration)!;
  const ctor = cls.members.find(ts.isConstructorDeclaration)!;
  return ctor.body!.statements.map((s) => s.getText(sf).replace(/\s+/g, ' '));
}

it.each([
  ["\n    ;[t].forEach((x) => cdk.Tags.of(x).add('team', 'orders'))", "[t].forEach((x) => cdk.Tags.of(x).add('team', 'orders'))"],
  ['\n    ;(globalThis as any).x = 1', '(globalThis as any).x = 1'],
  ['; [t].length', '[t].length'],
])('the alias is a statement of its own, and the next one is as written: %j', async (after, next) => {
  const r = await processMemory([{ path: 'lib/s.ts', text: CDK(after) }], 'fix');
  const out = r.output.get('lib/s.ts')!;
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  const st = statements(out);
  expect(st.some((s) => /^tKey\.addAlias\(`alias\/dynamodb\/\$\{t\.tableName\}`\) ?;?$/.test(s))).toBe(true);
  expect(st.some((s) => s.replace(/^;\s*/, '').replace(/;$/, '') === next)).toBe(true);
});

it('new imports after an import followed by a guarded statement go before its `;`', async () => {
  const text = `import * as cdk from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
;(globalThis as any).ready = true

const app = new cdk.App()
const stack = new cdk.Stack(app, 'S')
const t = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } })
`;
  const r = await processMemory([{ path: 'app.ts', text }], 'fix');
  expect([r.outcomes[0].error, r.outcomes[0].tables[0].fixed]).toEqual([undefined, true]);
  const out = r.output.get('app.ts')!;
  expect(out).toMatch(/\nimport \* as kms from 'aws-cdk-lib\/aws-kms'\n(?:import [^\n]*\n)*;\(globalThis as any\)\.ready = true\n/);
});
