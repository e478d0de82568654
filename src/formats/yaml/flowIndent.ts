import type * as Yaml from 'yaml';
import { lazyRequire } from '../../core/lazy.js';

const yaml = lazyRequire<typeof Yaml>('yaml');

/**
 * CloudFormation (and PyYAML, cfn-lint, the AWS CLI) accept a flow collection in a block mapping
 * whose lines are indented no deeper than its key, as AWS Solutions templates write their
 * AppRegistry tags:
 *
 *       Tags: {
 *       'Solutions:SolutionID': !FindInMap [Solution, Data, "SolutionID"],
 *       }
 *
 * `yaml` follows YAML 1.2 and rejects it ("Flow map in block collection must be sufficiently
 * indented"). Inside a flow collection a line break is only a separator, so the same document reads
 * with that collection's line breaks written as spaces: same length, so every offset (and every
 * edit) stays the user's. Only where that is sure: no comment, no quoted or plain scalar running
 * over a line break; anything else leaves the text as it is (and the error is reported).
 *
 * Returns the text with such collections on one line, or undefined when there is none to join.
 */
export function joinUnderIndentedFlows(text: string): string | undefined {
  let out = text;
  const seen = new Set<number>();
  // Each join can change how the rest lexes (the lexer gives up at an under-indented line): re-lex after each.
  for (let joined = true; joined; ) {
    joined = false;
    for (const start of flowStarts(out)) {
      if (seen.has(start)) continue;
      seen.add(start);
      const next = joinFlow(out, start);
      if (next === undefined) continue;
      out = next;
      joined = true;
      break;
    }
  }
  return out === text ? undefined : out;
}

/** Offsets of the flow collections that open in block context, as `yaml`'s lexer reads the text. */
function flowStarts(text: string): number[] {
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
    } else if ((token === '}' || token === ']') && level > 0) level--;
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
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = leadingSpaces(text, lineStart);
  const breaks: number[] = [];
  let shallow = false;
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
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
      const lineBreak = text[i - 1] === '\r' ? i - 1 : i;
      const before = lastNonBlank(text, lineBreak);
      const after = firstNonBlank(text, i + 1);
      if (!SEPARATOR_BEFORE.has(before) && !SEPARATOR_AFTER.has(after)) return undefined; // a plain scalar over lines
      const next = leadingSpaces(text, i + 1);
      if (!/[\r\n]/.test(text[i + 1 + next] ?? '\n') && next <= indent) shallow = true;
      breaks.push(lineBreak);
    }
  }
  if (depth !== 0 || !shallow) return undefined;
  let out = '';
  let from = 0;
  for (const b of breaks) {
    const width = text[b] === '\r' ? 2 : 1;
    out += text.slice(from, b) + ' '.repeat(width);
    from = b + width;
  }
  return out + text.slice(from);
}

/** The offset of the quote that closes the quoted scalar opening at `i`, if it closes on its line. */
function quoteEnd(text: string, i: number): number | undefined {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\n' || c === '\r') return undefined;
    if (q === '"' && c === '\\') j++;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return undefined;
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
