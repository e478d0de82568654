/**
 * A TableV2 in a stack the file creates in ways the stack's Region is read through: a `let` assigned
 * once (`let stack; beforeEach(() => { stack = new Stack(app, 'S'); })`), and a Stack with no scope
 * (`new Stack()`, for which CDK makes an App): without `env.region`, CDK refuses the key's replica
 * settings at synth ("cannot be rendered in a region agnostic stack"), so the table is not fixed
 * (aws-solutions/dynamic-image-transformation-for-amazon-cloudfront's snapshot tests).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const file = (body: string) => `import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

${body}
`;
const table = (scope: string) =>
  `new dynamodb.TableV2(${scope}, 'Config', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });`;

async function fixable(body: string) {
  const r = await processMemory([{ path: 'lib/stack.ts', text: file(body) }], 'scan');
  const [t] = r.outcomes.flatMap((o) => o.tables);
  return { fixable: t.fixable, blocker: t.blocker ?? '' };
}

describe("a TableV2's stack, read through a variable assigned once or a Stack without a scope", () => {
  it('a let assigned once (in a beforeEach), under an App: Region-agnostic, not fixed', async () => {
    const t = await fixable(
      `let app: App;\nlet stack: Stack;\nbeforeEach(() => {\n  app = new App();\n  stack = new Stack(app, 'S');\n});\ntest('t', () => {\n  ${table('stack')}\n});`,
    );
    expect(t.fixable).toBe(false);
    expect(t.blocker).toContain('Region-agnostic');
  });

  it('new Stack() and new Stack(undefined, id): CDK makes an App for them', async () => {
    for (const stack of ['new Stack()', "new Stack(undefined, 'S')"])
      expect((await fixable(`const stack = ${stack};\n${table('stack')}`)).fixable).toBe(false);
  });

  it('a Region given, a let assigned twice, or a scope the file does not show: fixed as before', async () => {
    for (const body of [
      `const stack = new Stack(undefined, 'S', { env: { region: 'us-east-1' } });\n${table('stack')}`,
      `let stack: Stack;\nstack = new Stack(new App(), 'A');\nstack = new Stack(new App(), 'B', { env: { region: 'eu-west-1' } });\n${table('stack')}`,
      `declare const scope: any;\nconst stack = new Stack(scope, 'S');\n${table('stack')}`,
    ])
      expect(await fixable(body)).toEqual({ fixable: true, blocker: '' });
  });

  it("`this` in a class expression is that class's, not the class around it: the outer stack's Region is not read for it", async () => {
    const body = (scope: string) =>
      `class Outer extends Stack {
  constructor(app: App) {
    super(app, 'O');
    const Inner = class extends Stack {
` +
      `      constructor(s: any) {
        super(s, 'I');
        ${table(scope)}
      }
    };
    new Inner(undefined);
  }
}
new Outer(new App());`;
    // A class expression's creations are not followed: its Region is unknown (fixed as before), not Outer's (Region-agnostic).
    expect(await fixable(body('this'))).toEqual({ fixable: true, blocker: '' });
    // The table in Outer itself: Outer's Region (none).
    expect((await fixable(body('this').replace("super(app, 'O');", `super(app, 'O');\n    ${table('this')}`))).fixable).toBe(false);
  });
});
