/** Unified diffs that `git apply` accepts from the current directory. */
import { createTwoFilesPatch } from 'diff';
import type { FileOutcome } from '../engine/pipeline.js';
import { BOM } from '../text.js';

export function fullText(o: FileOutcome, text: string): string {
  return o.bom ? BOM + text : text;
}

/** `p`: the path written in the patch (default: relative to the current directory). */
export function fileDiff(o: FileOutcome, p = o.file.path): string {
  if (o.newText === undefined) return '';
  const body = createTwoFilesPatch(`a/${p}`, `b/${p}`, fullText(o, o.file.text), fullText(o, o.newText), undefined, undefined, {
    context: 3,
  });
  // Drop jsdiff's "====" banner; keep a git-style header so `git apply` knows the paths.
  const lines = body.split('\n');
  const start = lines.findIndex((l) => l.startsWith('--- '));
  return `diff --git a/${p} b/${p}\n` + lines.slice(start).map((l) => l.replace(/^(---|\+\+\+) (\S+)\t$/, '$1 $2')).join('\n');
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
