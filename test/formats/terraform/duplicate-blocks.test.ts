/**
 * A resource, data source or module call declared twice in a file (gc-ss/rules-dev concatenates the
 * provider's examples into one file): terraform rejects the module, so the file is an error at the
 * second block, its tables reported and not fixable. Before, scan called one fixable and the fix failed
 * its own verification (exit 2, "does not reference a generated aws_kms_key").
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (label: string) => `resource "aws_dynamodb_table" "${label}" {
  name     = "t"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
`;

describe('blocks declared twice in a Terraform file', () => {
  it('the same resource address twice: an error at the second, with the first line; no table fixed', async () => {
    const r = await processMemory([{ path: 'main.tf', text: `${table('example')}\n${table('example')}` }], 'fix');
    const o = r.outcomes[0];
    expect([o.error?.line, o.error?.column]).toEqual([11, 1]);
    expect(o.error?.message).toBe(
      'duplicate resource "aws_dynamodb_table" "example": already declared at line 1; terraform rejects a module that declares one twice',
    );
    expect(o.tables.map((t) => t.fixable)).toEqual([false, false]);
    expect(o.newText).toBeUndefined();
  });

  it('another type or name, or a data source and a resource of one name: fixed as before', async () => {
    const text = `${table('a')}\n${table('b')}\ndata "aws_dynamodb_table" "a" {\n  name = "t"\n}\n`;
    const r = await processMemory([{ path: 'main.tf', text }], 'fix');
    expect(r.outcomes[0].error).toBeUndefined();
    expect(r.outcomes[0].tables.map((t) => t.fixable)).toEqual([true, true]);
    const dup = `${table('a')}\nmodule "m" {\n  source = "./m"\n}\n\nmodule "m" {\n  source = "./n"\n}\n`;
    expect((await processMemory([{ path: 'main.tf', text: dup }], 'scan')).outcomes[0].error?.message).toMatch(
      /^duplicate module "m": already declared at line 11/,
    );
  });
});
