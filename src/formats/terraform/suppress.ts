/**
 * Suppression comments, on the comment lines just above a table's block or inside it, in each
 * tool's own syntax (src/core/suppressions.ts): Checkov, Trivy/tfsec, KICS and kmsfix's own.
 */
import { commentSuppressions } from '../../core/suppressions.js';
import { LineIndex } from '../../core/text.js';
import type { Suppression } from '../../core/types.js';
import type { HBlock, HComment } from './parse.js';

/** A comment that speaks for a block: inside it, or on the comment lines right above it (`above`). */
export interface BlockComment {
  text: string;
  above?: true;
}

/** Such a comment, and the offset of its line in the file. */
interface PlacedComment extends BlockComment {
  at: number;
}

/** The comments that speak for a block, placed: those inside it, and the comment lines right above it. */
function placedComments(text: string, comments: HComment[], b: { start: number; end: number }): PlacedComment[] {
  const out: PlacedComment[] = [];
  for (const c of comments) if (c.start >= b.start && c.start < b.end) out.push({ text: c.text, at: c.start });
  let end = text.lastIndexOf('\n', b.start - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!/^(#|\/\/|\/\*|\*)/.test(line)) break;
    out.push({ text: line, at: start, above: true });
    end = start - 1;
  }
  return out;
}

/** The comments that speak for a block: those inside it, and the comment lines right above it. */
export function blockComments(text: string, comments: HComment[], b: { start: number; end: number }): BlockComment[] {
  // A loop, not map(): suppressionsOf's forEach over the array an optimized map made (another map than the unoptimized
  // map's) threw detectBlocks' optimized code away (`wrong map`) in a dense Terraform scan.
  const out: BlockComment[] = [];
  for (const c of placedComments(text, comments, b)) out.push(c.above ? { text: c.text, above: true } : { text: c.text });
  return out;
}

/**
 * The suppressions of a block's comments (those inside it first). A Checkov skip above the block is
 * one Checkov does not read (it takes a Terraform skip comment only strictly inside the block, its
 * base_parser.py): marked `outside`, it counts under strict (the team's decision), not under Checkov's profile.
 */
export function suppressionsOf(comments: (string | BlockComment)[], placed?: (index: number) => string): Suppression[] {
  const seen = new Set<string>();
  const out: Suppression[] = [];
  comments.forEach((c, i) => {
    const t = typeof c === 'string' ? c : c.text;
    const above = typeof c !== 'string' && c.above;
    for (const found of commentSuppressions(t)) {
      const s: Suppression = above && found.tool === 'checkov' ? { ...found, outside: true } : found;
      const k = `${s.tool}\0${s.text}`;
      if (!seen.has(k)) out.push(placed ? { ...s, text: `${s.text} in ${placed(i)}` } : s);
      seen.add(k);
    }
  });
  return out;
}

/**
 * The suppressions of a local module's table (read as for the table's own row), for a call of the
 * module: the call creates that table, so they speak for it too. Each names the module file
 * (`file`, as the caller reaches it) and the line of its comment: `checkov:skip=CKV_AWS_119 in
 * modules/t/main.tf:9`. A `.tf.json` block's `"//"` comments (no parse of their own: `comments`
 * undefined) are named at the block's line.
 */
export function moduleTableSuppressions(
  text: string,
  comments: HComment[] | undefined,
  b: HBlock & { comments?: string[] },
  file: string,
): Suppression[] {
  const placed = comments ? placedComments(text, comments, b) : (b.comments ?? []).map((t) => ({ text: t, at: b.start }));
  if (placed.length === 0) return [];
  const lines = new LineIndex(text);
  return suppressionsOf(placed, (i) => `${file}:${lines.position(placed[i].at).line}`);
}
