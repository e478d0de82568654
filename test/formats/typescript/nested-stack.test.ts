/**
 * A TableV2 in a NestedStack: its Region is its parent stack's, which kmsfix does not follow (the
 * parent is created in another class, often another file; cdk init leaves its env out). Fixed, it
 * broke synth under a Region-agnostic parent (aws-samples/assessment-generator: "Replica SSE
 * specification cannot be rendered in a region agnostic stack"), so it is not fixed, with the step.
 * A Table in the same NestedStack needs no Region and is fixed.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const STACK = (cls: string, table: string) => `import { ${cls}, ${cls}Props, aws_dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class DataStack extends ${cls} {
  constructor(scope: Construct, id: string, props: ${cls}Props) {
    super(scope, id, props);
    new aws_dynamodb.${table}(this, 'Settings', {
      partitionKey: { name: 'userId', type: aws_dynamodb.AttributeType.STRING },
    });
  }
}
`;

it('a TableV2 in a NestedStack is not fixed (its Region is the parent stack’s); a Table there is', async () => {
  const nested = (await processMemory([{ path: 'lib/data-stack.ts', text: STACK('NestedStack', 'TableV2') }], 'fix')).outcomes[0];
  expect([nested.tables[0].fixable, nested.newText]).toEqual([false, undefined]);
  expect(nested.tables[0].message).toContain(
    "its stack is a NestedStack, whose Region is its parent stack's, which kmsfix does not follow",
  );
  const table = (await processMemory([{ path: 'lib/data-stack.ts', text: STACK('NestedStack', 'Table') }], 'fix')).outcomes[0];
  expect(table.tables[0].fixed).toBe(true);
  // A top-level stack class created elsewhere: as before (the app's entry decides, cdk-app.test.ts).
  const top = (await processMemory([{ path: 'lib/data-stack.ts', text: STACK('Stack', 'TableV2') }], 'scan')).outcomes[0];
  expect(top.tables[0].fixable).toBe(true);
});
