/**
 * Constant values (values.ts `constant`: the key policy every fix inserts) are written once per place
 * and style and the text reused (render.ts): the text must be what writing an equal, ordinary value
 * gives, at every indent, column, line ending and style, in YAML and JSON, however often it is asked.
 */
import { describe, expect, it } from 'vitest';
import { keyPolicyValue } from '../../../src/formats/yaml/cfnKeyResources.js';
import { type JsonStyle, type YamlStyle, jsonValue, yamlPairs } from '../../../src/formats/yaml/render.js';
import { Intrinsic, YamlAlias, constant, isConstant, type Value } from '../../../src/formats/yaml/values.js';

/** A deep copy that is not a constant. */
function copy(v: Value): Value {
  if (v instanceof Intrinsic) return new Intrinsic(v.fn, copy(v.arg));
  if (v instanceof YamlAlias) return new YamlAlias(v.name);
  if (Array.isArray(v)) return v.map(copy);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  return v;
}

const YAML: YamlStyle = {
  indent: '  ',
  quote: "'",
  shortTags: true,
  seqIndent: true,
  dashWidth: 2,
  noSub: false,
  flowArgs: true,
  flowScalars: false,
  plainInterpolation: false,
};
const yamlStyles: YamlStyle[] = [
  YAML,
  { ...YAML, indent: '    ', quote: '"', shortTags: false, seqIndent: false, dashWidth: 4 },
  { ...YAML, noSub: true, flowArgs: false, flowScalars: true },
];
const JSON_STYLE: JsonStyle = { indent: '  ', inline: false, width: 80, braceSpace: true, bracketSpace: false, colon: ': ' };
const jsonStyles: JsonStyle[] = [
  JSON_STYLE,
  { ...JSON_STYLE, indent: '    ', inline: true },
  { ...JSON_STYLE, inline: true, width: 120, braceSpace: false },
];

describe('constant values', () => {
  for (const mode of ['drop-in', 'iam'] as const) {
    const policy = keyPolicyValue(mode);
    const plain = copy(policy);

    it(`${mode}: the key policy is one constant, frozen all the way down`, () => {
      expect(keyPolicyValue(mode)).toBe(policy);
      expect(isConstant(policy)).toBe(true);
      expect(isConstant(plain)).toBe(false);
      const statement = (policy as { Statement: { [k: string]: Value }[] }).Statement[0];
      expect(Object.isFrozen(statement)).toBe(true);
      expect(() => {
        statement.Sid = 'changed';
      }).toThrow(TypeError);
    });

    it(`${mode}: written in YAML as an equal ordinary value is, asked again and again`, () => {
      for (let round = 0; round < 3; round++) {
        for (const style of yamlStyles) {
          for (const indent of ['', '      ', '\t']) {
            const entries = (v: Value): [string, Value][] => [['Properties', { Description: 'd', KeyPolicy: v }]];
            expect(yamlPairs(entries(policy), indent, style)).toEqual(yamlPairs(entries(plain), indent, style));
          }
        }
      }
    });

    it(`${mode}: written in JSON as an equal ordinary value is, at every column and line ending`, () => {
      for (let round = 0; round < 3; round++) {
        for (const style of jsonStyles) {
          for (const [indent, column] of [
            ['', 0],
            ['      ', 20],
            ['  ', 70],
          ] as const) {
            for (const eol of ['\n', '\r\n']) {
              expect(jsonValue({ KeyPolicy: policy }, indent, style, eol, column)).toBe(
                jsonValue({ KeyPolicy: plain }, indent, style, eol, column),
              );
              expect(jsonValue(policy, indent, style, eol, column)).toBe(jsonValue(plain, indent, style, eol, column));
            }
          }
        }
      }
    });
  }

  it('a small constant goes on one line where it fits, and not where it does not', () => {
    const small = constant({ Statement: ['a', 'b'] } as Value);
    const style = jsonStyles[1];
    const at = (column: number) => jsonValue(small, '  ', style, '\n', column);
    expect(at(2)).toBe('{ "Statement": ["a", "b"] }');
    expect(at(70)).toBe('{\n      "Statement": ["a", "b"]\n  }');
    expect(at(2)).toBe(jsonValue(copy(small), '  ', style, '\n', 2));
  });

  it('a constant of nested intrinsics and aliases is frozen too', () => {
    const v = constant({ A: [new Intrinsic('Fn::Sub', 'x-${AWS::Region}'), { B: new YamlAlias('a') }] } as Value);
    const list = (v as { A: Value[] }).A;
    expect(Object.isFrozen(list)).toBe(true);
    expect(Object.isFrozen(list[0])).toBe(true);
    expect(Object.isFrozen((list[1] as { B: Value }).B)).toBe(true);
  });
});
