/**
 * Template placeholders, one rule for every format: Jinja / Go template / cookiecutter / SSM
 * Automation (`{{ x }}`), Jinja blocks and Step Functions JSONata (`{% x %}`), ERB / EJS / SAR
 * (`<% x %>`, `<%= x %>`), and a Terraform template's directives (`%{ for t in tables ~}`: a
 * `stack.json.tpl` that templatefile() renders). CloudFormation's own `{{resolve:...}}` dynamic references are not
 * placeholders.
 *
 * - A file that parses is scanned and fixed whatever placeholders it holds elsewhere (a CodeUri,
 *   a name, a state machine's definition): they are values like any other.
 * - A placeholder in a table's encryption setting makes that setting unreadable: the table is
 *   `unknown`, not fixable, and the message names the placeholder (`placeholderSetting`).
 * - A file that does not parse and holds a placeholder at or before the place the parser stopped
 *   is reported at the placeholder (`placeholderError`): render the template first.
 */
import { LineIndex } from './text.js';
import { ParseError } from './types.js';

/**
 * The placeholders of a text, in order, as the regular expression
 * `\{\{(?!\s*resolve:)[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|%\{[^}\n]*\}` would find them with its `g` flag,
 * without its cost: from every opening that is never closed, the expression scanned to the end of the text
 * (a 1.3 MB file of unclosed `<%` took 75 s to report its parse error). Each kind's closing is found
 * once from each opening (a kind none of whose openings closes is given up), and `%{...}`'s next `}` and
 * line break are reused while they stay ahead.
 */
export function* placeholders(text: string): Generator<{ index: number; text: string }> {
  const kinds = [
    { open: '{{', close: '}}' },
    { open: '{%', close: '%}' },
    { open: '<%', close: '%>' },
  ];
  const next = kinds.map((k) => text.indexOf(k.open));
  // Where the opening next[i] closes (-1: not found yet), kept while next[i] stays.
  const closes = kinds.map(() => -1);
  let nextDirective = text.indexOf('%{');
  // The next `}` and line break at or after a `%{`'s body (Infinity: none), reused while they stay ahead.
  let brace = 0;
  let newline = 0;
  let pos = 0;
  for (;;) {
    let best: { index: number; end: number } | undefined;
    for (const [i, k] of kinds.entries()) {
      if (next[i] !== -1 && next[i] < pos) {
        next[i] = text.indexOf(k.open, pos);
        closes[i] = -1;
      }
      while (next[i] !== -1 && (!best || next[i] < best.index)) {
        const at = next[i];
        if (i === 0 && /^\s*resolve:/.test(text.slice(at + 2, at + 64))) {
          next[i] = text.indexOf(k.open, at + 1);
          closes[i] = -1;
          continue;
        }
        if (closes[i] === -1) closes[i] = text.indexOf(k.close, at + 2);
        if (closes[i] === -1) next[i] = -1;
        else best = { index: at, end: closes[i] + 2 };
        break;
      }
    }
    // `%{...}` closes at the first `}` before the line ends.
    while (nextDirective !== -1 && nextDirective < pos) nextDirective = text.indexOf('%{', pos);
    while (nextDirective !== -1 && (!best || nextDirective < best.index)) {
      const at = nextDirective;
      if (brace < at + 2) brace = indexOrInfinity(text, '}', at + 2);
      if (newline < at + 2) newline = indexOrInfinity(text, '\n', at + 2);
      if (brace < newline) {
        best = { index: at, end: brace + 1 };
        break;
      }
      nextDirective = brace === Number.POSITIVE_INFINITY ? -1 : text.indexOf('%{', at + 1);
    }
    if (!best) return;
    yield { index: best.index, text: text.slice(best.index, best.end) };
    pos = best.end;
  }
}

function indexOrInfinity(text: string, s: string, from: number): number {
  const i = text.indexOf(s, from);
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}

function shown(p: string): string {
  return JSON.stringify(p.length > 30 ? p.slice(0, 27) + '...' : p);
}

/**
 * The first placeholder in a value (a setting's text), if any. Every opening holds a `{` or a `%`: a value with neither
 * (most names and settings, asked of every resource) holds none, without the generator's objects.
 */
export function placeholderIn(value: string): string | undefined {
  if (value.indexOf('{') === -1 && value.indexOf('%') === -1) return undefined;
  for (const p of placeholders(value)) return p.text;
  return undefined;
}

/** Why a setting holding a placeholder cannot be read, in the format's name for the setting. */
export function placeholderSetting(name: string, placeholder: string): string {
  return `${name} is the template placeholder ${shown(placeholder)} (render the template, then run kmsfix on the result)`;
}

/**
 * The error of a file that did not parse: at the last placeholder before the parser's error (or the
 * first one when the error has no place), which is what broke it; the parser's own error otherwise.
 */
export function placeholderError(text: string, err: ParseError): ParseError {
  const lines = new LineIndex(text);
  // A placeholder on the error's line counts (the parser may stop before it on that line).
  const limit = err.line === undefined ? Number.POSITIVE_INFINITY : (lines.starts[err.line] ?? text.length);
  let found: { index: number; text: string } | undefined;
  for (const m of placeholders(text)) {
    if (m.index >= limit) break;
    found = m;
    if (err.line === undefined) break;
  }
  if (!found) return err;
  const pos = lines.position(found.index);
  const parser = err.line === undefined ? err.message : `${err.message} at ${err.line}:${err.column ?? 1}`;
  return new ParseError(
    `template placeholder ${shown(found.text)} breaks parsing (${parser}): render the template first, then run kmsfix on the result`,
    pos.line,
    pos.column,
  );
}
