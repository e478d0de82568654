/**
 * HCL quoted strings read as HashiCorp's lexer reads them (src/core/hclStrings.ts): an interpolation's own strings and
 * braces are inside the string (session 56, adversarial F2), and the scanners of src/formats/terraform that split or
 * match brackets use it.
 */
import { describe, expect, it } from 'vitest';
import { quotedEnd } from '../../src/core/hclStrings.js';
import { soleInterpolation } from '../../src/formats/terraform/inputUses.js';
import { splitConditional, splitTop } from '../../src/formats/terraform/split.js';

describe('quotedEnd', () => {
  const end = (s: string, lineEnd = false) => s.slice(0, quotedEnd(s, 0, lineEnd));
  it('a plain string, an escaped quote', () => {
    expect(end('"abc" x')).toBe('"abc"');
    expect(end('"a\\"b" x')).toBe('"a\\"b"');
  });
  it("an interpolation's strings, braces and nested templates are the string's", () => {
    expect(end('"audit-${replace(var.team, "{", "")}" = 1')).toBe('"audit-${replace(var.team, "{", "")}"');
    expect(end('"${x ? "a${"}"}" : "b"}-c" d')).toBe('"${x ? "a${"}"}" : "b"}-c"');
    expect(end('"%{ if x == "}" }y%{ endif }" z')).toBe('"%{ if x == "}" }y%{ endif }"');
    expect(end('"${ { a = 1 }["a"] }" z')).toBe('"${ { a = 1 }["a"] }"');
  });
  it('$${ and %%{ are text', () => {
    expect(end('"$${x" y"')).toBe('"$${x"');
    expect(end('"%%{x" y"')).toBe('"%%{x"');
  });
  it('unclosed: to the end, or to the line break with lineEnd', () => {
    expect(end('"abc')).toBe('"abc');
    expect(end('"abc\nx = "d"', true)).toBe('"abc');
  });
});

describe('the Terraform scanners that skip strings', () => {
  it('splitTop', () => {
    expect(splitTop('"${replace(a, "{", "")}", b')).toEqual(['"${replace(a, "{", "")}"', 'b']);
  });
  it('splitConditional', () => {
    expect(splitConditional('var.on ? "${replace(a, "(", "")}" : null')).toEqual(['var.on', '"${replace(a, "(", "")}"', 'null']);
  });
  it('soleInterpolation', () => {
    expect(soleInterpolation('"${lookup(var.m, "}", null)}"')).toBe('lookup(var.m, "}", null)');
    expect(soleInterpolation('"${f("a${g("}")}")}"')).toBe('f("a${g("}")}")');
  });
});
