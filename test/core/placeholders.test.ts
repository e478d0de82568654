/**
 * src/core/placeholders.ts finds template placeholders as the regular expression it replaced would (its
 * `g` flag's matches, in order), without scanning to the end of the text from every unclosed opening
 * (a 1.3 MB file of unclosed `<%` took 75 s to report its parse error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeholderIn, placeholders } from '../../src/core/placeholders.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261205);
const REFERENCE = /\{\{(?!\s*resolve:)[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|%\{[^}\n]*\}/g;

const byRegExp = (text: string) => [...text.matchAll(REFERENCE)].map((m) => ({ index: m.index, text: m[0] }));

describe('placeholders', () => {
  it("are the regular expression's matches, for texts made of the delimiters' characters", () => {
    const piece = fc.constantFrom('{', '}', '%', '<', '>', '\n', ' ', 'x', 'resolve:', '{{', '}}', '{%', '%}', '<%', '%>', '%{');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect([...placeholders(text)]).toEqual(byRegExp(text));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('examples', () => {
    expect(placeholderIn('TableName: {{ name }}-orders')).toBe('{{ name }}');
    expect(placeholderIn('{{resolve:ssm:/x}} and <%= y %>')).toBe('<%= y %>');
    expect(placeholderIn('%{ for t in tables ~}')).toBe('%{ for t in tables ~}');
    expect(placeholderIn('%{ open\n}')).toBeUndefined();
    expect(placeholderIn('plain')).toBeUndefined();
  });

  it('an unclosed opening a character: every opening is looked at once (linear), not scanned to the end', () => {
    // 200,000 openings of each kind and no closing: the RegExp scanned to the end from each.
    for (const open of ['<%', '{{', '{%', '%{']) expect([...placeholders(open.repeat(200_000))]).toEqual([]);
  });
});
