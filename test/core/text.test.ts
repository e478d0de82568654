/**
 * src/core/text.ts: the indentation unit read by a character scan gives what the plain definition
 * (split into lines, trim, count) gives, for any text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectIndentUnit, globMatcher, someOf } from '../../src/core/text.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

/** The definition, written the obvious way (the scan replaced it: it was 2% of a bulk fix). */
function plainIndentUnit(text: string, fallback = '  '): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || /^\s*(#|\/\/)/.test(line)) continue;
    if (line.startsWith('\t')) tabs++;
    else if (line.startsWith(' ')) spaces++;
    const width = line.length - line.trimStart().length;
    if (width > prev) steps.set(width - prev, (steps.get(width - prev) ?? 0) + 1);
    prev = width;
  }
  if (tabs > spaces) return '\t';
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  }
  return best > 0 && best <= 8 ? ' '.repeat(best) : fallback;
}

describe('detectIndentUnit', () => {
  it('reads the unit of usual files', () => {
    expect(detectIndentUnit('a:\n  b:\n    c: 1\n')).toBe('  ');
    expect(detectIndentUnit('a:\r\n    b: 1\r\n    # x\r\n')).toBe('    ');
    expect(detectIndentUnit('{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n')).toBe('\t');
    expect(detectIndentUnit('# only\n// comments\n\n', '   ')).toBe('   ');
  });

  it('equals the plain definition on any text (white space of every kind, comments, CR, blank lines)', () => {
    const piece = fc.constantFrom(
      ' ',
      '  ',
      '\t',
      '\r',
      '\n',
      '\r\n',
      '#',
      '/',
      '//',
      'a',
      'b: 1',
      '\u00a0',
      '\u2003',
      '\ufeff',
      '\v',
      '\f',
      // Steps past the unit's range (9) and past the counts the scan keeps in an array (64).
      ' '.repeat(9),
      ' '.repeat(70),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        expect(detectIndentUnit(text)).toBe(plainIndentUnit(text));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('globMatcher: * any characters, ? one, the whole string', () => {
  it('matches as the RegExp it replaced did', () => {
    const cases: [string, string, boolean][] = [
      ['Orders*', 'OrdersTable', true],
      ['*Table', 'OrdersTable', true],
      ['*', '', true],
      ['', '', true],
      ['', 'x', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['module.*.aws_dynamodb_table.*', 'module.app.aws_dynamodb_table.orders', true],
      ['*.orders', 'module.app.aws_dynamodb_table.orders', true],
      ['dynamodb:*globaltable', 'dynamodb:createglobaltable', true],
      ['dynamodb:*globaltable', 'dynamodb:createglobaltablex', false],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXcYb', false],
      ['**x', 'yyx', true],
      ['a.b', 'aXb', false],
    ];
    for (const [p, s, want] of cases) expect(globMatcher(p).test(s), `${p} ${s}`).toBe(want);
  });

  it('does not backtrack exponentially: ten stars against a 60-character id that does not match', () => {
    // The RegExp took minutes here (a skip_table of a committed .kmsfix.yml); this is a handful of steps a character.
    expect(globMatcher('A*A*A*A*A*A*A*A*A*A*B').test('A'.repeat(60))).toBe(false);
    expect(globMatcher('A*A*A*A*A*A*A*A*A*A*B').test(`${'A'.repeat(60)}B`)).toBe(true);
  });
});

describe('someOf', () => {
  it('names them all up to max, else the first few and how many more', () => {
    expect(someOf(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(someOf(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more');
    expect(someOf(['a', 'b', 'c', 'd', 'e', 'f'], 5, 6)).toBe('a, b, c, d, e, f');
    expect(someOf(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 5, 6)).toBe('a, b, c, d, e and 2 more');
  });
});
