/** Unified diffs that `git apply` accepts from the current directory. */
import { createTwoFilesPatch } from 'diff';
import type { FileOutcome } from '../engine/pipeline.js';
import { BOM } from '../text.js';

export function fullText(o: FileOutcome, text: string): string {
  return o.bom ? BOM + text : text;
}

const hunkCache = new WeakMap<FileOutcome, string>();

/** The hunks of a file's diff (everything after the `+++` line), computed once per outcome. */
export function fileHunks(o: FileOutcome): string {
  let h = hunkCache.get(o);
  if (h === undefined) {
    const body = createTwoFilesPatch('a', 'b', fullText(o, o.file.text), fullText(o, o.newText ?? o.file.text), undefined, undefined, { context: 3 });
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
