/**
 * Diffs computed from the edits (src/report/diff.ts editHunks): whatever the text and the edits,
 * the hunks apply to the old text and give exactly the new one, like a whole-file diff would.
 */
import { applyPatch, createTwoFilesPatch, formatPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/apply.js';
import { editHunks } from '../../src/report/diff.js';
import type { Edit } from '../../src/core/types.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

function patchOf(before: string, after: string, edits: Edit[], shift = 0): string {
  return formatPatch({
    oldFileName: 'a',
    newFileName: 'b',
    oldHeader: undefined,
    newHeader: undefined,
    hunks: editHunks(before, after, edits, shift),
  });
}

const line = fc.oneof(
  fc.constantFrom('', '  a: 1', '}', 'resource "x" "y" {', '  # c', 'Key: !Ref T'),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
);
const text = fc
  .tuple(fc.array(line, { minLength: 0, maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, final]) => lines.join(eol) + (final && lines.length > 0 ? eol : ''));

/** Non-overlapping edits (insertions, deletions, replacements with line breaks) on a text. */
function editsFor(t: string): fc.Arbitrary<Edit[]> {
  const insert = fc.constantFrom('', 'x', '\n', '\n  kms: key\n', 'a\nb\nc\n', '\r\n  y\r\n');
  return fc.array(fc.tuple(fc.nat(t.length), fc.nat(8), insert), { maxLength: 5 }).map((raw) => {
    const edits: Edit[] = [];
    let last = -1;
    for (const [at, len, ins] of [...raw].sort((a, b) => a[0] - b[0])) {
      const start = Math.max(at, last);
      const end = Math.min(t.length, start + len);
      if (start > t.length) continue;
      edits.push({ start, end, text: ins });
      last = end;
    }
    return edits;
  });
}

describe('diff hunks from edits', () => {
  it('apply to the old text and give the new text (random texts and edits, LF and CRLF, with or without a final newline)', () => {
    fc.assert(
      fc.property(
        text.chain((t) => fc.tuple(fc.constant(t), editsFor(t))),
        ([before, edits]) => {
          const after = applyEdits(before, edits);
          if (after === before) return;
          expect(applyPatch(before, patchOf(before, after, edits))).toBe(after);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('with a BOM in front of both texts (offsets shifted by one)', () => {
    const before = 'A: 1\nB: 2\n';
    const edits = [{ start: 9, end: 9, text: '\nC: 3' }];
    const after = applyEdits(before, edits);
    expect(applyPatch('\uFEFF' + before, patchOf('\uFEFF' + before, '\uFEFF' + after, edits, 1))).toBe('\uFEFF' + after);
  });

  it('a line two edits insert around stays context (imports before it, a function after it): a pure insertion, as git shows it', () => {
    const before = "import * as cdk from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\n\nexport class S {}\n";
    const at = before.indexOf('import { Construct }');
    const end = before.indexOf('\n', at) + 1;
    const edits = [
      { start: at, end: at, text: "import * as kms from 'aws-cdk-lib/aws-kms';\n" },
      // At the line's end, before its line break: the two edits share the line.
      { start: end - 1, end: end - 1, text: '\n\nfunction policy() {}' },
    ];
    const after = applyEdits(before, edits);
    const patch = patchOf(before, after, edits);
    expect(applyPatch(before, patch)).toBe(after);
    expect(patch.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
    expect(patch).toContain("\n import { Construct } from 'constructs';\n");
  });

  it('give the same hunks as a whole-file diff when the change is unambiguous', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const edits = [
      { start: before.indexOf('line 5'), end: before.indexOf('line 5') + 6, text: 'LINE 5' },
      { start: before.indexOf('line 20'), end: before.indexOf('line 20'), text: 'new\n' },
    ];
    const after = applyEdits(before, edits);
    const whole = createTwoFilesPatch('a', 'b', before, after, undefined, undefined, { context: 3 });
    expect(patchOf(before, after, edits)).toBe(whole);
  });
});
