/** How the lines of a commit message read: counts, and words wrapped at 72 columns. */
import path from 'node:path';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A file the run read at `other`, shown as the message shows the table file it goes with (`shown`, from the repository's
 * root; the run read that table file at `tableFile`): its path from the table file's folder, then from the root.
 */
export const shownBeside = (shown: string, tableFile: string, other: string) =>
  path.posix.normalize(path.posix.join(path.posix.dirname(shown), path.posix.relative(path.posix.dirname(tableFile), other)));

/** Words wrapped at 72 columns, each line after the first indented by `indent`; code in backquotes is never broken. */
export function wrap(text: string, indent: string, first = ''): string {
  const lines: string[] = [];
  let line = first;
  let words = 0;
  for (const word of text.match(/(?:`[^`]*`|\S)+/g) ?? []) {
    if (words > 0 && line.length + 1 + word.length > 72) {
      lines.push(line);
      line = indent + word;
    } else line = words > 0 ? `${line} ${word}` : line + word;
    words++;
  }
  lines.push(line);
  return lines.join('\n');
}
