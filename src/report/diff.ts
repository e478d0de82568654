/**
 * Unified diffs that `git apply` accepts from the current directory.
 *
 * A fixed file's diff is computed from its edits (the lines each edit touches), not by a line
 * diff of the whole file, so its cost follows the size of the change (jsdiff was about 13% of a
 * bulk fix, and still 6% on the lines around each edit).
 */
import path from 'node:path';
import type * as Diff from 'diff';
import type { StructuredPatchHunk } from 'diff';
import { sortEdits } from '../core/edits.js';
import { lazyRequire } from '../core/lazy.js';
import { BOM, LineIndex, toPosix } from '../core/text.js';
import type { Edit } from '../core/types.js';
import type { FileOutcome } from '../core/result.js';

const CONTEXT = 3;

// jsdiff (its CommonJS build) is loaded by the first diff, not at startup.
const jsdiff = lazyRequire<typeof Diff>('diff');

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
      ? jsdiff().formatPatch({
          oldFileName: 'a',
          newFileName: 'b',
          oldHeader: undefined,
          newHeader: undefined,
          hunks: editHunks(before, after, o.edits, o.bom ? 1 : 0),
        })
      : jsdiff().createTwoFilesPatch('a', 'b', before, after, undefined, undefined, { context: CONTEXT });
    const lines = body.split('\n');
    h = lines.slice(lines.findIndex((l) => l.startsWith('+++ ')) + 1).join('\n');
    hunkCache.set(o, h);
  }
  return h;
}

/**
 * A path as git writes it in a patch header: in double quotes, with C escapes (\t, \n, \", \\)
 * and octal escapes for control characters and every byte of a non-ASCII character, when it holds
 * any of those (git's default core.quotePath); as it is otherwise (spaces included).
 */
export function gitQuote(p: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git quotes paths with control characters
  if (!/["\\\x00-\x1f\x7f-\uffff]/.test(p)) return p;
  const named: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };
  let out = '"';
  for (const byte of Buffer.from(p, 'utf8')) {
    if (named[byte]) out += '\\' + named[byte];
    else if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/** Whether a display path (relative to the current directory) lies outside it. */
export function outsideCwd(p: string): boolean {
  return p === '..' || p.startsWith('../') || p.startsWith('/');
}

/**
 * The path a diff names a file by: its path relative to the current directory; for a file outside
 * it, its absolute path without the leading `/` (as `git diff --no-index` does), never `../x`,
 * which `git apply` rejects.
 */
export function diffPath(o: FileOutcome): string {
  return outsideCwd(o.file.path) ? o.file.absPath.split(path.sep).join('/').replace(/^\/+/, '') : o.file.path;
}

/**
 * A file's path in a patch for a git work tree: relative to the work tree's root, as `git diff` writes
 * it from any folder. `git apply` inside a work tree reads a patch's paths from its root (and applies
 * those below the folder it runs in), whatever folder it runs in: `--patch-dir`'s patches, and
 * `--patch` run inside a work tree, name files so.
 */
export function repoPath(root: string, absPath: string): string {
  return toPosix(path.relative(root, absPath));
}

/** `p`: the path written in the patch (default: diffPath). */
export function fileDiff(o: FileOutcome, p = diffPath(o)): string {
  if (o.newText === undefined) return '';
  // A git-style header (no jsdiff "====" banner), so that `git apply` knows the paths.
  const a = gitQuote(`a/${p}`);
  const b = gitQuote(`b/${p}`);
  return `diff --git ${a} ${b}\n--- ${a}\n+++ ${b}\n` + fileHunks(o);
}

export function colorDiff(
  diff: string,
  c: { red: (s: string) => string; green: (s: string) => string; cyan: (s: string) => string; bold: (s: string) => string },
): string {
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

/** A text's lines, each with its line break (the last one may have none). */
function linesOf(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const e = text.indexOf('\n', i);
    const end = e === -1 ? text.length : e + 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

interface Change {
  /** 0-based index of the first removed line in the old text, and of the first added line in the new one. */
  old: number;
  neu: number;
  removed: string[];
  added: string[];
}

const NO_NEWLINE = '\\ No newline at end of file';

/** Beyond this many line pairs, a segment's lines are not aligned (shown removed and added whole). */
const ALIGN_LIMIT = 250_000;

/**
 * The changes between a segment's old and new lines, the lines both keep (their longest common
 * subsequence) left out, as `diff` shows them: relative indexes. One change for the whole when
 * nothing is kept or the segment is too large to align.
 */
function aligned(removed: string[], added: string[]): Change[] {
  const n = removed.length;
  const m = added.length;
  if (n === 0 || m === 0 || n * m > ALIGN_LIMIT) return [{ old: 0, neu: 0, removed, added }];
  // lcs[i][j]: the longest common subsequence of removed[i..] and added[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = removed[i] === added[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Change[] = [];
  let i = 0;
  let j = 0;
  let open: Change | undefined;
  while (i < n || j < m) {
    if (i < n && j < m && removed[i] === added[j] && lcs[i][j] === lcs[i + 1][j + 1] + 1) {
      open = undefined;
      i++;
      j++;
      continue;
    }
    if (!open) out.push((open = { old: i, neu: j, removed: [], added: [] }));
    // Removed lines before added ones, as diff -u writes a change.
    if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) open.removed.push(removed[i++]);
    else open.added.push(added[j++]);
  }
  return out;
}

function push(lines: string[], mark: string, line: string): void {
  if (line.endsWith('\n')) lines.push(mark + line.slice(0, -1));
  else lines.push(mark + line, NO_NEWLINE);
}

/**
 * The hunks of `before` -> `after`, where `after` is `before` with `edits` applied (offsets shifted
 * by `shift`), built from the edits alone: the lines each edit touches, less the lines that stay
 * the same at either end, are the removed and added lines; 3 lines of context around them, and
 * changes closer than 6 lines share a hunk, as in `diff -u`. No line diff is run.
 */
export function editHunks(before: string, after: string, edits: readonly Edit[], shift = 0): StructuredPatchHunk[] {
  const index = new LineIndex(before);
  const starts = index.starts;
  const last = starts.length - 1;
  const oldLine = (i: number) => before.slice(starts[i], i + 1 <= last ? starts[i + 1] : before.length);
  // Segments: the old lines of edits that share a line, with the new text that replaces them.
  const segments: { la: number; lb: number; delta: number; lineDelta: number; inDelta: number }[] = [];
  let delta = 0;
  let lineDelta = 0;
  for (const e of sortEdits(edits)) {
    const start = e.start + shift;
    const end = e.end + shift;
    const la = index.lineOf(start);
    const lb = index.lineOf(end);
    const d = e.text.length - (end - start);
    const prev = segments[segments.length - 1];
    if (prev && la <= prev.lb) {
      prev.lb = Math.max(prev.lb, lb);
      prev.inDelta += d;
    } else segments.push({ la, lb, delta, lineDelta, inDelta: d });
    delta += d;
    lineDelta += newlines(e.text) - newlines(before.slice(start, end));
  }
  const changes: Change[] = [];
  for (const g of segments) {
    const from = starts[g.la];
    const to = g.lb + 1 <= last ? starts[g.lb + 1] : before.length;
    const removed = linesOf(before.slice(from, to));
    const added = linesOf(after.slice(from + g.delta, to + g.delta + g.inDelta));
    let head = 0;
    while (head < removed.length && head < added.length && removed[head] === added[head]) head++;
    let tail = 0;
    while (
      tail < removed.length - head &&
      tail < added.length - head &&
      removed[removed.length - 1 - tail] === added[added.length - 1 - tail]
    )
      tail++;
    if (head === removed.length && head === added.length) continue;
    // Lines an edit keeps in its middle (an import inserted before a line and a function after it) stay context.
    for (const c of aligned(removed.slice(head, removed.length - tail), added.slice(head, added.length - tail)))
      changes.push({ old: g.la + head + c.old, neu: g.la + g.lineDelta + head + c.neu, removed: c.removed, added: c.added });
  }
  const hunks: StructuredPatchHunk[] = [];
  let i = 0;
  while (i < changes.length) {
    const first = changes[i];
    const lead = Math.max(0, first.old - CONTEXT);
    const lines: string[] = [];
    for (let k = lead; k < first.old; k++) push(lines, ' ', oldLine(k));
    let oldCount = first.old - lead;
    let newCount = first.old - lead;
    let j = i;
    for (;;) {
      const c = changes[j];
      for (const l of c.removed) push(lines, '-', l);
      for (const l of c.added) push(lines, '+', l);
      oldCount += c.removed.length;
      newCount += c.added.length;
      const endOld = c.old + c.removed.length;
      const next = changes[j + 1];
      if (next && next.old - endOld <= 2 * CONTEXT) {
        for (let k = endOld; k < next.old; k++) push(lines, ' ', oldLine(k));
        oldCount += next.old - endOld;
        newCount += next.old - endOld;
        j++;
        continue;
      }
      const stop = Math.min(endOld + CONTEXT, last + 1, starts[last] === before.length ? last : last + 1);
      for (let k = endOld; k < stop; k++) push(lines, ' ', oldLine(k));
      oldCount += Math.max(0, stop - endOld);
      newCount += Math.max(0, stop - endOld);
      break;
    }
    hunks.push({ oldStart: lead + 1, oldLines: oldCount, newStart: first.neu - (first.old - lead) + 1, newLines: newCount, lines });
    i = j + 1;
  }
  return hunks;
}
