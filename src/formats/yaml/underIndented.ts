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
  let out = text;
  const values = new Map<number, string>();
  const seen = new Set<number>();
  // Each join can change how the rest lexes (the lexer gives up at an under-indented line): re-lex after each.
  for (let joined = true; joined; ) {
    joined = false;
    for (const start of valueStarts(out)) {
      if (seen.has(start)) continue;
      seen.add(start);
      const next = out[start] === '{' || out[start] === '[' ? joinFlow(out, start) : joinQuoted(out, start, values);
      if (next === undefined) continue;
      out = next;
      joined = true;
      break;
    }
  }
  return out === text ? undefined : { text: out, values };
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
 * The text with the line breaks of the flow collection opening at `start` written as spaces, when
 * some line of it is indented no deeper than the line it opens on and joining is sure to read the
 * same; otherwise undefined.
 */
function joinFlow(text: string, start: number): string | undefined {
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
  return spaced(text, breaks);
}

/**
 * The text with the line breaks of the quoted scalar opening at `start` written as spaces, when some
 * line of it is indented no deeper than the line it opens on and its text alone reads as a string
 * (then kept in `values`); otherwise undefined.
 */
function joinQuoted(text: string, start: number, values: Map<number, string>): string | undefined {
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
  return spaced(text, breaks);
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
