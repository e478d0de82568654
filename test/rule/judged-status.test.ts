/**
 * judgedStatus (what verification compares, src/engine/verify.ts) is judge's status, on every table
 * of the fixtures and of the peers' own cases, under every profile and with each option that can
 * change a status (a skipped table, suppressions under each profile, --fix-parameterised,
 * --accept-aws-managed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMATS, formatFor, formatsFor, loadFormat } from '../../src/formats/index.js';
import { type JudgeOptions, judge, judgedStatus } from '../../src/rule/evaluate.js';
import { PROFILES } from '../../src/rule/peers/evaluate.js';
import type { TableFacts } from '../../src/core/types.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { filesUnder } from '../helpers/differential.js';
import { HAVE_PEERS, PEERS, itPeers } from '../helpers/peer-cases.js';

const accepted = (f: string) => FORMATS.some((e) => e.accepts(f));

/** Every table kmsfix detects in `files` (files no format reads, or that do not parse, give none). */
async function tablesOf(files: string[]): Promise<TableFacts[]> {
  const out: TableFacts[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/^\uFEFF/, '');
    const entry = formatFor(f, text) ?? formatsFor(f)[0];
    if (!entry) continue;
    try {
      out.push(...(await (await loadFormat(entry)).detect({ path: f, absPath: f, text })).tables);
    } catch {
      // Bad input: its error is tested elsewhere.
    }
  }
  return out;
}

function optionsFor(t: TableFacts): JudgeOptions[] {
  return [
    {},
    ...PROFILES.map((profile) => ({ profile })),
    { skipTables: [t.address] },
    { fixParameterised: true },
    { acceptAwsManaged: true },
    { profile: 'checkov', fixParameterised: true, acceptAwsManaged: true },
  ];
}

/** The tables whose judgedStatus differs from judge's, with the options. */
function differing(tables: TableFacts[]): string[] {
  return tables.flatMap((t) =>
    optionsFor(t).flatMap((o) => {
      const a = judgedStatus(t, o);
      const b = judge(t, o).status;
      return a === b ? [] : [`${t.address} ${JSON.stringify(o)}: ${a}, judge says ${b}`];
    }),
  );
}

describe('judgedStatus = judge(...).status', () => {
  it('on every table of the fixtures', async () => {
    const tables = await tablesOf(filesUnder(FIXTURES, /./).filter(accepted));
    expect(tables.length).toBeGreaterThan(300);
    // At least five statuses among them, and tables a suppression silences under strict but not
    // under some tool's profile (only that tool's own suppressions count there).
    expect(new Set(tables.map((t) => judge(t).status)).size).toBeGreaterThanOrEqual(5);
    const silenced = tables.filter((t) => judge(t).status === 'suppressed');
    expect(silenced.some((t) => PROFILES.some((profile) => judge(t, { profile }).status !== 'suppressed'))).toBe(true);
    expect(differing(tables)).toEqual([]);
  });

  itPeers("on every table of the peers' own cases", async () => {
    const tables = await tablesOf(HAVE_PEERS ? filesUnder(PEERS, /./).filter(accepted) : []);
    expect(tables.length).toBeGreaterThan(40);
    expect(differing(tables)).toEqual([]);
  });
});
