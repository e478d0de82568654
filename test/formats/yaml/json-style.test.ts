/**
 * The layout of a JSON template (`detectStyle`, src/formats/yaml/style.ts): whether it writes small
 * collections on one line, up to what width, with spaces inside braces or not. Its lines are found
 * once: searched for from every small collection, a minified template (one line of megabytes) took
 * the square of its length.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectStyle } from '../../../src/formats/yaml/style.js';
import { parseJson } from '../../../src/formats/yaml/tree.js';

const style = (text: string) =>
  detectStyle(
    text,
    parseJson(text).map((d) => d.root),
    'cloudformation',
    true,
  ).json;

describe('a JSON template’s layout', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts small collections on one line, and the widest line holding one (up to 120)', () => {
    const pretty = JSON.stringify({ A: { Ref: 'X' }, B: ['a', 'b'], C: { D: [1, 2] } }, null, 2);
    expect(style(pretty)).toMatchObject({ inline: false, width: 80 });
    const inline =
      '{\n  "A": { "Ref": "X" },\n  "B": ["a", "b"],\n  "L": { "Fn::Join": ["", ["arn:aws:s3:::", { "Ref": "Bucket" }, "/a/long/path/to/widen/the/line"]] }\n}\n';
    expect(style(inline)).toMatchObject({ inline: true, width: 101, braceSpace: true, bracketSpace: false });
    expect(style('{"A":{"Ref":"X"},"B":["a","b"]}')).toMatchObject({ inline: true, width: 80, braceSpace: false });
    expect(style(`{"A":{"Ref":"X"},"B":["${'x'.repeat(150)}"]}`)).toMatchObject({ inline: true, width: 120 });
    // The last line, without a line break after it (the mapping around it is not on one line).
    expect(style(`{\n"A": {"Ref": "${'x'.repeat(85)}"}}`)).toMatchObject({ inline: false, width: 102 });
  });

  it('reads how arrays of scalars are written from those arrays alone, not from the objects around them', () => {
    // Prettier's layout (miccolis/morton-ddb): one-key objects expanded as written, every array that fits on one line.
    const prettier =
      '{\n    "P": {\n        "NoEcho": true\n    },\n    "R": {\n        "Projection": {\n            "ProjectionType": "ALL"\n        }\n    },\n' +
      '    "O": { "Value": { "Fn::GetAtt": ["LambdaHandler", "Arn"] } },\n    "M": ["GET"]\n}\n';
    expect(style(prettier)).toMatchObject({ inline: false, scalarArrays: true });
    expect(style(prettier).comma).toBeUndefined();
    // One item a line though they would fit; the objects on one line say nothing of these.
    const expanded = '{\n  "A": { "Ref": "X" },\n  "B": { "Ref": "Y" },\n  "D": { "Ref": "Z" },\n  "C": [\n    "a",\n    "b"\n  ]\n}\n';
    expect(style(expanded)).toMatchObject({ inline: true, scalarArrays: false });
    // Expanded because too long for a line: no evidence (nor are arrays of objects).
    const long = `{\n  "A": [\n    "${'x'.repeat(50)}",\n    "${'y'.repeat(50)}"\n  ],\n  "S": [{ "a": 1 }]\n}\n`;
    expect(style(long).scalarArrays).toBeUndefined();
    // As many each way: no evidence either.
    expect(style('{\n  "A": ["a"],\n  "B": [\n    "b"\n  ]\n}\n').scalarArrays).toBeUndefined();
    // No space after the comma between items, as written.
    expect(style('{\n  "A": ["a","b"],\n  "B": ["c","d"],\n  "C": ["e", "f"]\n}\n')).toMatchObject({ scalarArrays: true, comma: ',' });
  });

  it('searches a one-line template for line breaks a few times, not once per small collection', () => {
    const metadata = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`j${i}`, Array(20).fill({ a: 1 })]));
    const text = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Metadata: metadata, Resources: {} });
    const roots = parseJson(text).map((d) => d.root);
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    const lastIndexOf = vi.spyOn(String.prototype, 'lastIndexOf');
    const result = detectStyle(text, roots, 'cloudformation', true).json;
    const onText = (spy: typeof indexOf) => spy.mock.contexts.filter((c) => String(c) === text).length;
    // 4,200 small collections; each search of this text scans its 200 KB line.
    expect(onText(indexOf) + onText(lastIndexOf)).toBeLessThan(10);
    expect(result).toMatchObject({ inline: true, width: 120, braceSpace: false });
  });
});
