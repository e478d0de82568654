/**
 * docs/architecture.md matches the code (issue 17): every path it names in backticks exists, every
 * symbol it names is exported (by the file named beside it, or by some file of src/), every
 * `Owner.member` is declared, every KMSFIX_ variable is read by src/, and every folder of src/ is
 * described. The conventions are in test/helpers/doc-refs.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixture-cases.js';
import { checkRefs, foldersUnder, refsOf } from '../helpers/doc-refs.js';

const PAGE = 'docs/architecture.md';
const doc = readFileSync(path.join(ROOT, PAGE), 'utf8');
const refs = refsOf(doc);

describe(PAGE, () => {
  it('names many paths and symbols (the check is not empty)', () => {
    expect(refs.filter((r) => r.kind === 'path').length).toBeGreaterThan(60);
    expect(refs.filter((r) => r.kind === 'symbol').length).toBeGreaterThan(120);
    expect(refs.filter((r) => r.kind === 'symbol' && r.member).length).toBeGreaterThan(20);
    expect(refs.filter((r) => r.kind === 'env').length).toBeGreaterThan(3);
  });

  it('every path, symbol, member and KMSFIX_ variable it names exists', () => {
    expect(checkRefs(ROOT, refs)).toEqual([]);
  });

  it('describes every folder of src/', () => {
    const named = new Set(refs.filter((r) => r.kind === 'path').map((r) => r.text.replace(/\/$/, '')));
    expect(foldersUnder(ROOT, 'src').filter((f) => !named.has(f))).toEqual([]);
  });

  it('names the files the brief asks for: the interface, the facts, the rule, verification, writes', () => {
    const named = new Set(refs.map((r) => r.text));
    for (const f of [
      'src/core/types.ts',
      'src/rule/facts.ts',
      'src/rule/evaluate.ts',
      'src/engine/verify.ts',
      'src/io/write.ts',
      'src/cli.ts',
    ])
      expect(named, f).toContain(f);
    for (const s of ['Format', 'FormatEntry', 'judge()', 'verifyGroup', 'writeGroups', 'EncryptionFacts']) expect(named, s).toContain(s);
  });

  it('its "Adding a format" example family does not exist (else the walkthrough needs another example)', () => {
    expect(existsSync(path.join(ROOT, 'src/formats/bicep'))).toBe(false);
  });
});

describe('the reference checker, on a planted page', () => {
  const page = [
    '# Planted',
    '',
    'The rule is `judge` in `src/rule/evaluate.ts`; `Format.detect` and `Format.nothing`;',
    '`src/rule/nowhere.ts` and `src/engine/` and `src/formats/<family>/entry.ts`.',
    '',
    '- `noSuchFunction()`, `families` in `test/helpers/fixture-cases.ts`',
    "- `families()` alone, `nosuchvalue`, `KMSFIX_WORKERS=0`, `KMSFIX_NO_SUCH`, `kmsfix fix --yes`, `'aws-owned'`, `bicepEntry`",
    '',
    '```',
    '`src/in/a/fence.ts`',
    '```',
    '| `Judgement.fixable` | `Judgement.nope` |',
  ].join('\n');

  it('reports each wrong reference with its line, and nothing else', () => {
    expect(checkRefs(ROOT, refsOf(page))).toEqual([
      'line 3: `Format.nothing`: Format (src/core/types.ts) has no member nothing',
      'line 3: `src/rule/nowhere.ts`: no such file or folder',
      'line 6: `noSuchFunction()`: noSuchFunction is exported by no file of src/ nor by test/helpers/fixture-cases.ts',
      'line 7: `families()`: families is exported by no file of src/',
      'line 7: `KMSFIX_NO_SUCH`: KMSFIX_NO_SUCH is named nowhere in src/',
      'line 12: `Judgement.nope`: Judgement (src/rule/evaluate.ts) has no member nope',
    ]);
  });
});
