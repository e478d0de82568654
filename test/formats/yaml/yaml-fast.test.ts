/**
 * The fast YAML parser (src/formats/yaml/yamlfast.ts) against the reference path (`yaml`):
 * on every YAML template the tests know (fixtures, the peers' cases read in place), on generated
 * templates and on mutated ones, it returns exactly the reference tree, or nothing (and then the
 * reference parser is used). Never a different tree, never a tree where `yaml` reports an error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml, parseYamlReference } from '../../../src/formats/yaml/tree.js';
import { parseYamlFast } from '../../../src/formats/yaml/yamlfast.js';
import { cfnYaml, prng } from '../../../bench/generate.mjs';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';
import { HAVE_PEERS, PEERS, itPeers } from '../../helpers/peer-cases.js';
import { randomCfnYaml } from '../../helpers/property-gen.js';
import { filesUnder, judge, mutants, referenceOf, type Verdict } from '../../helpers/differential.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

const yamlFiles = (dir: string): string[] => filesUnder(dir, /\.(ya?ml|template)$/i);

function stripBom(t: string): string {
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

/** Fast and reference on one text: the fast tree, when there is one, must equal the reference tree. */
function compare(text: string): Verdict {
  return judge(
    text,
    parseYamlFast(text),
    referenceOf(() => parseYamlReference(text)),
    'yaml',
  );
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
    // What the fast parser leaves to `yaml`: broken inputs, several documents (peer-documents),
    // anchors, aliases and keep (`|+`) block scalars.
    expect(fallbacksOf(OWN).filter((f) => !f.includes(`${path.sep}bad${path.sep}`))).toEqual([
      'fixtures/cloudformation/yaml-alias-properties/expected.yaml',
      'fixtures/cloudformation/yaml-alias-properties/input.yaml',
      'fixtures/cloudformation/yaml-anchor-shared/expected.yaml',
      'fixtures/cloudformation/yaml-anchor-shared/input.yaml',
      'fixtures/cloudformation/yaml-keep-block-scalar/expected.yaml',
      'fixtures/cloudformation/yaml-keep-block-scalar/input.yaml',
      'fixtures/cloudformation/yaml-merge-keys/expected.yaml',
      'fixtures/cloudformation/yaml-merge-keys/input.yaml',
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

  it('on mutated templates: the same tree or a fallback, whatever the change', async () => {
    const bases = KNOWN.filter((f) => !f.includes(`${path.sep}bad${path.sep}`)).map((f) => stripBom(readFileSync(f, 'utf8')));
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
    ['A: &a 1\nB: *a\n', 'fallback'],
    ["A: 'multi\n  line'\n", 'fallback'],
    ['A: >-\n  x\n   more\n  y\n', 'fallback'],
    ['A: x\n---\nB: 1\n', 'fallback'],
    ['%YAML 1.2\n---\nA: 1\n', 'fallback'],
    ['A: {? a : b}\n', 'fallback'],
    ['A: !!str 1\n', 'fallback'],
  ] as const)('%j: %s', (text, verdict) => {
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
