/** Shared by the fast-parser tests: the comparison with the reference parser, the tests' corpora, and mutated texts. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';

export type Verdict = 'fast' | 'fallback' | 'fallback (reference error)';

/** The reference parser's result, or the error it threw. */
export function referenceOf<T>(parse: () => T): T | Error {
  try {
    return parse();
  } catch (e) {
    return e as Error;
  }
}

/**
 * One text through both parsers: the fast result, when there is one, must equal the reference
 * result (both seen through `view`), and the reference parser must not have failed.
 */
export function judge<T>(
  text: string,
  fast: T | undefined,
  reference: T | Error,
  referenceName: string,
  view: (x: T) => unknown = (x) => x,
): Verdict {
  if (fast === undefined) return reference instanceof Error ? 'fallback (reference error)' : 'fallback';
  if (reference instanceof Error)
    throw new Error(`the fast parser accepted what ${referenceName} rejects (${reference.message}):\n${text}`);
  const a = view(fast);
  const b = view(reference);
  if (!isDeepStrictEqual(a, b)) expect(a, `trees differ for:\n${text}`).toEqual(b);
  return 'fast';
}

export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, pattern));
    else if (pattern.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * Random small changes (a piece of syntax inserted, a few characters deleted) at random places of
 * the given texts, each given to `compare`; returns how many the fast parser accepted.
 */
export async function mutants(
  bases: string[],
  pieces: string[],
  compare: (text: string) => Verdict | Promise<Verdict>,
  seed: number,
  runs: number,
): Promise<number> {
  let fast = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.nat(bases.length - 1),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.oneof(fc.constantFrom(...pieces), fc.constant(''), fc.string({ maxLength: 4 })),
      fc.nat(6),
      async (b, at, insert, del) => {
        const t = bases[b];
        const i = Math.floor(at * t.length);
        if ((await compare(t.slice(0, i) + insert + t.slice(i + del))) === 'fast') fast++;
      },
    ),
    { seed, numRuns: runs },
  );
  return fast;
}
