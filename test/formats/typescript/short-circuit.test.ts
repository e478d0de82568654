/**
 * A table created on the right of `??`, `||` or `&&` (guiyom-e/cdk-dynamodb-migration, a construct library:
 * `settings?.versioning?.table ?? new Table(...)`, a caller may pass its own table) is created only as the left
 * decides, as one in `? :` is: a key before the statement would be created either way, an unused key in every
 * stack that passes its own table. Reported, not fixed; the left operand's table, or one created apart, is fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (expr: string) => `import { Stack } from 'aws-cdk-lib';
import { AttributeType, ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  constructor(scope: Stack, id: string, props: { table?: ITable }) {
    super(scope, id);
    const table = ${expr};
  }
}
`;
const NEW = "new Table(this, 'Versions', { partitionKey: { name: 'id', type: AttributeType.STRING } })";

describe('a table created on the right of ??, || or &&', () => {
  for (const op of ['??', '||', '&&']) {
    it(`props.table ${op} new Table(...): reported, not fixed, nothing written`, async () => {
      const text = stack(`props.table ${op} ${NEW}`);
      const r = await processMemory([{ path: 'stack.ts', text }], 'fix');
      const [t] = r.outcomes[0].tables;
      expect([t.address, t.status, t.fixable, t.fixed ?? false]).toEqual(['Versions', 'aws-owned', false, false]);
      expect(t.blocker).toContain('created in a conditional expression (`? :`, or the right of `??`, `||` or `&&`), which may not run');
      expect(r.output.get('stack.ts') ?? text).toBe(text);
    });
  }

  it('on the left, it always runs: fixed', async () => {
    const r = await processMemory([{ path: 'stack.ts', text: stack(`${NEW} ?? props.table`) }], 'fix');
    expect(r.outcomes[0].tables[0].fixed).toBe(true);
  });
});
