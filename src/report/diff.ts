/**
 * Unified diffs that `git apply` accepts from the current directory.
 *
 * A fixed file's diff is computed from its edits: only the lines around each edit (with the
 * context) go through jsdiff, not the whole file, so the cost follows the size of the change
 * (a whole-file line diff was about 13% of a bulk fix).
 */
import { createTwoFilesPatch, formatPatch, structuredPatch, type StructuredPatchHunk } from 'diff';
import type { FileOutcome } from '../engine/pipeline.js';
import { sortEdits } from '../edits.js';
import { BOM } from '../text.js';
import type { Edit } from '../types.js';

const CONTEXT = 3;

export function fullText(o: FileOutcome, text: string): string {
  return o.bom ? BOM + text : text;
}

const hunkCache = new WeakMap<FileOutcome, string>();

/** The hunks of a file's diff (everything after the `+++` line), computed once per outcome. */
export function fileHunks(o: FileOutcome): string {
  let h = hunkCache.get(o);
  if (h === undefined) {
    const before = fullText(o, o.file.text);
    const after = fullText(o, o.newText ?? o.file.text);
    const body = o.edits
      ? formatPatch({ oldFileName: 'a', newFileName: 'b', oldHeader: undefined, newHeader: undefined, hunks: editHunks(before, after, o.edits, o.bom ? 1 : 0) })
      : createTwoFilesPatch('a', 'b', before, after, undefined, undefined, { context: CONTEXT });
    const lines = body.split('\n');
    h = lines.slice(lines.findIndex((l) => l.startsWith('+++ ')) + 1).join('\n');
    hunkCache.set(o, h);
  }
  return h;
}

/** Hunks computed elsewhere (a worker thread) for this outcome. */
export function setFileHunks(o: FileOutcome, hunks: string): void {
  hunkCache.set(o, hunks);
}

/** `p`: the path written in the patch (default: relative to the current directory). */
export function fileDiff(o: FileOutcome, p = o.file.path): string {
  if (o.newText === undefined) return '';
  // A git-style header (no jsdiff "====" banner), so that `git apply` knows the paths.
  return `diff --git a/${p} b/${p}\n--- a/${p}\n+++ b/${p}\n` + fileHunks(o);
}

export function colorDiff(diff: string, c: { red: (s: string) => string; green: (s: string) => string; cyan: (s: string) => string; bold: (s: string) => string }): string {
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---') || l.startsWith('diff --git')
        ? c.bold(l)
        : l.startsWith('+')
          ? c.green(l)
          : l.startsWith('-')
            ? c.red(l)
            : l.startsWith('@@')
              ? c.cyan(l)
              : l,
    )
    .join('\n');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the line that contains offset `o` (the last line start <= o). */
function lineOf(starts: number[], o: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The hunks of `before` -> `after`, where `after` is `before` with `edits` applied (offsets shifted
 * by `shift`): the lines of each edit plus the context, merged where they meet, diffed by jsdiff,
 * then moved to their place in the file.
 */
export function editHunks(before: string, after: string, edits: readonly Edit[], shift = 0): StructuredPatchHunk[] {
  const starts = lineStarts(before);
  const last = starts.length - 1;
  const sorted = sortEdits(edits).map((e) => ({ start: e.start + shift, end: e.end + shift, delta: e.text.length - (e.end - e.start) }));
  // Line regions [a, b] (inclusive) of the old text, each edit's lines with the context around them.
  const regions: { a: number; b: number }[] = [];
  for (const e of sorted) {
    const a = Math.max(0, lineOf(starts, e.start) - CONTEXT);
    const b = Math.min(last, lineOf(starts, e.end) + CONTEXT);
    const prev = regions[regions.length - 1];
    if (prev && a <= prev.b + 1) prev.b = Math.max(prev.b, b);
    else regions.push({ a, b });
  }
  const hunks: StructuredPatchHunk[] = [];
  let k = 0;
  let delta = 0;
  for (const { a, b } of regions) {
    const from = starts[a];
    const to = b + 1 <= last ? starts[b + 1] : before.length;
    // Edits before the region shift where it starts in the new text; those inside it, where it ends.
    while (k < sorted.length && sorted[k].start < from) delta += sorted[k++].delta;
    let inside = 0;
    while (k < sorted.length && (sorted[k].start < to || (to === before.length && sorted[k].start === to))) inside += sorted[k++].delta;
    const newFrom = from + delta;
    const newTo = to + delta + inside;
    const newLine = countLines(after, newFrom);
    const part = structuredPatch('a', 'b', before.slice(from, to), after.slice(newFrom, newTo), undefined, undefined, { context: CONTEXT });
    for (const h of part.hunks) hunks.push({ ...h, oldStart: h.oldStart + a, newStart: h.newStart + newLine });
    delta += inside;
  }
  return hunks;
}

function countLines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
