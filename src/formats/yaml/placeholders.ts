/**
 * Templates of templates: a YAML or JSON file with Jinja, Go template or ERB placeholders
 * (`{{ x }}`, `{% if %}`, `<% x %>`) is not the file that gets deployed; it is refused with the
 * place of the first placeholder. CloudFormation's own `{{resolve:...}}` dynamic references are
 * not placeholders.
 */
import { LineIndex } from '../../core/text.js';
import { ParseError } from '../../core/types.js';

const PLACEHOLDER = /\{\{(?!\s*resolve:)[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>/;

export function checkPlaceholders(text: string): void {
  const m = PLACEHOLDER.exec(text);
  if (m) {
    const pos = new LineIndex(text).position(m.index);
    throw new ParseError(
      `template placeholder ${JSON.stringify(m[0].length > 30 ? m[0].slice(0, 27) + '...' : m[0])}: render the template first, then run kmsfix on the result`,
      pos.line,
      pos.column,
    );
  }
}
