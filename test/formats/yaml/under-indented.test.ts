/**
 * Lines that continue a value no deeper than its key: a flow collection (AWS Solutions templates'
 * AppRegistry tags) or a quoted scalar (their e-mail subjects and CSP headers). CloudFormation and
 * PyYAML read them, `yaml` rejects them. kmsfix reads them with those line breaks as spaces (same
 * offsets), a quoted scalar's value from its own text, a flow collection only where that is sure to
 * read the same; otherwise the file stays an error with its line. The fixture
 * cloudformation/flow-under-indented fixes such a template.
 */
import { describe, expect, it } from 'vitest';
import { joinEachLexed, joinUnderIndented } from '../../../src/formats/yaml/underIndented.js';
import { child, parseYamlReference, type CNode } from '../../../src/formats/yaml/tree.js';
import { processMemory } from '../../../src/engine/memory.js';

const joinUnderIndentedFlows = (text: string) => joinUnderIndented(text)?.text;
/** A scalar's value (tagged or not), or the node's kind. */
const scalarOf = (n: CNode | null | undefined) => (n?.kind === 'scalar' ? n.value : n?.kind);
/** Resources.T.Properties of a parsed template. */
const propsOf = (text: string) => child(child(child(parseYamlReference(text)[0].root, 'Resources'), 'T'), 'Properties');
const template = (tags: string) =>
  `Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\n${tags}\n  B:\n    Type: X\n`;

describe('flow collections indented like their key', () => {
  it('joins the collection on one line, same length, and leaves the rest', () => {
    const text = template("      Tags: {\n      'a': !Ref X,\n      'b': \"c\", \n      }");
    const joined = joinUnderIndentedFlows(text)!;
    expect(joined.length).toBe(text.length);
    expect(joined).toBe(template("      Tags: {       'a': !Ref X,       'b': \"c\",        }"));
  });

  it('keeps CRLF widths: each line break becomes as many spaces', () => {
    const text = template('      Tags: [\r\n      {Key: a, Value: b},\r\n      ]').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
    expect(joinUnderIndentedFlows(text)?.length).toBe(text.length);
  });

  it('reads the same values as a well-indented document, at the same offsets', () => {
    const text = template("      Tags: {\n      'a': !Ref X,\n      'b': c d,\n      }");
    const tags = child(propsOf(text), 'Tags') as CNode;
    expect(tags.kind === 'map' && tags.pairs.map((p) => [p.key, scalarOf(p.value)])).toEqual([
      ['a', 'X'],
      ['b', 'c d'],
    ]);
    expect(text.slice(tags.start, tags.end).startsWith('{')).toBe(true);
    expect(text.slice(tags.start, tags.end).endsWith('}')).toBe(true);
  });

  it('finds one after hundreds of well-indented collections', () => {
    const many = Array.from({ length: 400 }, (_, i) => `  R${i}:\n    Type: X\n    Properties:\n      A: !FindInMap [a, b, c]\n`).join('');
    const text = `${template('      Tags: {\n      a: b,\n      }')}${many}`;
    expect(joinUnderIndentedFlows(text)).toBe(`${template('      Tags: {       a: b,       }')}${many}`);
  });

  it('leaves well-indented collections alone', () => {
    expect(joinUnderIndentedFlows(template('      Tags: [\n        a,\n        b ]'))).toBeUndefined();
  });

  it.each([
    ['a comment', "      Tags: {\n      'a': b, # why\n      }"],
    ['a plain scalar over two lines', '      Tags: {\n      a: b\n      c,\n      }'],
    ['a quoted scalar over two lines', "      Tags: {\n      a: 'b\n      c',\n      }"],
    ['an unclosed collection', "      Tags: {\n      'a': b,\n"],
  ])('declines %s: the file stays an error with its line', async (_, tags) => {
    const text = template(tags);
    expect(joinUnderIndentedFlows(text)).toBeUndefined();
    const r = await processMemory([{ path: 'template.yaml', text }], 'scan');
    expect(r.outcomes[0].error?.message).toMatch(/^YAML: /);
    expect(r.outcomes[0].error?.line).toBeGreaterThan(5);
  });
});

describe('quoted scalars continued no deeper than their key', () => {
  const valueAt = (text: string, key: string): unknown => {
    const found = child(propsOf(text), key);
    return scalarOf(found?.kind === 'seq' ? found.items[0] : found);
  };

  it('reads the value as it folds (one space per line break), at the same offsets', () => {
    const text = template('      Subject: !Sub "Console credentials\n      (${AWS::Region})"');
    expect(joinUnderIndented(text)?.text.length).toBe(text.length);
    expect(valueAt(text, 'Subject')).toBe('Console credentials (${AWS::Region})');
  });

  it('reads an escaped line break (`\\` at the end of a line) in a sequence item', () => {
    const text = template("      Csp: !Sub\n        - \"object-src 'none'; \\\n        base-uri 'self';\"\r".replace('\r', ''));
    expect(valueAt(text, 'Csp')).toBe("object-src 'none'; base-uri 'self';");
  });

  it('leaves quoted scalars continued deeper alone', () => {
    expect(joinUnderIndented(template("      A: 'x\n        y'"))).toBeUndefined();
  });
});

describe('joined from one lex a pass, not one lex a value (2,000 values took 28 s)', () => {
  /** A template with `n` quoted scalars and flow collections over lines, indented like their keys, and a block scalar holding quotes. */
  const many = (n: number) =>
    [
      'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\nMetadata:',
      ...Array.from({ length: n }, (_, i) =>
        i % 3 === 0
          ? `  q${i}: !Sub "Credentials ${i}\n  (\${AWS::Region})"`
          : i % 3 === 1
            ? `  f${i}: {\n  'a': !Ref X${i},\n  }`
            : `  b${i}: |\n    "not a value\n    of its own"`,
      ),
      '',
    ].join('\n');

  it('the same text and values as one lex a value', () => {
    for (const n of [1, 2, 3, 7, 30]) {
      const text = many(n);
      const batched = joinUnderIndented(text);
      expect(batched, String(n)).toEqual(joinEachLexed(text));
    }
    expect(joinUnderIndented(many(30))!.values.get(many(30).indexOf('"Credentials 27'))).toBe('Credentials 27 (${AWS::Region})');
  });

  it('two values on one line of the joined text, and CRLF: as one lex a value', () => {
    const text = 'Metadata:\n  a: ["x",\n  "y"]\n  b: "p\n  q"\r\n  c: {k: "v\r\n  w"}\n';
    expect(joinUnderIndented(text)).toEqual(joinEachLexed(text));
  });
});
