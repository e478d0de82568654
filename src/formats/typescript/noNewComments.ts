/** The `no-new` lint comments that binding a table statement to a `const` (for its key's alias) leaves unused. */
import { lineEndOf, lineStartOf } from '../../core/text.js';

/** An edit of a comment that binding a table statement leaves unused. */
type Unused = { start: number; end: number; text: string };

/**
 * The `// eslint-disable-next-line no-new` just above a table statement `new Table(...)` (as eslint-config-standard
 * and airbnb's `no-new` make CDK code write it), which binding the statement to a `const` leaves unused: ESLint 9
 * reports an unused directive (and `--max-warnings 0` fails). The edit removing it: the comment (and its line break),
 * or `no-new` alone from a list of rules; undefined when there is none. Only an indented comment: the key's
 * declarations are inserted at its line's start, which a removal from there would overlap.
 */
export function noNewDirective(text: string, statementStart: number): Unused | undefined {
  const ls = lineStartOf(text, statementStart);
  if (ls === 0 || text.slice(ls, statementStart).trim() !== '') return undefined;
  const prev = lineStartOf(text, ls - 1);
  const line = text.slice(prev, ls).replace(/\r?\n$/, '');
  const m = /^([ \t]*)(\/\/|\/\*)\s*eslint-disable-next-line\s+(.*?)\s*(--[^*]*)?(\*\/)?\s*$/.exec(line);
  if (!m || (m[2] === '/*') !== (m[5] !== undefined) || !m[1]) return undefined;
  // The comment's line, up to the statement (its indent stays, as the line's own).
  return withoutNoNew(m[3], prev + line.indexOf(m[3], m[1].length + m[2].length), { start: prev + m[1].length, end: statementStart });
}

/** The same for `// eslint-disable-line no-new` ending the statement's first line: the comment and the blanks before it. */
export function noNewOnLine(text: string, statementStart: number): Unused | undefined {
  const line = text.slice(statementStart, lineEndOf(text, statementStart)).replace(/\r$/, '');
  const m = /([ \t]*)\/\/\s*eslint-disable-line\s+(.*?)\s*(--.*)?$/.exec(line);
  if (!m) return undefined;
  const at = statementStart + m.index;
  return withoutNoNew(m[2], at + m[0].indexOf(m[2], m[1].length + 2), { start: at, end: at + m[0].length });
}

/** A directive's rule list `rules` (at `listStart`) without no-new: the whole `comment` gone when no-new is all it names. */
function withoutNoNew(rules: string, listStart: number, comment: { start: number; end: number }): Unused | undefined {
  const names = rules.split(/\s*,\s*/);
  if (!names.includes('no-new')) return undefined;
  if (names.length === 1) return { ...comment, text: '' };
  return { start: listStart, end: listStart + rules.length, text: names.filter((r) => r !== 'no-new').join(', ') };
}
