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

const PLACEHOLDER = /\{\{(?!\s*resolve:)[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|%\{[^}\n]*\}/g;

function shown(p: string): string {
  return JSON.stringify(p.length > 30 ? p.slice(0, 27) + '...' : p);
}

/** The first placeholder in a value (a setting's text), if any. */
export function placeholderIn(value: string): string | undefined {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.exec(value)?.[0];
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
  let found: RegExpExecArray | undefined;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m && m.index < limit; m = PLACEHOLDER.exec(text)) {
    found = m;
    if (err.line === undefined) break;
  }
  if (!found) return err;
  const pos = lines.position(found.index);
  const parser = err.line === undefined ? err.message : `${err.message} at ${err.line}:${err.column ?? 1}`;
  return new ParseError(
    `template placeholder ${shown(found[0])} breaks parsing (${parser}): render the template first, then run kmsfix on the result`,
    pos.line,
    pos.column,
  );
}
