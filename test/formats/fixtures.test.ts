/**
 * Every fixture pair, for every format family: fix(input) == expected byte for byte,
 * fix(expected) == expected (idempotence), and expected scans with every fixed table
 * customer-managed and no error.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../src/engine/memory.js';
import { families, fixtureCases } from '../helpers/fixture-cases.js';

function byPath(files: MemoryFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.text]));
}

for (const family of families()) {
  describe(`fixtures/${family}`, () => {
    const cases = fixtureCases(family);
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const c of cases) {
      describe(c.name, () => {
        it('has an input and an expected output', () => {
          expect(c.input.length).toBeGreaterThan(0);
          expect(c.expected.map((f) => f.path)).toEqual(c.input.map((f) => f.path));
        });

        it('fix(input) == expected', async () => {
          const r = await processMemory(c.input, 'fix', c.options);
          expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
          const want = byPath(c.expected);
          for (const [p, text] of r.output) expect(text, p).toBe(want.get(p));
        });

        it('fix(expected) == expected', async () => {
          const r = await processMemory(c.expected, 'fix', c.options);
          expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
          for (const o of r.outcomes) expect(o.newText, o.file.path).toBeUndefined();
        });

        it('scan(input) statuses, and scan(expected): every fixed table is customer-managed', async () => {
          const before = await processMemory(c.input, 'scan', c.options);
          const after = await processMemory(c.expected, 'scan', c.options);
          if (c.statuses) {
            const got = Object.fromEntries(before.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t.status])));
            expect(got).toEqual(c.statuses);
          }
          const statusAfter = new Map(after.outcomes.flatMap((o) => o.tables.map((t) => [`${o.file.path}#${t.address}`, t])));
          const fixable = before.outcomes.flatMap((o) => o.tables.filter((t) => t.fixable).map((t) => `${o.file.path}#${t.address}`));
          for (const key of fixable) expect(statusAfter.get(key)?.status, key).toBe('customer-managed');
          for (const o of before.outcomes) {
            for (const t of o.tables.filter((x) => !x.fixable)) {
              expect(statusAfter.get(`${o.file.path}#${t.address}`)?.status, `${t.address} untouched`).toBe(t.status);
            }
          }
          expect(after.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
        });
      });
    }
  });
}
