/**
 * `declares` (src/formats/terraform/moduleScope.ts): which module files evaluation parses. It searches for
 * the words and checks the line's start behind each; the regular expression it replaced is the
 * reference, on hand-picked texts and on random texts made of the pieces that matter.
 */
import { describe, expect, it } from 'vitest';
import { declares } from '../../../src/formats/terraform/moduleScope.js';
import { prng } from '../../../bench/generate.mjs';

const REFERENCE = /(^|\n)\s*(variable|locals|output)\b|"(variable|locals|output)"\s*:/;

describe('declares', () => {
  it('agrees with the regular expression it replaced on hand-picked texts', () => {
    const texts = [
      '',
      'variable "x" {}\n',
      '  locals {\n',
      'resource "a" "b" {\n  description = "an output"\n}\n',
      'x = 1 # variable\n',
      '\n\n\t output "o" {}',
      'my-variable = 1\n',
      'variables = 1\n',
      'outputs\n',
      '{"variable": {"x": {}}}',
      '{"variable" : 1}',
      '"variable"',
      'a\r\nvariable "x" {}',
      'a\rvariable "x" {}',
      'a\u00a0variable',
      '\u00a0variable "x" {}',
      'x\n\u2028locals {}',
      '_locals = 1',
      'locals_x = 1',
      'output_ = 1',
      'data "x" "y" {}\n  # output\n',
      '  "output"\n  :',
    ];
    for (const t of texts) expect(declares(t), JSON.stringify(t)).toBe(REFERENCE.test(t));
  });

  it('agrees with it on 20,000 random texts', () => {
    const { next } = prng(16);
    const pieces = ['variable', 'locals', 'output', '"', ':', ' ', '\t', '\n', '\r', '\u00a0', 'x', '-', '_', '=', '{', '}', '#', 's', '1'];
    let yes = 0;
    for (let n = 0; n < 20_000; n++) {
      let t = '';
      const len = Math.floor(next() * 12);
      for (let k = 0; k < len; k++) t += pieces[Math.floor(next() * pieces.length)];
      const want = REFERENCE.test(t);
      if (want) yes++;
      expect(declares(t), JSON.stringify(t)).toBe(want);
    }
    // Both answers are exercised.
    expect(yes).toBeGreaterThan(1000);
    expect(yes).toBeLessThan(19_000);
  });
});
