/**
 * The fast YAML parser (src/formats/yaml/yamlfast.ts) against the reference path (`yaml`):
 * on every YAML template the tests know (fixtures, the peers' cases read in place), on generated
 * templates and on mutated ones, it returns exactly the reference tree, or nothing (and then the
 * reference parser is used). Never a different tree, never a tree where `yaml` reports an error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml, parseYamlReference, type CNode, type ParsedDoc } from '../../../src/formats/yaml/tree.js';
import { parseYamlFast } from '../../../src/formats/yaml/yamlfast.js';
import { cfnTemplate, cfnYaml, prng, serverlessYml, type Prng } from '../../../bench/generate.mjs';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';
import { HAVE_PEERS, PEERS, itPeers } from '../../helpers/peer-cases.js';
import { randomCfnYaml } from '../../helpers/property-gen.js';
import { filesUnder, judge, mutants, referenceOf, type Verdict } from '../../helpers/differential.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

const yamlFiles = (dir: string): string[] => filesUnder(dir, /\.(ya?ml|template)$/i);

function stripBom(t: string): string {
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

/**
 * The documents with each alias's target written as the path of the very node object it points to
 * in the same tree (or FOREIGN): equal views mean equal trees and the same anchored nodes, which the
 * alias-safety rules (anchors.ts: AnchorIndex keys sites by node identity) and resolved.ts rely on.
 */
function view(docs: ParsedDoc[]): unknown {
  return docs.map((d) => {
    const paths = new Map<CNode, string>();
    const index = (node: CNode | null, at: string): void => {
      if (!node) return;
      paths.set(node, at);
      if (node.kind === 'map') for (const [i, p] of node.pairs.entries()) index(p.value, `${at}.${i}`);
      else if (node.kind === 'seq') for (const [i, item] of node.items.entries()) index(item, `${at}[${i}]`);
    };
    index(d.root, '$');
    const copy = (node: CNode | null): unknown => {
      if (!node) return node;
      if (node.kind === 'alias') return { ...node, target: node.target ? (paths.get(node.target) ?? 'FOREIGN') : null };
      if (node.kind === 'map') return { ...node, pairs: node.pairs.map((p) => ({ ...p, value: copy(p.value) })) };
      if (node.kind === 'seq') return { ...node, items: node.items.map(copy) };
      return node;
    };
    return { ...d, root: copy(d.root) };
  });
}

/** Fast and reference on one text: the fast tree, when there is one, must equal the reference tree. */
function compare(text: string): Verdict {
  return judge(
    text,
    parseYamlFast(text),
    referenceOf(() => parseYamlReference(text)),
    'yaml',
    view,
  );
}

/**
 * A random document of anchors, aliases and merge keys in every place the fast parser reads them
 * (block and flow values, sequence items, tags before or after the anchor, comments after them,
 * names redefined) and some it leaves to `yaml` (aliases before or inside their anchor, anchors on
 * keys or on empty values, unknown names).
 */
function randomAnchored(r: Prng): string {
  const names = ['a', 'b', 'x-1', 'tbl.defaults', 'Sse_2'];
  /** Anchors whose nodes are complete (an alias may name them); a tenth of aliases name any name. */
  const defined: string[] = [];
  let k = 0;
  const key = () => `K${k++}`;
  const alias = () => `*${defined.length > 0 && r.chance(0.9) ? r.pick(defined) : r.pick(names)}`;
  /** A node with an anchor: the name is defined once the node's text is complete. */
  const anchoredNode = (props: (name: string) => string, node: () => string): string => {
    const name = r.pick(names);
    const text = props(name) + node();
    defined.push(name);
    return text;
  };
  const scalar = () => r.pick(['1', 'true', 'text', "'quoted'", '"dq"', '!Ref Stage', 'null']);
  const flow = (depth: number): string => {
    const item = (): string => {
      const c = r.int(0, 5);
      if (c === 0 && depth < 2)
        return r.chance(0.3)
          ? anchoredNode(
              (a) => `&${a} `,
              () => flow(depth + 1),
            )
          : flow(depth + 1);
      if (c === 1) return anchoredNode((a) => `&${a} `, scalar);
      if (c === 2) return alias();
      return scalar();
    };
    const n = r.int(0, 3);
    if (r.chance(0.5)) return `[${Array.from({ length: n }, item).join(', ')}]`;
    return `{${Array.from({ length: n }, () => `${key()}: ${item()}`).join(', ')}}`;
  };
  const valueWithProps = (value: () => string): string => {
    const c = r.int(0, 4);
    if (c === 0) return anchoredNode((a) => `&${a} `, value);
    if (c === 1) return anchoredNode((a) => `&${a} !Tag `, value);
    if (c === 2) return anchoredNode((a) => `!Tag &${a} `, value);
    return value();
  };
  const block = (ind: string, depth: number): string => {
    let out = '';
    const n = r.int(1, 4);
    for (let i = 0; i < n; i++) {
      const c = r.int(0, 11);
      if (c === 0 && depth < 3)
        out += `${ind}${key()}: ${anchoredNode(
          (a) => `&${a}${r.pick(['', ' # c'])}\n`,
          () => block(`${ind}  `, depth + 1),
        )}`;
      else if (c === 1 && defined.length > 0) out += `${ind}${key()}: ${alias()}${r.pick(['', '  # c'])}\n`;
      else if (c === 2 && defined.length > 0 && !out.includes(`${ind}<<:`))
        out += `${ind}<<: ${r.chance(0.5) ? alias() : `[${alias()}, ${alias()}]`}\n`;
      else if (c === 3) out += `${ind}${key()}: ${valueWithProps(() => flow(0))}\n`;
      else if (c === 4 && depth < 3) {
        out += `${ind}${key()}:\n`;
        for (let j = r.int(1, 3); j > 0; j--) {
          const d = r.int(0, 3);
          if (d === 0 && defined.length > 0) out += `${ind}  - ${alias()}\n`;
          else if (d === 1)
            out += `${ind}  - ${anchoredNode(
              (a) => `&${a}\n`,
              () => block(`${ind}    `, depth + 1),
            )}`;
          else out += `${ind}  - ${valueWithProps(scalar)}\n`;
        }
      } else if (c === 5)
        out += `${ind}${key()}: ${anchoredNode(
          (a) => `&${a} `,
          () => `|\n${ind}  line`,
        )}\n`;
      else if (c === 6 && r.chance(0.3))
        out += `${ind}&${r.pick(names)} ${key()}: 1\n`; // an anchor on a key: yaml's
      else if (c === 7 && r.chance(0.3))
        out += `${ind}${key()}: &${r.pick(names)}\n`; // an anchor on an empty value: yaml's
      else out += `${ind}${key()}: ${valueWithProps(scalar)}\n`;
    }
    return out;
  };
  return block('', 0);
}

/** Inputs nested thousands of levels deep exhaust any recursive parser's stack: the engine reports them (bad-input tests). */
const isDeep = (f: string) => /[\\/]bad[\\/]deep-/.test(f);
const OWN = yamlFiles(FIXTURES).filter((f) => !isDeep(f));
const PEER_FILES = HAVE_PEERS ? yamlFiles(PEERS) : [];
const KNOWN = [...OWN, ...PEER_FILES];

/** The files of `files` the fast parser leaves to `yaml` (paths relative to the repository root). */
function fallbacksOf(files: string[]): string[] {
  return files.filter((f) => compare(stripBom(readFileSync(f, 'utf8'))) !== 'fast').map((f) => path.relative(ROOT, f));
}

describe('fast YAML parser = reference parser', () => {
  it('on every YAML template of the fixtures', () => {
    expect(OWN.length).toBeGreaterThan(40);
    // What the fast parser leaves to `yaml`: broken inputs, several documents (peer-documents) and
    // keep (`|+`) block scalars (pulumi-yaml/anchors has one), flow collections indented like their key
    // (flow-under-indented: `yaml` reads them once joined). Anchors, aliases and merge keys are read.
    expect(fallbacksOf(OWN).filter((f) => !f.includes(`${path.sep}bad${path.sep}`))).toEqual([
      'fixtures/cloudformation/flow-under-indented/expected.yaml',
      'fixtures/cloudformation/flow-under-indented/input.yaml',
      'fixtures/cloudformation/yaml-keep-block-scalar/expected.yaml',
      'fixtures/cloudformation/yaml-keep-block-scalar/input.yaml',
      'fixtures/pulumi-yaml/anchors/expected.yaml',
      'fixtures/pulumi-yaml/anchors/input.yaml',
      'fixtures/pulumi-yaml/peer-documents/expected.yaml',
      'fixtures/pulumi-yaml/peer-documents/input.yaml',
    ]);
  });

  itPeers('on every YAML template of the peers’ cases', () => {
    expect(PEER_FILES.length).toBeGreaterThan(20);
    // What the fast parser leaves to `yaml`: several documents, a root that is not a mapping.
    expect(fallbacksOf(PEER_FILES)).toEqual([
      '../shared/peer-cases/aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/dynamodb_table_encrypted_kms_tests.yml',
      '../shared/peer-cases/aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case1-SKIP.yaml',
      '../shared/peer-cases/aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/dynamodb_table_must_be_encrypted_tests.yml',
      '../shared/peer-cases/aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case1-SKIP.yaml',
      '../shared/peer-cases/kics/pulumi-dynamodb_table_not_encrypted/positive.yaml',
    ]);
  });

  it('on generated templates (every style of the property tests and the benchmark), all on the fast path', () => {
    for (let i = 0; i < 150; i++) {
      expect(compare(randomCfnYaml(SEED + i).text.replace(/^\uFEFF/, ''))).toBe('fast');
      expect(compare(cfnYaml(prng(SEED + i), i % 3 === 0))).toBe('fast');
    }
  });

  it('on generated templates with anchors, aliases and merge keys (the benchmark’s real shape), all on the fast path', () => {
    let aliased = 0;
    for (let i = 0; i < 120; i++) {
      const text = i % 3 === 2 ? serverlessYml(prng(SEED + i)) : cfnTemplate(prng(SEED + i), { sam: i % 3 === 1, crlf: i % 10 === 0 });
      expect(compare(text)).toBe('fast');
      if (parseYamlFast(text)?.[0].aliases) aliased++;
    }
    expect(aliased).toBeGreaterThan(60);
  });

  it('on random documents of anchors, aliases and merge keys: the same tree (same anchored nodes) or a fallback', () => {
    const verdicts = { fast: 0, fallback: 0, 'fallback (reference error)': 0 };
    for (let i = 0; i < 600; i++) verdicts[compare(randomAnchored(prng(SEED + i)))]++;
    expect(verdicts.fast).toBeGreaterThan(300); // the comparison is not vacuous
    expect(verdicts.fallback).toBeGreaterThan(20); // nor are the cases left to yaml
  });

  it('on mutated templates: the same tree or a fallback, whatever the change', async () => {
    const bases = [
      ...KNOWN.filter((f) => !f.includes(`${path.sep}bad${path.sep}`)).map((f) => stripBom(readFileSync(f, 'utf8'))),
      ...[0, 1, 2, 3].map((i) => cfnTemplate(prng(SEED + i))),
    ];
    const pieces = [
      ' ',
      '  ',
      ':',
      ': ',
      '-',
      '- ',
      '#',
      ' #',
      '[',
      ']',
      '{',
      '}',
      ',',
      '"',
      "'",
      '\n',
      '\r\n',
      '|',
      '>',
      '!',
      '&',
      '*',
      '?',
      '\t',
      '---\n',
      '&a ',
      '*a',
      ' *a',
      '&b !Ref ',
      '<<: *a\n',
      '*',
    ];
    const fast = await mutants(bases, pieces, compare, SEED, 1500);
    expect(fast).toBeGreaterThan(300); // the comparison is not vacuous
  });

  it.each([
    ['A: [a, b, ]\n', 'fast'],
    ['A: {"a":b}\n', 'fast'],
    ['A: |\n  x\n\n  y\n\n\nB: 1\n', 'fast'],
    ['A: >\n  x\n  y\n\n  z\n\n\n  w\nB: 1\n', 'fast'],
    ['A: 1\n  # indented comment\nB: 2\n', 'fast'],
    ['A:\n  b:', 'fast'],
    ['A: 1\r\nB:\r\n  - x\r\n  - y: 2\r\n    z: |\r\n      q\r\n      r\r\nC: 3\r\n', 'fast'],
    ['"a b": 1\n\'c\'\'d\': 2\n"e\\u00e9\\n": 3\n', 'fast'],
    [
      'A: ~\nB: .inf\nC: -.Inf\nD: .NaN\nE: 0x1F\nF: 0o17\nG: 1e3\nH: +12\nI: 1.50\nJ: -0\nK: 12345678901234567890\nL: TRUE\nM: Null\nN: 1_000\n',
      'fast',
    ],
    ['A:\n  - - - a\n      - b\n    - c\n  - d\n', 'fast'],
    ['A:\n- a\n- b\nB: 1\n', 'fast'],
    ['A:\n  b: 1\n# col0 comment\n  c: 2\n', 'fast'],
    ['A: !Sub |\n  ${X}\nB: !Sub\n  - a\n  - b: c\nC: !GetAtt [a, b]\n', 'fast'],
    ['--- # top\nA: 1\n', 'fast'],
    ['A: [a, # c\n  b,\n  # d\n  c]  # e\nB: 1\n', 'fast'],
    ['A:\n  plain on next line\nB: 1\n', 'fast'],
    ['A: http://x.y/z?a=b#frag\n', 'fast'],
    ['A: "a\\tb\\x41\\U0001F600"\n', 'fast'],
    ['A: [-1, -x, :x, ?x]\n', 'fast'],
    ['A: a: b\n', 'fallback (reference error)'],
    ['A: - b\n', 'fallback (reference error)'],
    ['A: {a: 1, a: 2}\n', 'fallback (reference error)'],
    ['A: 1\nA: 2\n', 'fallback (reference error)'],
    ['A: "\\q"\n', 'fallback (reference error)'],
    ['A: x\n\tB: 1\n', 'fallback (reference error)'],
    ['A: &a 1\nB: *a\n', 'fast'],
    ['A: &a !Ref x\nB: !Sub &b y\nC: [*a, *b]\n', 'fast'],
    ['A: &a # c\n  b: 1\nB:\n  <<: *a\n  c: 2\nC:\n  <<: [*a, {d: 3}]\n', 'fast'],
    ['- &a\n  b: 1\n- *a # c\n- {x: &s 1, y: *s}\n', 'fast'],
    ['A: &a 1\nB: &a 2\nC: *a\n', 'fast'],
    ['A: &a.b-c_1 |\n  x\nB: *a.b-c_1\n', 'fast'],
    ['A: &a [*a]\n', 'fallback'],
    ['A: &a\n  b: *a\n', 'fallback'],
    ['A: *nope\n', 'fallback'],
    ['&a A: 1\nB: *a\n', 'fallback'],
    ['A:\n  - &a x: 1\n', 'fallback'],
    ['A: &a\nB: *a\n', 'fallback'],
    ['A: &a 1\nB: *a:\n', 'fallback'],
    ['A: &a 1\nB: &c *a\n', 'fallback (reference error)'],
    ['A: &a 1\nB: *a, b\n', 'fallback (reference error)'],
    ['A: &a\n  b: 1\nB: *a\n  c: 2\n', 'fallback (reference error)'],
    ["A: 'multi\n  line'\n", 'fallback'],
    ['A: >-\n  x\n   more\n  y\n', 'fallback'],
    ['A: x\n---\nB: 1\n', 'fallback'],
    ['%YAML 1.2\n---\nA: 1\n', 'fallback'],
    ['A: {? a : b}\n', 'fallback'],
    ['A: !!str 1\n', 'fallback'],
  ] as const)('%j: %s', (text, verdict) => {
    expect(compare(text)).toBe(verdict);
  });

  // A mapping's keys are looked at one by one up to 16 of them, then through a Set: a duplicate on
  // either side of that point, in block and flow style, goes to the reference parser (which rejects it).
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `K${i}`);
  const block = (ks: string[]) => `Top:\n${ks.map((k, i) => `  ${k}: ${i}\n`).join('')}`;
  const flow = (ks: string[]) => `Top: {${ks.map((k, i) => `${k}: ${i}`).join(', ')}}\n`;
  it.each([
    ['block, 40 keys', block(keys(40)), 'fast'],
    ['flow, 40 keys', flow(keys(40)), 'fast'],
    ...[1, 14, 15, 16, 17, 30]
      .flatMap((at) =>
        [0, at - 1].map((dup) => {
          const ks = keys(at);
          ks.push(ks[dup]);
          return [
            [`block, key ${at + 1} repeats key ${dup + 1}`, block([...ks, 'Z']), 'fallback (reference error)'],
            [`flow, key ${at + 1} repeats key ${dup + 1}`, flow([...ks, 'Z']), 'fallback (reference error)'],
          ];
        }),
      )
      .flat(),
  ] as [string, string, string][])('%s: %s', (_name, text, verdict) => {
    expect(compare(text)).toBe(verdict);
  });

  it('parseYaml uses the fast tree and falls back to yaml, which reports the error', () => {
    expect(parseYaml('A: 1\n')[0].root).toEqual(parseYamlReference('A: 1\n')[0].root);
    let error: unknown;
    try {
      parseYaml('A: a: b\n');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ message: expect.stringMatching(/^YAML: Nested mappings/), line: 1, column: 4 });
  });
});
