/**
 * A `.tf` file with old Mac OS line ends (a carriage return alone): Terraform rejects it ("Invalid
 * character: a lone CR is not used within the language"). kmsfix said its table was fixable, and the
 * fix failed with "internal error: cannot extend the one-line block at line 0" (an adversarial pass on
 * hostile input). Now an error at the first lone CR, in scan and fix alike; CRLF is read as before.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = [
  'resource "aws_dynamodb_table" "t" {',
  '  name     = "t"',
  '  hash_key = "id"',
  '  attribute {',
  '    name = "id"',
  '    type = "S"',
  '  }',
  '}',
  '',
];

it('a lone CR is an error at its place; CRLF is read', async () => {
  for (const mode of ['scan', 'fix'] as const) {
    const cr = await processMemory([{ path: 'main.tf', text: TABLE.join('\r') }], mode);
    expect(cr.outcomes[0].error?.message, mode).toBe(
      'HCL: a carriage return without a line feed, which Terraform rejects (it reads LF or CRLF line ends)',
    );
    expect([cr.outcomes[0].error?.line, cr.outcomes[0].error?.column]).toEqual([1, 36]);
    // Left as it is.
    expect(cr.output.get('main.tf') ?? TABLE.join('\r')).toBe(TABLE.join('\r'));
  }
  const crlf = await processMemory([{ path: 'main.tf', text: TABLE.join('\r\n') }], 'scan');
  expect(crlf.outcomes[0].error).toBeUndefined();
  expect(crlf.outcomes[0].tables[0].fixable).toBe(true);
});
