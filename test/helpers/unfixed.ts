/**
 * A file kmsfix reads but never writes (tables reported with a step, never fixed): `fix` in memory,
 * asserting no error and the text unchanged, and the tables as reported.
 */
import { expect } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

export async function tablesLeftAsWritten(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix');
  expect(r.outcomes[0]?.error).toBeUndefined();
  expect(r.output.get(path)).toBe(text);
  return (r.outcomes[0]?.tables ?? []).map((t) => ({
    address: t.address,
    type: t.type,
    status: t.status,
    fixable: t.fixable,
    message: t.message,
  }));
}
