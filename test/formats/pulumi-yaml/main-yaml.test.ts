/**
 * A Pulumi YAML project's program kept in `Main.yaml` beside a `Pulumi.yaml` that holds the runtime (README's format
 * table says so; the adversarial pass of session 47 found no table read there): read and fixed as a program.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const MAIN = `resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: id
          type: S
      hashKey: id
      billingMode: PAY_PER_REQUEST
`;

it('Main.yaml with resources: read, fixed, and the fix is stable', async () => {
  const files = [
    { path: 'Pulumi.yaml', text: 'name: orders\nruntime: yaml\n' },
    { path: 'Main.yaml', text: MAIN },
  ];
  const r = await processMemory(files, 'fix');
  const main = r.outcomes.find((o) => o.file.path === 'Main.yaml')!;
  expect(main.tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['orders', 'aws-owned', true]]);
  expect(main.newText).toContain("kmsKeyArn: '${ordersKey.arn}'");
  const again = await processMemory([files[0], { path: 'Main.yaml', text: main.newText! }], 'fix');
  expect(again.outcomes.find((o) => o.file.path === 'Main.yaml')!.newText).toBeUndefined();
});

it('another YAML file without runtime is not a program (a docker-compose file naming the type in a comment)', async () => {
  const r = await processMemory([{ path: 'other.yaml', text: `# aws:dynamodb:Table\n${MAIN}` }], 'scan');
  expect(r.outcomes.flatMap((o) => o.tables)).toEqual([]);
});
