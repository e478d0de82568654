/** Duplicate keys (`parseYaml(text, true)`, `parseJson`: ParsedDoc.duplicates), as the YAML families report them. */
import type { LineIndex } from '../../core/text.js';
import { ParseError } from '../../core/types.js';

/**
 * A file with duplicate keys is an error (at the first repeated key), and its tables that do not
 * depend on a repeated key are still reported (never fixed: the engine writes no file in error).
 */
export function duplicateKeyError(text: string, lines: LineIndex, offset: number, json = false): ParseError {
  const key = json ? /^"(?:[^"\\\r\n]|\\.)*"/.exec(text.slice(offset))?.[0] : /^[^:\r\n]*/.exec(text.slice(offset))![0].trim();
  const pos = lines.position(offset);
  const what = json ? 'JSON: duplicate key' : 'YAML: Map keys must be unique:';
  return new ParseError(
    `${what} ${key} repeats a key of its ${json ? 'object' : 'mapping'} (the tables read without it are reported; the file is not fixed)`,
    pos.line,
    pos.column,
  );
}
