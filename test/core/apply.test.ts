/**
 * applyEdits splices sorted, checked edits into the text (src/core/apply.ts); until the sixty-third session
 * it applied them with magic-string. These cases pin that the result is magic-string's, byte for byte:
 * insertions where an edit starts or ends, several at one point, removals and replacements side by side.
 */
import { MagicString } from 'magic-string';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/apply.js';
import { checkEdits, EditConflictError } from '../../src/core/edits.js';
import type { Edit } from '../../src/core/types.js';

/** What the edits gave through magic-string (the way src/core/apply.ts applied them before). */
function throughMagicString(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const s = new MagicString(text);
  for (const e of checkEdits(text, edits)) {
    if (e.start === e.end) {
      if (e.text) s.appendLeft(e.start, e.text);
    } else if (e.text === '') s.remove(e.start, e.end);
    else s.overwrite(e.start, e.end, e.text);
  }
  return s.toString();
}

describe('applyEdits', () => {
  it('gives what magic-string gave for insertions beside replacements and removals, at the ends too', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n';
    const cases: Edit[][] = [
      [],
      [{ start: 0, end: 0, text: '# a\n' }],
      [{ start: text.length, end: text.length, text: 'Outputs: {}\n' }],
      [
        { start: 11, end: 11, text: 'first ' },
        { start: 11, end: 16, text: 'X:' },
        { start: 16, end: 16, text: ' after' },
        { start: 11, end: 11, text: 'second ' },
      ],
      [
        { start: 4, end: 9, text: '' },
        { start: 9, end: 9, text: 'IN' },
        { start: 4, end: 4, text: 'before' },
      ],
      [
        { start: 0, end: text.length, text: 'all' },
        { start: text.length, end: text.length, text: '!' },
        { start: 0, end: 0, text: '>' },
      ],
      [
        { start: 2, end: 3, text: '' },
        { start: 3, end: 5, text: 'yy' },
        { start: 5, end: 5, text: '' },
        { start: 5, end: 7, text: '' },
      ],
    ];
    for (const edits of cases) expect(applyEdits(text, edits), JSON.stringify(edits)).toBe(throughMagicString(text, edits));
  });

  it('gives what magic-string gave for random edits that do not overlap', () => {
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const text = 'abc\r\ndef ghi\n\tjkl: mno\n'.repeat(4);
    for (let round = 0; round < 2000; round++) {
      const edits: Edit[] = [];
      let at = 0;
      while (at <= text.length && edits.length < 8) {
        at += next(6);
        if (at > text.length) break;
        const length = next(3) === 0 ? 0 : Math.min(next(5), text.length - at);
        edits.push({ start: at, end: at + length, text: ['', 'x', 'yz\n', 'Key: |\n  a'][next(4)] });
        at += length;
      }
      // Given in a shuffled order: checkEdits sorts them (insertions at one point keep their order).
      for (let i = edits.length - 1; i > 0; i--) {
        const j = next(i + 1);
        if (edits[i].start !== edits[j].start) [edits[i], edits[j]] = [edits[j], edits[i]];
      }
      expect(applyEdits(text, edits), JSON.stringify(edits)).toBe(throughMagicString(text, edits));
    }
  });

  it('refuses overlapping edits and edits outside the text, as before', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: 'x' },
        { start: 3, end: 5, text: 'y' },
      ]),
    ).toThrow(EditConflictError);
    expect(() =>
      applyEdits('abcdef', [
        { start: 2, end: 2, text: 'x' },
        { start: 1, end: 4, text: 'y' },
      ]),
    ).toThrow(EditConflictError);
    expect(() => applyEdits('abc', [{ start: 2, end: 9, text: 'x' }])).toThrow(EditConflictError);
  });
});
