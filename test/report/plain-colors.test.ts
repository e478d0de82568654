/**
 * Uncoloured output's formatters (src/report/textReport.ts plainColors), made without loading picocolors (its top
 * level makes Node's stdout stream; docs/performance.md, sixty-fourth session): the same keys and the same text as
 * picocolors' own `createColors(false)`, for every formatter and every kind of input.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { colors, plainColors } from '../../src/report/textReport.js';

const require = createRequire(import.meta.url);
const pc = require('picocolors') as { createColors(enabled: boolean): Record<string, unknown> & { red(x: string): string } };

describe('plainColors', () => {
  it('has the keys and the answers of picocolors createColors(false)', () => {
    const theirs = pc.createColors(false);
    const ours = plainColors() as unknown as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(ours.isColorSupported).toBe(theirs.isColorSupported);
    const inputs = ['', 'aws-owned', '\u001b[31mred\u001b[39m', 42, 0, null, undefined];
    for (const key of Object.keys(theirs)) {
      if (key === 'isColorSupported') continue;
      const f = ours[key] as (x: unknown) => string;
      const g = theirs[key] as (x: unknown) => string;
      for (const x of inputs) expect(f(x), `${key}(${String(x)})`).toBe(g(x));
    }
  });

  it('colors(false) is plainColors, colors(true) picocolors with colour', () => {
    expect(colors(false)).toBe(plainColors());
    expect(colors(true).red('x')).toBe(pc.createColors(true).red('x'));
  });
});
