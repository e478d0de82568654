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
