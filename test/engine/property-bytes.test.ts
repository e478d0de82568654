/**
 * Whatever the bytes, kmsfix never throws: valid templates of every format are truncated, bit-flipped,
 * spliced with each other, or get random bytes; the pipeline then returns an error, or nothing to do,
 * or a verified output that the reference parser accepts. Seeded, bounded runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/io/read.js';
import { processMemory } from '../../src/engine/memory.js';
import { GENERATORS } from '../helpers/property-gen.js';
import { parseAllDocuments } from 'yaml';
import ts from 'typescript';

const RUNS = Number(process.env.KMSFIX_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'splice'; at: number; from: number; len: number; other: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    from: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.integer({ min: 1, max: 400 }),
    other: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.integer({ min: 1, max: 200 }),
  }),
);

function mutate(buf: Buffer, m: Mutation, otherText: (seed: number) => string): Buffer {
  const at = Math.floor(m.at * buf.length);
  switch (m.kind) {
    case 'truncate':
      return buf.subarray(0, at);
    case 'flip': {
      const b = Buffer.from(buf);
      if (b.length > 0) b[Math.min(at, b.length - 1)] ^= 1 << m.bit;
      return b;
    }
    case 'splice': {
      const other = Buffer.from(otherText(m.other));
      const from = Math.floor(m.from * other.length);
      return Buffer.concat([buf.subarray(0, at), other.subarray(from, from + m.len), buf.subarray(at)]);
    }
    case 'insert':
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
    case 'delete':
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.len)]);
  }
}

function parsesWithReference(path: string, text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  try {
    if (/\.json$/.test(path) || (/\.template$/.test(path) && body.trimStart().startsWith('{'))) JSON.parse(body);
    else if (/\.(ya?ml|template)$/.test(path)) return parseAllDocuments(body).every((d) => d.errors.length === 0);
    else if (/\.ts$/.test(path)) {
      const sf = ts.createSourceFile(path, body, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      return (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
    }
    return true; // Terraform: checked by the HCL parser in property-fix; here verification must hold
  } catch {
    return false;
  }
}

describe('property: any bytes, never an unhandled exception', () => {
  for (const [name, gen] of Object.entries(GENERATORS)) {
    it(`${name}: truncated, flipped, spliced or garbled input gives an error or a verified fix`, async () => {
      const seen = { error: 0, fixed: 0, unchanged: 0, undecodable: 0 };
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          async (seed, mutations) => {
            const g = gen(seed);
            let buf: Buffer = Buffer.from(g.text);
            for (const m of mutations) buf = mutate(buf, m, (s) => gen(s).text);
            const decoded = decodeSource(buf, g.path, `/memory/${g.path}`);
            if ('error' in decoded) {
              seen.undecodable++;
              expect(decoded.error.message).toBeTruthy();
              return;
            }
            const text = (decoded.bom ? '\uFEFF' : '') + decoded.file.text;
            await processMemory([{ path: g.path, text }], 'scan');
            const r = await processMemory([{ path: g.path, text }], 'fix');
            const o = r.outcomes[0];
            if (o.error) {
              seen.error++;
              expect(o.newText).toBeUndefined();
              expect(r.output.get(g.path)).toBe(text);
            } else if (o.newText !== undefined) {
              seen.fixed++;
              expect(parsesWithReference(g.path, r.output.get(g.path)!)).toBe(true);
            } else seen.unchanged++;
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      if (process.env.KMSFIX_PROPERTY_DEBUG) console.log(name, seen);
    });
  }
});
