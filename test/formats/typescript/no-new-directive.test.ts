/**
 * A bare `new Table(...)` statement the fix binds to a `const` (for the alias) no longer needs the
 * `// eslint-disable-next-line no-new` written above it (eslint-config-standard and airbnb turn `no-new`
 * on): ESLint 9 reports the directive as unused, and a project linting with `--max-warnings 0` failed
 * (an adversarial pass on the repositories' CI). The fix removes it, or `no-new` alone from a list.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (directive: string) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
${directive}    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}
`;

/** The fixed file's line holding the table statement, with the line before it. */
const fixedLines = async (directive: string) => {
  const r = await processMemory([{ path: 'lib/s.ts', text: stack(directive) }], 'fix');
  const lines = r.output.get('lib/s.ts')!.split('\n');
  const i = lines.findIndex((l) => l.startsWith("    const orders = new dynamodb.Table(this, 'Orders', {"));
  expect(i).toBeGreaterThan(0);
  return `${lines[i - 1]}\n${lines[i].slice(0, 43)}`;
};

it('the directive naming no-new alone is removed with its line; the statement keeps its indent', async () => {
  for (const d of [
    '    // eslint-disable-next-line no-new\n',
    '    /* eslint-disable-next-line no-new */\n',
    '    // eslint-disable-next-line no-new -- side effects\n',
  ])
    expect(await fixedLines(d), d).toBe('    });\n    const orders = new dynamodb.Table(this,');
});

it('in a list, no-new alone goes; any other comment stays', async () => {
  expect(await fixedLines('    // eslint-disable-next-line no-new, max-len\n')).toBe(
    '    // eslint-disable-next-line max-len\n    const orders = new dynamodb.Table(this,',
  );
  expect(await fixedLines('    // the orders table\n')).toBe('    // the orders table\n    const orders = new dynamodb.Table(this,');
  expect(await fixedLines('    // eslint-disable-next-line max-len\n')).toBe(
    '    // eslint-disable-next-line max-len\n    const orders = new dynamodb.Table(this,',
  );
});

it("// eslint-disable-line no-new on the statement's first line: removed, with the blanks before it", async () => {
  const text = stack('').replace(
    "    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });",
    "    new dynamodb.Table(this, 'Orders', { // eslint-disable-line no-new\n      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },\n    });",
  );
  const out = (await processMemory([{ path: 'lib/s.ts', text }], 'fix')).output.get('lib/s.ts')!;
  expect(out).toContain("    const orders = new dynamodb.Table(this, 'Orders', {\n      partitionKey:");
  expect(out).not.toContain('eslint-disable');
});
