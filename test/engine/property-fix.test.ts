/**
 * A fix never breaks a file. For random templates in every format, kmsfix either writes output that
 * (1) parses with the reference parser (yaml, JSON.parse, HashiCorp's HCL parser, TypeScript),
 * (2) passes re-detection (every fixed table customer-managed, every other table as it was), and
 * (3) leaves every byte outside its edits identical, the edits only inserting text or replacing
 * values kmsfix may replace; or it writes nothing and reports an error. Seeded, bounded runs.
 */
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/apply.js';
import { sortEdits } from '../../src/core/edits.js';
import { processMemory } from '../../src/engine/memory.js';
import { DEFAULT_FIX_OPTIONS, detectFile, planGroup } from '../../src/engine/pipeline.js';
import { stripBom } from '../../src/core/text.js';
import type { Edit, FixOptions } from '../../src/core/types.js';
import { formatsFor, loadFormat } from '../../src/formats/index.js';
import { GENERATORS, type Generated } from '../helpers/property-gen.js';

const RUNS = Number(process.env.KMSFIX_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

/** The reference parser of each format: throws when `text` does not parse. */
async function referenceParse(path: string, text: string): Promise<void> {
  const body = stripBom(text).text;
  if (/\.json$/.test(path) || (/\.template$/.test(path) && body.trimStart().startsWith('{'))) {
    JSON.parse(body);
  } else if (/\.(ya?ml|template)$/.test(path)) {
    for (const d of parseAllDocuments(body)) if (d.errors.length > 0) throw new Error(`yaml: ${d.errors[0].message}`);
  } else if (/\.tf$/.test(path)) {
    const { parse } = await import('@cdktf/hcl2json');
    await parse('main.tf', body);
  } else if (/\.ts$/.test(path)) {
    const sf = ts.createSourceFile(path, body, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    if (diags.length > 0) throw new Error(`typescript: ${ts.flattenDiagnosticMessageText(diags[0].messageText, '\n')}`);
  }
}

/**
 * What an edit may remove: nothing (an insertion), or one value kmsfix replaces (SSE settings, an
 * AWS managed key reference, a closing brace or line break it re-emits around an insertion).
 */
const REMOVABLE = [
  /^$/,
  /^\s*$/,
  /^(false|'false'|"false"|False|true|"true"|'true'|KMS|"KMS"|'KMS'|AES256)$/,
  /^['"]?alias\/aws\/dynamodb['"]?$/,
  /^['"]?arn:aws:kms:[^'"]*['"]?$/,
  /^dynamodb\.TableEncryption\.(AWS_MANAGED|DEFAULT|AWS_OWNED)$/,
  /^(var\.table_key_arn|null)$/,
  /^\{\s*\}$/,
];

function removedText(text: string, edits: Edit[]): string[] {
  return sortEdits(edits)
    .filter((e) => e.end > e.start)
    .map((e) => text.slice(e.start, e.end));
}

/** The bytes outside the edits, in order, are exactly the output's bytes outside the inserted text. */
function outsideIdentical(text: string, edits: Edit[], out: string): boolean {
  let i = 0;
  let o = 0;
  for (const e of sortEdits(edits)) {
    const keep = text.slice(i, e.start);
    if (out.slice(o, o + keep.length) !== keep) return false;
    o += keep.length;
    if (out.slice(o, o + e.text.length) !== e.text) return false;
    o += e.text.length;
    i = Math.max(i, e.end);
  }
  return out.slice(o) === text.slice(i);
}

interface Checked {
  status: 'fixed' | 'unchanged' | 'error';
  removed: string[];
}

async function checkOne(g: Generated, options: FixOptions = DEFAULT_FIX_OPTIONS): Promise<Checked> {
  const { text, bom } = stripBom(g.text);
  // What the engine writes (processMemory = the CLI's pipeline without the disk).
  const run = await processMemory([g], 'fix', options);
  const outcome = run.outcomes[0];
  const written = run.output.get(g.path)!;
  if (outcome.error) {
    expect(outcome.newText, 'an error writes nothing').toBeUndefined();
    expect(written).toBe(g.text);
    return { status: 'error', removed: [] };
  }
  if (outcome.newText === undefined) {
    expect(written).toBe(g.text);
    return { status: 'unchanged', removed: [] };
  }
  // (1) the reference parser accepts the output
  await referenceParse(g.path, written);
  // (2) re-detection: fixed tables customer-managed, others unchanged
  const again = await processMemory([{ path: g.path, text: written }], 'scan', options);
  expect(again.outcomes[0].error).toBeUndefined();
  const after = new Map(again.outcomes[0].tables.map((t) => [t.address, t.status]));
  for (const t of outcome.tables) {
    if (t.fixed) expect(after.get(t.address), `${t.address} fixed`).toBe('customer-managed');
    else expect(after.get(t.address), `${t.address} untouched`).toBe(t.status);
  }
  // (3) the plan's edits: bytes outside them identical, removed text only replaceable values
  const entries = formatsFor(g.path);
  const entry = entries.find((e) => e.prefilter(text)) ?? entries[0];
  const transform = await loadFormat(entry);
  const o = await detectFile({ path: g.path, absPath: `/memory/${g.path}`, text }, bom, transform, options);
  const plans = await planGroup([o], (x) => x.tables.filter((t) => t.fixable).map((t) => t.address), options);
  const r = plans.get(o)!;
  expect(r.kind).toBe('ok');
  if (r.kind !== 'ok') return { status: 'error', removed: [] };
  expect(applyEdits(text, r.edits)).toBe(outcome.newText);
  expect(outsideIdentical(text, r.edits, outcome.newText)).toBe(true);
  const removed = removedText(text, r.edits);
  for (const x of removed)
    expect(
      REMOVABLE.some((re) => re.test(x.trim())),
      `removed ${JSON.stringify(x)}`,
    ).toBe(true);
  return { status: 'fixed', removed };
}

describe('property: a fix never breaks a file', () => {
  for (const [name, gen] of Object.entries(GENERATORS)) {
    it(`${name}: output parses, re-detects, and changes only what it edits (or nothing is written)`, async () => {
      const seen = { fixed: 0, unchanged: 0, error: 0 };
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          fc.constantFrom<FixOptions['keyStrategy']>('per-table', 'shared'),
          async (seed, keyStrategy) => {
            const g = gen(seed);
            const c = await checkOne(g, { ...DEFAULT_FIX_OPTIONS, keyStrategy });
            seen[c.status]++;
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      if (process.env.KMSFIX_PROPERTY_DEBUG) console.log(name, seen);
      // The generator is useful only if most inputs get fixed.
      expect(seen.fixed).toBeGreaterThan(RUNS / 2);
    });
  }
});
