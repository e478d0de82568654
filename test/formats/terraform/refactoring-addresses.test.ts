/**
 * Addresses a module's `moved`, `removed` and `import` blocks name are taken: Terraform refuses a plan
 * whose configuration declares a resource at a `moved` block's `from`, or at a `removed` block's
 * (`terraform validate` passes; `plan` fails: "Moved object still exists", "Removed resource still
 * exists"), and an `import` to an address means a resource already there. A fix names its key and
 * alias around them.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE =
  'resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n';

it.each([
  ['moved from', 'moved {\n  from = aws_kms_key.orders\n  to   = aws_kms_key.orders_queue\n}\n', 'aws_kms_key'],
  ['moved to (an instance key)', 'moved {\n  from = aws_kms_alias.old\n  to   = aws_kms_alias.orders["a"]\n}\n', 'aws_kms_alias'],
  ['removed', 'removed {\n  from = aws_kms_key.orders\n\n  lifecycle {\n    destroy = false\n  }\n}\n', 'aws_kms_key'],
  ['import', 'import {\n  to = aws_kms_alias.orders\n  id = "alias/orders"\n}\n', 'aws_kms_alias'],
])('a %s block naming %s.orders', async (_, block, kind) => {
  const text = TABLE + '\n' + block;
  const r = await processMemory([{ path: 'main.tf', text }], 'fix');
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  const out = r.output.get('main.tf')!;
  expect(out).not.toContain(`resource "${kind}" "orders" {`);
  expect(out).toContain(`resource "${kind}" "orders_2" {`);
  // The refactoring block is kept as written.
  expect(out).toContain(block);
});
