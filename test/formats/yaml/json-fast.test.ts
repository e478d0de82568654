/**
 * The fast JSON parser (src/formats/yaml/jsonfast.ts) against the reference path
 * (`jsonc-parser`): the same tree on every JSON template the tests know, on generated and mutated
 * ones, or nothing where `jsonc-parser` reports an error (it is then used, and reports it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, parseJsonReference } from '../../../src/formats/yaml/tree.js';
import { parseJsonFast } from '../../../src/formats/yaml/jsonfast.js';
import { cfnJson, prng } from '../../../bench/generate.mjs';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';
import { HAVE_PEERS, PEERS, itPeers } from '../../helpers/peer-cases.js';
import { randomJson } from '../../helpers/property-gen.js';
import { filesUnder, judge, mutants, referenceOf, type Verdict } from '../../helpers/differential.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

function compare(text: string): Verdict {
  const fast = parseJsonFast(text);
  return judge(
    text,
    fast && [{ root: fast }],
    referenceOf(() => parseJsonReference(text)),
    'jsonc-parser',
  );
}

const read = (files: string[]) =>
  files.map((f) => ({ f, text: readFileSync(f, 'utf8').replace(/^\uFEFF/, '') })).filter(({ text }) => text.trimStart().startsWith('{'));
const OWN = read(filesUnder(FIXTURES, /\.(json|template)$/i));
const PEER_FILES = HAVE_PEERS ? read(filesUnder(PEERS, /\.json$/i)) : [];
const KNOWN = [...OWN, ...PEER_FILES];
const fallbacksOf = (files: typeof KNOWN) => files.filter(({ text }) => compare(text) !== 'fast').map(({ f }) => path.relative(ROOT, f));
const isBad = (f: string) => f.includes(`${path.sep}bad${path.sep}`);

describe('fast JSON parser = jsonc-parser', () => {
  it('on every JSON template of the fixtures', () => {
    expect(OWN.length).toBeGreaterThan(20);
    // A template with trailing commas is no JSON: read as the YAML it is (CloudFormation reads it so), off the fast path.
    const trailing = fallbacksOf(OWN).filter((f) => f.includes('json-trailing-comma'));
    expect(trailing.length).toBeGreaterThanOrEqual(2); // the fixture's input and expected output
    expect(fallbacksOf(OWN).filter((f) => !isBad(f) && !trailing.includes(f))).toEqual([]);
  });

  itPeers('on every JSON file of the peers’ cases', () => {
    expect(PEER_FILES.length).toBeGreaterThan(3);
    expect(fallbacksOf(PEER_FILES)).toEqual([]);
  });

  it('on generated templates, all on the fast path', () => {
    for (let i = 0; i < 100; i++) {
      expect(compare(randomJson(SEED + i).text.replace(/^\uFEFF/, ''))).toBe('fast');
      expect(compare(cfnJson(prng(SEED + i)))).toBe('fast');
    }
  });

  it('on mutated templates: the same tree or a fallback, whatever the change', async () => {
    const bases = KNOWN.filter(({ f }) => !isBad(f)).map(({ text }) => text);
    const pieces = [
      ' ',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '\\u00e9',
      '\\x',
      '-',
      '0',
      '01',
      '1e',
      'true',
      'nul',
      '\t',
      '\n',
      '\u000b',
    ];
    const fast = await mutants(bases, pieces, compare, SEED, 1500);
    expect(fast).toBeGreaterThan(100); // the comparison is not vacuous (most changes break JSON)
  });

  it.each([
    ['{"a": [1, -0.5e+3, true, false, null, "x\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"]}', 'fast'],
    ['{"a": 1, "a": 2}', 'fallback'], // a repeated key: the reference path keeps its offset (duplicate-keys.test.ts)
    ['{"a": {"b": 1}, "b": 2, "c": {"b": 3}}', 'fast'],
    ['{}', 'fast'],
    ['{"a": 01}', 'fallback (reference error)'],
    ['{"a": 1,}', 'fallback (reference error)'],
    ['{"a": "\\x"}', 'fallback (reference error)'],
    ['{"a": nullx}', 'fallback (reference error)'],
    ['{"a": 1} // c', 'fallback (reference error)'],
    ['', 'fallback (reference error)'],
  ] as const)('%j: %s', (text, verdict) => {
    expect(compare(text)).toBe(verdict);
  });

  it('parseJson uses the fast tree and falls back to jsonc-parser, which reports the error', () => {
    expect(parseJson('{"a": 1}')).toEqual(parseJsonReference('{"a": 1}'));
    expect(() => parseJson('{"a": 1,}')).toThrow(/JSON: /);
  });
});
