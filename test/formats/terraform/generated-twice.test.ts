/**
 * A fixed module's verification refuses a block that a terragrunt unit deploying the module also writes into its
 * copy with a `generate` block (src/formats/terraform/verify.ts generatedTwice; real-world round 45, F1): the fix of
 * fixtures/terraform/terragrunt-generate-data reuses the generated data sources, and the same fix with
 * `data "aws_caller_identity" "current"` declared again in the module is refused.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, verifyMemory } from '../../../src/engine/memory.js';
import type { Edit } from '../../../src/core/types.js';
import { fixtureCases } from '../../helpers/fixture-cases.js';

const c = fixtureCases('terraform').find((x) => x.name === 'terragrunt-generate-data')!;
const ORDERS = 'modules/orders/main.tf';

async function ordersEdits(): Promise<Edit[]> {
  const run = await processMemory(c.input, 'fix', c.options);
  return run.outcomes.find((o) => o.file.path === ORDERS)!.edits ?? [];
}

describe('a block the fix adds that a deploying unit generates', () => {
  it("the fix's own edits pass", async () => {
    const edits = await ordersEdits();
    expect(edits.length).toBeGreaterThan(0);
    const errors = await verifyMemory(c.input, new Map([[ORDERS, edits]]), new Map([[ORDERS, ['aws_dynamodb_table.orders']]]));
    expect([...errors.values()]).toEqual([]);
  });

  it('a data source that root.hcl\'s generate "provider" declares too is refused', async () => {
    const edits = await ordersEdits();
    const end = c.input.find((f) => f.path === ORDERS)!.text.length;
    const twice = [...edits, { start: end, end, text: '\ndata "aws_caller_identity" "current" {}\n' }];
    const errors = await verifyMemory(c.input, new Map([[ORDERS, twice]]), new Map([[ORDERS, ['aws_dynamodb_table.orders']]]));
    expect(JSON.stringify(errors.get(ORDERS))).toContain(
      'data.aws_caller_identity.current is declared twice where live/prod/orders/terragrunt.hcl deploys the module: its generate \\"provider\\" (live/root.hcl) declares it too',
    );
  });
});
