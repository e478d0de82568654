/**
 * A table's last prop line that ends in blank space (`billingMode: ..., ` with a trailing space: real-world round 35,
 * anilah/awsDynamoDB) stays as the user wrote it when a fix adds props after it (src/formats/typescript/objects.ts
 * insertProps): the space had moved from the user's line to the new `encryptionKey: tableKey, ` line.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (last: string) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
${last}
    });
  }
}
`;

it.each([
  [
    'a trailing comma and a space',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, ',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, \n',
  ],
  [
    'a trailing comma and a tab',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,\t',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,\t\n',
  ],
  // No comma: the fix adds one, and the space stays after it.
  [
    'no comma and a space',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST ',
    '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, \n',
  ],
])('%s', async (_, last, kept) => {
  const out = (await processMemory([{ path: 'stack.ts', text: stack(last) }], 'fix')).output.get('stack.ts')!;
  expect(out).toContain(kept);
  expect(out).toContain('encryptionKey: tKey');
  // No new line ends in blank space.
  const added = out.split('\n').filter((l) => !stack(last).split('\n').includes(l));
  expect(added.filter((l) => /[ \t]$/.test(l))).toEqual(
    last.endsWith(',\t') || last.endsWith(', ') ? [] : ['      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, '],
  );
});
