import type * as Yaml from 'yaml';
import { lazyRequire } from '../../core/lazy.js';

const yaml = lazyRequire<typeof Yaml>('yaml');

/**
 * CloudFormation (and PyYAML, cfn-lint, the AWS CLI) accept lines that continue a value no deeper
 * than its key, as AWS Solutions templates write them: a flow collection (their AppRegistry tags)
 *
 *       Tags: {
 *       'Solutions:SolutionID': !FindInMap [Solution, Data, "SolutionID"],
 *       }
 *
 * or a quoted scalar over lines (`EmailSubject: !Sub "Credentials` / `(${AWS::Region})"` under it).
 * `yaml` follows YAML 1.2 and rejects both. Inside a flow collection a line break only separates,
 * and a quoted scalar's line breaks fold: so the same document reads with those line breaks written
 * as spaces, same length, so every offset (and every edit) stays the user's. A quoted scalar's value
 * is then read from its own text alone (where its lines are deep enough), so it folds as written. A
 * flow collection is joined only where that cannot change a value (no comment, no plain scalar over
 * lines); anything else leaves the text as it is (and the error is reported).
 *
 * Returns the text with such values on one line and the values of the quoted scalars joined (by
 * their start), or undefined when there is none to join.
 */
export function joinUnderIndented(text: string): { text: string; values: Map<number, string> } | undefined {
  const batched = joinBatched(text);
  if (batched) return batched.text === text ? undefined : batched;
  return joinEachLexed(text);
}

/** joinUnderIndented one value per lex of the text (what joinBatched answers with fewer lexes, when it can). */
export function joinEachLexed(text: string): { text: string; values: Map<number, string> } | undefined {
  let out = text;
  const values = new Map<number, string>();
  const seen = new Set<number>();
  // Each join can change how the rest lexes (the lexer gives up at an under-indented line): re-lex after each.
  for (let joined = true; joined; ) {
    joined = false;
    for (const start of valueStarts(out)) {
      if (seen.has(start)) continue;
      seen.add(start);
      const breaks = breaksOf(out, start, values);
      if (breaks === undefined) continue;
      out = spaced(out, breaks);
      joined = true;
      break;
    }
  }
  return out === text ? undefined : { text: out, values };
}

/** How many lexes the batched joining takes before it leaves the text to the one-by-one loop. */
const MAX_PASSES = 8;

/**
 * The joins of joinUnderIndented from one lex of the text per pass, not one per value (one per value
 * made a template of 2,000 such values take 28 s): every value a pass's lex shows is joined, then the
 * text is lexed again for the values the joins revealed. A value found after an under-indented line
 * may be a misreading of that lex, so each pass checks that every value joined so far is still one
 * where the new lex reads the text; undefined when one is not (or after MAX_PASSES), and the caller
 * joins one value per lex as before.
 */
function joinBatched(text: string): { text: string; values: Map<number, string> } | undefined {
  let out = text;
  const values = new Map<number, string>();
  const seen = new Set<number>();
  const joinedAt: number[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const starts = valueStarts(out);
    const now = new Set(starts);
    if (joinedAt.some((s) => !now.has(s))) return undefined;
    // The pass's joins read the text as lexed and are written together at its end (one copy of the text a pass).
    const breaks: number[] = [];
    for (const start of starts) {
      // A value on a line an earlier join of the pass reaches: its line reads otherwise once joined (the next pass).
      if (seen.has(start) || start <= lineEndOf(out, breaks[breaks.length - 1] ?? -1)) continue;
      seen.add(start);
      const own = breaksOf(out, start, values);
      if (own === undefined || own.length === 0) continue;
      breaks.push(...own);
      joinedAt.push(start);
    }
    if (breaks.length === 0) return { text: out, values };
    out = spaced(out, breaks);
  }
  return undefined;
}

/** Offsets of the flow collections and quoted scalars that open in block context, as `yaml`'s lexer reads the text. */
function valueStarts(text: string): number[] {
  const starts: number[] = [];
  let offset = 0;
  let level = 0;
  const { Lexer } = yaml();
  for (const token of new Lexer().lex(text)) {
    // The lexer's own markers (document, scalar, flow end) are not in the text.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token === '{' || token === '[') {
      if (level === 0) starts.push(offset);
      level++;
    } else if (level === 0 && (token[0] === '"' || token[0] === "'")) starts.push(offset);
    else if ((token === '}' || token === ']') && level > 0) level--;
    offset += token.length;
  }
  return starts;
}

const SEPARATOR_BEFORE = new Set([',', '{', '[', ':', '}', ']', "'", '"']);
const SEPARATOR_AFTER = new Set([',', '}', ']']);

/**
 * The line breaks of the flow collection opening at `start`, to be written as spaces, when some line
 * of it is indented no deeper than the line it opens on and joining is sure to read the same;
 * otherwise undefined.
 */
function flowBreaks(text: string, start: number): number[] | undefined {
  const indent = lineIndent(text, start);
  const breaks: number[] = [];
  let shallow = false;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) break;
    } else if (c === "'" || c === '"') {
      if (!/[\s,[{:]/.test(text[i - 1])) continue; // inside a plain scalar (it's)
      const end = quoteEnd(text, i);
      if (end === undefined) return undefined;
      i = end;
    } else if (c === '#' && /\s/.test(text[i - 1])) return undefined;
    else if (c === '\n') {
      const lineBreak = lineBreakAt(text, i);
      const before = lastNonBlank(text, lineBreak);
      const after = firstNonBlank(text, i + 1);
      if (!SEPARATOR_BEFORE.has(before) && !SEPARATOR_AFTER.has(after)) return undefined; // a plain scalar over lines
      if (shallowAfter(text, i, indent)) shallow = true;
      breaks.push(lineBreak);
    }
  }
  if (depth !== 0 || !shallow) return undefined;
  return breaks;
}

/**
 * The line breaks of the quoted scalar opening at `start`, to be written as spaces, when some line of
 * it is indented no deeper than the line it opens on and its text alone reads as a string (then kept
 * in `values`); otherwise undefined.
 */
function quotedBreaks(text: string, start: number, values: Map<number, string>): number[] | undefined {
  const end = quoteEnd(text, start, true);
  if (end === undefined) return undefined;
  const indent = lineIndent(text, start);
  const breaks: number[] = [];
  let shallow = false;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    breaks.push(lineBreakAt(text, i));
    if (shallowAfter(text, i, indent)) shallow = true;
  }
  if (!shallow) return undefined;
  let value: unknown;
  try {
    value = yaml().parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  values.set(start, value);
  return breaks;
}

/** The line breaks joining the value at `start` (a flow collection or a quoted scalar) takes, if it is one to join. */
const breaksOf = (text: string, start: number, values: Map<number, string>) =>
  text[start] === '{' || text[start] === '[' ? flowBreaks(text, start) : quotedBreaks(text, start, values);

/** The end of the line after the line break at `at` (the text's length when there is none); -1 for none. */
function lineEndOf(text: string, at: number): number {
  if (at < 0) return -1;
  const next = text.indexOf('\n', at + (text[at] === '\r' ? 2 : 1));
  return next === -1 ? text.length : next;
}

/** The text with each of these line breaks (`\n` or `\r\n`) written as as many spaces. */
function spaced(text: string, breaks: number[]): string {
  let out = '';
  let from = 0;
  for (const b of breaks) {
    const width = text[b] === '\r' ? 2 : 1;
    out += text.slice(from, b) + ' '.repeat(width);
    from = b + width;
  }
  return out + text.slice(from);
}

/** The offset of the quote that closes the quoted scalar opening at `i` (on its line, unless `lines`). */
function quoteEnd(text: string, i: number, lines = false): number | undefined {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if ((c === '\n' || c === '\r') && !lines) return undefined;
    if (q === '"' && c === '\\') j++;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return undefined;
}

/** The indent of the line that holds `offset`. */
function lineIndent(text: string, offset: number): number {
  return leadingSpaces(text, text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where the line break whose `\n` is at `newline` starts (its `\r`, if it has one). */
function lineBreakAt(text: string, newline: number): number {
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** Is the line after the `\n` at `newline` a line with content, indented no deeper than `indent`? */
function shallowAfter(text: string, newline: number, indent: number): boolean {
  const next = leadingSpaces(text, newline + 1);
  return !/[\r\n]/.test(text[newline + 1 + next] ?? '\n') && next <= indent;
}

function leadingSpaces(text: string, from: number): number {
  let n = 0;
  while (text[from + n] === ' ') n++;
  return n;
}

/** The last character before `before` that is not white space (blank lines included). */
function lastNonBlank(text: string, before: number): string {
  let j = before - 1;
  while (j >= 0 && /\s/.test(text[j])) j--;
  return text[j] ?? '';
}

/** The first character from `from` that is not white space (blank lines included). */
function firstNonBlank(text: string, from: number): string {
  let j = from;
  while (j < text.length && /\s/.test(text[j])) j++;
  return text[j] ?? '';
}
