/**
 * Positions and file style: the one place that detects line endings, BOM, indentation
 * and converts offsets to lines and columns.
 */

export const BOM = '\uFEFF';

/**
 * A copy of `s` that shares no memory with other strings: not a slice of a file's text (a V8 sliced
 * string keeps its whole parent alive) nor a concatenation (a tree of pieces, 32 bytes a node).
 * For strings a run keeps per file or table to its end (issue 16: memory flat).
 */
export function flatCopy(s: string): string {
  // Short strings are copied by slice itself; a longer one is made anew by the JSON parser, in one piece.
  return s.length < 13 ? s : JSON.parse(JSON.stringify(s));
}

export function stripBom(text: string): { text: string; bom: boolean } {
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** The file's line ending: CRLF when most of its line breaks are CRLF. */
export function detectEol(text: string): '\n' | '\r\n' {
  // Most files have no CR at all: one native search instead of a look at every line break.
  if (!text.includes('\r')) return '\n';
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Offsets of line starts, for offset -> line/column. */
export class LineIndex {
  /** Offset of each line's start (after a text ending with a line break, the last is its length). */
  readonly starts: number[];
  constructor(readonly text: string) {
    // Counted first, then filled: an array grown by a push per line is copied as it grows (about three times
    // its final size allocated; one is made for every file a Terraform scan parses).
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Array<number>(count);
    starts[0] = 0;
    let k = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    this.starts = starts;
  }

  private static last: LineIndex | undefined;

  /**
   * The index of `text`, shared with the last caller that asked for the same text (a parser and the
   * detection after it, each once per file: 10 ms of a Terraform scan made the same index twice).
   * Not to be modified.
   */
  static of(text: string): LineIndex {
    const last = LineIndex.last;
    if (last !== undefined && last.text === text) return last;
    return (LineIndex.last = new LineIndex(text));
  }
  /** 0-based index of the line that holds an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.starts[line] + 1 };
  }
}

/**
 * Places or names in a message: all of them, joined with commas, or where there are more than `max`, the first
 * `shown` and how many more ("a, b, c and 2 more").
 */
export function someOf(items: string[], shown: number, max = shown): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** `s` as a regular expression that matches it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the end of the line holding `offset` (before its \r\n or \n), or the text's end. */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(start, i);
}

/** Move `offset` back over white space (spaces, tabs, line breaks). */
export function trimBack(text: string, offset: number, floor = 0): number {
  while (offset > floor && /\s/.test(text[offset - 1])) offset--;
  return offset;
}

/** Whether the character at `i` is white space as `\s` and String#trim see it. */
function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]));
}

/**
 * The indentation unit of an indentation-structured text: the most common positive step
 * between a line's indent and the indent of the line it nests under. Tabs win if lines start with tabs.
 */
export function detectIndentUnit(text: string, fallback = '  '): string {
  let tabs = 0;
  let spaces = 0;
  // How often each positive step occurs: steps up to 64 counted in an array (a Map per line was most of the cost).
  const small = new Int32Array(65);
  let large: Map<number, number> | undefined;
  let prev = 0;
  // Line by line without splitting: a line's leading white space (as String#trim sees it), then
  // blank and comment lines (`#`, `//`) are skipped.
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    let i = start;
    while (i < stop && isSpace(text, i)) i++;
    const c = text.charCodeAt(i);
    if (i < stop && c !== 35 && !(c === 47 && i + 1 < stop && text.charCodeAt(i + 1) === 47)) {
      const first = text.charCodeAt(start);
      if (first === 9) tabs++;
      else if (first === 32) spaces++;
      const width = i - start;
      if (width > prev) {
        const step = width - prev;
        if (step <= 64) small[step]++;
        else (large ??= new Map()).set(step, (large.get(step) ?? 0) + 1);
      }
      prev = width;
    }
    start = end + 1;
  }
  if (tabs > spaces) return '\t';
  // The most common step; of equally common ones, the smallest.
  let best = 0;
  let bestCount = 0;
  for (let step = 1; step <= 64; step++) {
    if (small[step] > bestCount) {
      best = step;
      bestCount = small[step];
    }
  }
  for (const [step, count] of large ?? []) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best > 0 && best <= 8 ? ' '.repeat(best) : fallback;
}

/**
 * A template engine's own file, rendered at build time into the file its name gives without this
 * suffix (`main-cf.yml.j2` -> `main-cf.yml`): Jinja, Go and other engines' templates.
 */
export const TEMPLATE_ENGINE_FILE = /\.(j2|jinja2?|tmpl|tpl)$/i;

/** The name a template engine's file renders to (`main-cf.yml.j2`: `main-cf.yml`); any other name as it is. */
export function renderedName(path: string): string {
  return path.replace(TEMPLATE_ENGINE_FILE, '');
}

/** Normalize a path for display: `/` separators. Only on Windows: elsewhere `\\` is a character of a name. */
export function toPosix(p: string): string {
  return process.platform === 'win32' ? p.split('\\').join('/') : p;
}

/** The `#` comment lines right above the line holding `offset`, nearest first (trimmed). */
export function commentLinesAbove(text: string, offset: number, inString?: (offset: number) => boolean): string[] {
  const out: string[] = [];
  let end = lineStartOf(text, offset);
  while (end > 0) {
    const start = lineStartOf(text, end - 1);
    const line = text.slice(start, end).trim();
    // A line of a string (a YAML block scalar's content) that starts with `#` is not a comment.
    if (!line.startsWith('#') || inString?.(start + text.slice(start, end).indexOf('#'))) break;
    out.push(line);
    end = start;
  }
  return out;
}

/**
 * Where a text nests deepest, for the position of a "nested too deeply" error (a parser that ran out
 * of stack), not for parsing: brackets `[{(` count one level each, strings and comments are not told
 * apart. When brackets barely nest, the most indented line stands for the deepest point.
 */
export function deepestNesting(text: string): { offset: number; depth: number } {
  let depth = 0;
  let best = { offset: 0, depth: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123 || c === 40) {
      depth++;
      if (depth > best.depth) best = { offset: i, depth };
    } else if ((c === 93 || c === 125 || c === 41) && depth > 0) depth--;
  }
  if (best.depth > 2) return best;
  let indent = { offset: 0, depth: 0 };
  for (let start = 0; start < text.length; ) {
    let i = start;
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '-') i++;
    if (i - start > indent.depth) indent = { offset: i, depth: i - start };
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    start = nl + 1;
  }
  return indent.depth > best.depth ? indent : best;
}

/**
 * A pattern where `*` matches any characters (dots included) and `?` one, matched against a whole string.
 * Not a RegExp: `^A.*A.*A.*...B$` backtracks exponentially in the number of stars on a string that does not
 * match (a `skip_table` of a committed .kmsfix.yml made a scan spin for minutes); this matches in
 * O(pattern x string), going back only to the last star.
 */
export function globMatcher(pattern: string): { test(value: string): boolean } {
  return { test: (value) => globMatches(pattern, value) };
}

function globMatches(p: string, s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let from = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === s[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      from = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++from;
    } else return false;
  }
  while (p[i] === '*') i++;
  return i === p.length;
}
