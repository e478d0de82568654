/**
 * In-place edits of Terraform JSON (src/formats/terraform/jsonEdits.ts): only the property set is
 * written, in the layout of the object it goes into (the fixture pairs tf-json-minified,
 * tf-json-one-line-object and tf-json-one-line-attribute check whole fixes).
 */
import { describe, expect, it } from 'vitest';
import { setInPlace } from '../../../src/formats/terraform/jsonEdits.js';

const LF = { unit: '  ', eol: '\n' as const };

describe('setInPlace', () => {
  it('a one-line object keeps its separators: packed, spaced, or padded inside braces', () => {
    expect(setInPlace('{"a":{"b":1}}', ['a', 'c'], { d: [true] }, LF)).toBe('{"a":{"b":1,"c":{"d":[true]}}}');
    expect(setInPlace('{"a": {"b": 1}}', ['a', 'c'], { d: 1, e: 'x' }, LF)).toBe('{"a": {"b": 1, "c": {"d": 1, "e": "x"}}}');
    expect(setInPlace('{ "a": { "b": 1 } }', ['a', 'c'], { d: 1 }, LF)).toBe('{ "a": { "b": 1, "c": { "d": 1 } } }');
  });

  it('an object over lines gets a line of its own at its members’ indentation, with the file’s unit and line ends', () => {
    const text = '{\r\n\t"a": {\r\n\t\t"b": [1, 2]\r\n\t}\r\n}';
    expect(setInPlace(text, ['a', 'c'], { d: 1 }, { unit: '\t', eol: '\r\n' })).toBe(
      '{\r\n\t"a": {\r\n\t\t"b": [1, 2],\r\n\t\t"c": {\r\n\t\t\t"d": 1\r\n\t\t}\r\n\t}\r\n}',
    );
  });

  it('missing objects on the way are created; an empty object in a file over lines opens over lines', () => {
    expect(setInPlace('{\n  "x": {}\n}\n', ['x', 'y', 'z'], 1, LF)).toBe('{\n  "x": {\n    "y": {\n      "z": 1\n    }\n  }\n}\n');
    expect(setInPlace('{"x":{}}', ['x', 'y'], 1, LF)).toBe('{"x":{"y":1}}');
    expect(setInPlace('{\n  "p": 1\n}', ['data', 'd'], {}, LF)).toBe('{\n  "p": 1,\n  "data": {\n    "d": {}\n  }\n}');
  });

  it('an existing value is replaced, nothing else', () => {
    expect(setInPlace('{"s": {"enabled": false, "k": "x"}}', ['s', 'enabled'], true, LF)).toBe('{"s": {"enabled": true, "k": "x"}}');
    expect(setInPlace('{"a": 1}', ['a'], '${b}', LF)).toBe('{"a": "${b}"}');
    // Into an array element by index, as a repeated block's path gives it.
    expect(setInPlace('{"sse": [{"enabled": true}]}', ['sse', 0, 'k'], 'v', LF)).toBe('{"sse": [{"enabled": true, "k": "v"}]}');
  });
});
