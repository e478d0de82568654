/** How the lines of a commit message read: counts, and words wrapped at 72 columns. */

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
