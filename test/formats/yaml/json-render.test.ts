/**
 * `jsonValue` (src/formats/yaml/render.ts): the JSON text inserted into a template. It walks the
 * value once and joins its pieces once; the implementation it replaced (copy the value into plain
 * JSON, then lay it out by nesting strings) is the reference here, on hand-picked values and on
 * random ones, in every style a template can have.
 */
import { describe, expect, it } from 'vitest';
import { type JsonStyle, jsonValue } from '../../../src/formats/yaml/render.js';
import { COMMENT, Intrinsic, YamlAlias, getAtt, ref, sub, type Value } from '../../../src/formats/yaml/values.js';
import { prng } from '../../../bench/generate.mjs';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The reference: the code jsonValue had before, as it was. */
const reference = {
  toJson(v: Value): unknown {
    if (v instanceof YamlAlias) throw new Error('a YAML alias cannot be written in JSON');
    if (v instanceof Intrinsic) return { [v.fn]: reference.toJson(v.arg) };
    if (Array.isArray(v)) return v.map(reference.toJson);
    if (typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== COMMENT)
          .map(([k, x]) => [k, reference.toJson(x)]),
      );
    return v;
  },
  nestsAtMost(v: Json, limit: number): boolean {
    if (v === null || typeof v !== 'object') return true;
    if (limit === 0) return false;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (!reference.nestsAtMost(x, limit - 1)) return false;
    return true;
  },
  inline(v: Json, style: JsonStyle): string {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) {
      const s = style.bracketSpace ? ' ' : '';
      return v.length === 0 ? '[]' : `[${s}${v.map((x) => reference.inline(x, style)).join(', ')}${s}]`;
    }
    const entries = Object.entries(v);
    const s = style.braceSpace ? ' ' : '';
    return entries.length === 0
      ? '{}'
      : `{${s}${entries.map(([k, x]) => `${JSON.stringify(k)}: ${reference.inline(x, style)}`).join(', ')}${s}}`;
  },
  layout(v: Json, indent: string, column: number, style: JsonStyle, eol: string): string {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (style.inline && reference.nestsAtMost(v, 2)) {
      const one = reference.inline(v, style);
      if (column + one.length + 1 <= style.width) return one;
    }
    const inner = indent + style.indent;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${eol}${v.map((x) => inner + reference.layout(x, inner, inner.length, style, eol)).join(',' + eol)}${eol}${indent}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, x]) => {
      const head = `${inner}${JSON.stringify(k)}: `;
      return head + reference.layout(x, inner, head.length, style, eol);
    });
    return `{${eol}${lines.join(',' + eol)}${eol}${indent}}`;
  },
  jsonValue(v: Value, indent: string, style: JsonStyle, eol: string, column = indent.length): string {
    return reference.layout(reference.toJson(v) as Json, indent, column, style, eol);
  },
};

const STYLES: JsonStyle[] = [
  { indent: '  ', inline: false, width: 80, braceSpace: true, bracketSpace: false, colon: ': ' },
  { indent: '    ', inline: true, width: 80, braceSpace: true, bracketSpace: false, colon: ': ' },
  { indent: '\t', inline: true, width: 120, braceSpace: false, bracketSpace: true, colon: ': ' },
  { indent: ' ', inline: true, width: 40, braceSpace: false, bracketSpace: false, colon: ': ' },
];

describe('jsonValue', () => {
  it('writes what the code it replaced wrote, on hand-picked values', () => {
    const policy: Value = {
      Version: '2012-10-17',
      [COMMENT]: 'a comment JSON has no place for',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt'],
          Condition: { StringEquals: { 'kms:CallerAccount': ref('AWS::AccountId') } },
        },
      ],
    };
    const values: Value[] = [
      'text with "quotes" and \\ and \u2028',
      42,
      true,
      [],
      {},
      { [COMMENT]: 'only a comment' },
      [[], {}, [[]]],
      ref('Key'),
      getAtt('Key', 'Arn'),
      { 'Fn::Join': ['', ['a', ref('AWS::Region')]] },
      { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: policy, EnableKeyRotation: true } },
    ];
    for (const style of STYLES)
      for (const eol of ['\n', '\r\n'])
        for (const v of values)
          for (const column of [0, 10, 70])
            expect(jsonValue(v, '    ', style, eol, column)).toBe(reference.jsonValue(v, '    ', style, eol, column));
  });

  it('writes what the code it replaced wrote, on 5,000 random values', () => {
    const { next } = prng(31);
    const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
    const keys = ['Ref', 'Fn::GetAtt', 'Type', 'Properties', 'a', 'b "q"', '', COMMENT];
    const random = (depth: number): Value => {
      const r = next();
      if (depth === 0 || r < 0.3) return pick<Value>(['x', '', 'arn:${AWS::Partition}', 0, 1.5, -2, true, false]);
      if (r < 0.45)
        return pick([ref('A'), getAtt('K', 'Arn'), sub('${AWS::Region}'), new Intrinsic('Fn::Join', ['', [random(depth - 1)]])]);
      const n = Math.floor(next() * 4);
      if (r < 0.7) return Array.from({ length: n }, () => random(depth - 1));
      const o: { [key: string]: Value } = {};
      for (let k = 0; k < n; k++) o[pick(keys)] = random(depth - 1);
      return o;
    };
    let inlined = 0;
    for (let n = 0; n < 5_000; n++) {
      const v = random(5);
      const style = pick(STYLES);
      const eol = pick(['\n', '\r\n']);
      const indent = pick(['', '  ', '\t\t']);
      const column = Math.floor(next() * 60);
      const want = reference.jsonValue(v, indent, style, eol, column);
      if (typeof v === 'object' && !want.includes('\n')) inlined++;
      expect(jsonValue(v, indent, style, eol, column), JSON.stringify(v)).toBe(want);
    }
    // Collections are written on one line and over several.
    expect(inlined).toBeGreaterThan(500);
  });

  it("lays arrays of scalars out as the file's own, whatever its other collections do", () => {
    const base: JsonStyle = { indent: '  ', inline: false, width: 80, braceSpace: true, bracketSpace: false, colon: ': ' };
    const key = getAtt('Key', 'Arn');
    // Objects expanded, arrays of scalars on one line (Prettier's layout).
    expect(jsonValue(key, '', { ...base, scalarArrays: true }, '\n')).toBe('{\n  "Fn::GetAtt": ["Key", "Arn"]\n}');
    expect(jsonValue(['a', 'b'], '', { ...base, scalarArrays: true, comma: ',', bracketSpace: true }, '\n')).toBe('[ "a","b" ]');
    // Too long for the line: one item a line still.
    expect(jsonValue(['a', 'b'], '', { ...base, scalarArrays: true, width: 10 }, '\n', 5)).toBe('[\n  "a",\n  "b"\n]');
    // Small collections on one line, arrays of scalars one item a line: an object holding one is expanded too.
    expect(jsonValue(key, '', { ...base, inline: true, scalarArrays: false }, '\n')).toBe(
      '{\n  "Fn::GetAtt": [\n    "Key",\n    "Arn"\n  ]\n}',
    );
    expect(jsonValue(ref('Key'), '', { ...base, inline: true, scalarArrays: false }, '\n')).toBe('{ "Ref": "Key" }');
    // An array of objects stays as `inline` says.
    expect(jsonValue([{ a: 1 }], '', { ...base, scalarArrays: true }, '\n')).toBe('[\n  {\n    "a": 1\n  }\n]');
    // Without evidence: as before.
    expect(jsonValue(key, '', base, '\n')).toBe('{\n  "Fn::GetAtt": [\n    "Key",\n    "Arn"\n  ]\n}');
  });

  it('refuses a YAML alias, as before, wherever it is', () => {
    for (const style of STYLES)
      for (const v of [new YamlAlias('a'), [new YamlAlias('a')], { k: [1, { j: new YamlAlias('a') }] }])
        expect(() => jsonValue(v, '', style, '\n')).toThrow('a YAML alias cannot be written in JSON');
  });
});
