/** Duplicate keys (`parseYaml(text, true)`, `parseJson`: ParsedDoc.duplicates), as the YAML families report them. */
import type { LineIndex } from '../../core/text.js';
import { ParseError } from '../../core/types.js';

/**
 * A file with duplicate keys is an error (at the first repeated key), and its tables that do not
 * depend on a repeated key are still reported (never fixed: the engine writes no file in error). The message says
 * which are not (session 62's adversarial review, M3: it said "the tables read without it are reported" where the
 * only table held the repeated key and none was).
 */
export function duplicateKeyError(text: string, lines: LineIndex, offset: number, json = false): ParseError {
  const key = json ? /^"(?:[^"\\\r\n]|\\.)*"/.exec(text.slice(offset))?.[0] : /^[^:\r\n]*/.exec(text.slice(offset))![0].trim();
  const pos = lines.position(offset);
  const what = json ? 'JSON: duplicate key' : 'YAML: Map keys must be unique:';
  return new ParseError(
    `${what} ${key} repeats a key of its ${json ? 'object' : 'mapping'} (a table that holds a repeated key, whose name repeats or that is under a repeated key is not reported, the others are; the file is not fixed)`,
    pos.line,
    pos.column,
  );
}
