/**
 * An argument or block that something other than a comment follows on its line is an error to
 * Terraform ("Missing newline after argument"), which tree-sitter's grammar accepted: scan read such
 * a file silently (adversarial pass on input shapes, session 50). src/formats/terraform/parse.ts
 * unendedItem; the bad-input fixture fixtures/terraform/bad/missing-newline checks the CLI's message.
 */
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../../src/formats/terraform/parse.js';
import { processMemory } from '../../../src/engine/memory.js';

const rejects = async (text: string) => {
  try {
    await parseHcl(text);
    return undefined;
  } catch (e) {
    const p = e as Error & { line: number; column: number };
    return `${p.line}:${p.column}: ${p.message}`;
  }
};

describe('a missing newline after an item', () => {
  it('after an argument, before a closing brace (a comment between): an error at the brace', async () => {
    expect(await rejects('t {\n  a {\n    enabled = true /* managed */ }\n}\n')).toBe(
      '3:34: HCL: missing newline after argument (Terraform: an argument definition must end with a newline): start a new line before the "}"',
    );
    expect(await rejects('t {\n  a {\n    enabled = true }\n}\n')).toMatch(/^3:20: HCL: missing newline after argument/);
  });

  it('after a block, before another item', async () => {
    expect(await rejects('t {\n  b { c = 2 } d = 3\n}\n')).toMatch(
      /^2:15: HCL: missing newline after block definition .*start a new line after it$/,
    );
    expect(await rejects('t {\n  a = 1 b = 2\n}\n')).toMatch(/^2:9: HCL: missing newline after argument .*start a new line after it$/);
    // Such a comment is not a newline itself (terraform fmt: "Missing newline after argument").
    expect(await rejects('t {\n  a = 1 /* one\n  two */ b = 2\n}\n')).toMatch(/^3:10: HCL: missing newline after argument/);
    expect(await rejects('t {\n  x {\n  } /* one\n two */ d = 3\n}\n')).toMatch(/^4:9: HCL: missing newline after block definition/);
  });

  it('one-line blocks, comments after an item, and CRLF stay valid', async () => {
    for (const ok of [
      't {\n  server_side_encryption { enabled = true }\n  ttl { enabled = false } # c\n}\n',
      't { a = 1 }\n',
      't {\n  a = 1 /* x */ # y\n  b = 2 // z\n  c = 3 /* w */\n}',
      't {\r\n  a = 1 { }\r\n}\r\n'.replace(' { }', ''),
      't {}\n',
      // A comment over two lines, then the newline (terraform fmt accepts both: session 58's adversarial F8).
      't {\n  a {\n    name = "pk"\n  } /* a comment\n  on two lines */\n}\n',
      't {\n  a = 1 /* one\n  two */\n}\n',
    ])
      expect(await rejects(ok), ok).toBeUndefined();
  });

  it('scan reports the file an error with its line:column', async () => {
    const text =
      'resource "aws_dynamodb_table" "v" {\n  name     = "v"\n  hash_key = "pk"\n  server_side_encryption {\n    enabled = true /* managed */ }\n}\n';
    const r = await processMemory([{ path: 'main.tf', text }], 'scan');
    expect(r.outcomes[0].error).toMatchObject({ line: 5, column: 34 });
    expect(r.outcomes[0].tables).toEqual([]);
  });
});
