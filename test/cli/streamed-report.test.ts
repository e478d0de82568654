/**
 * Every fix goes through a stream (src/cli/fix.ts) and, for the text report, keeps only what the
 * report prints (src/report/fold.ts: counts for the rest). A fix in place without a prompt writes
 * as it goes; the prompt's path (answered y) holds every file until the answer and settles them
 * after. Both must give the report the whole result gave (the build before streams, compared byte
 * for byte in docs/performance.md), so both are run on copies of every fixture (fixed, compliant,
 * unfixable, suppressed, test code, bad input) and their output compared, byte for byte.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, main } from '../../src/cli.js';
import { emptyTally, fold } from '../../src/report/fold.js';
import { summarize } from '../../src/report/summary.js';
import { processMemory } from '../../src/engine/memory.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli, snapshot } from '../helpers/cli-helper.js';

const dirs: string[] = [];
const savedWorkers = process.env.KMSFIX_WORKERS;

beforeAll(() => {
  // One thread: the diff then comes in the same order on both paths.
  process.env.KMSFIX_WORKERS = '0';
});

afterAll(() => {
  if (savedWorkers === undefined) delete process.env.KMSFIX_WORKERS;
  else process.env.KMSFIX_WORKERS = savedWorkers;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of every fixture, with one file the guard refuses to write (read-only) beside them. */
function copy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-streamed-'));
  dirs.push(dir);
  cpSync(FIXTURES, path.join(dir, 'fixtures'), { recursive: true });
  const ro = path.join(dir, 'fixtures', 'ro.yaml');
  writeFileSync(ro, 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n');
  chmodSync(ro, 0o444);
  return dir;
}

async function fixWith(dir: string, args: string[], prompt: boolean): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    cwd: dir,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: prompt,
    color: false,
    ask: async () => 'y',
  };
  const code = await main(['fix', ...(prompt ? [] : ['--yes']), ...args, 'fixtures'], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('the text report of a fix written as it goes', () => {
  for (const args of [[], ['--verbose', '--include-tests'], ['--fix-parameterised', '--quiet']]) {
    it(`is the whole result's report, on every fixture (${args.join(' ') || 'no flags'})`, async () => {
      const a = copy();
      const b = copy();
      const streamed = await fixWith(a, args, false);
      const whole = await fixWith(b, args, true);
      expect(streamed.err).toMatch(/tables in \d+ files: .*, \d+ errors?; /);
      expect(streamed.err).toContain('error: fixtures/ro.yaml');
      expect(streamed.err).toContain('not fixed: ');
      if (args.includes('--fix-parameterised')) expect(streamed.err).toContain('note: ');
      // The prompt previews every planned change; a fix written as it goes prints what it wrote: not the refused file.
      const refused = /diff --git a\/fixtures\/ro\.yaml [\s\S]*?(?=diff --git |$)/;
      expect(args.includes('--quiet') || refused.test(whole.out)).toBe(true);
      expect(streamed.out).not.toContain('fixtures/ro.yaml');
      expect({ ...streamed, out: streamed.out }).toEqual({ ...whole, out: whole.out.replace(refused, '') });
      expect(snapshot(a)).toEqual(snapshot(b));
      // A dry run goes as it does too: the same diff, printed chunk by chunk.
      const dry = await fixWith(copy(), ['--dry-run', ...args], false);
      expect(dry.out).toBe(whole.out);
      expect(dry.err).toMatch(/would be fixed in \d+ files, dry run, nothing written\n$/);
      expect(dry.code).toBe(2);
    }, 120_000);
  }

  // The JSON report of a fix in place, and of a dry run, is always streamed (no prompt): spooled as
  // files settle, printed in the run's order at the end. A dry run's must be, byte for byte, that of
  // --patch (which holds its files and settles them after the run); a fix in place's the same, each
  // fixed table written.
  for (const args of [[], ['--include-tests'], ['--fix-parameterised']]) {
    it(`JSON: the whole result's report, byte for byte; in place, each fixed table written (${args.join(' ') || 'no flags'})`, async () => {
      const a = copy();
      const b = copy();
      const whole = await fixWith(a, ['--patch', 'out.patch', '--format', 'json', ...args], false);
      const dry = await fixWith(a, ['--dry-run', '--format', 'json', ...args], false);
      const fixed = await fixWith(b, ['--format', 'json', ...args], false);
      // A note on a module call or terragrunt unit fixed through its module's table names the output that fixes it
      // (src/report/through.ts: "this run's patch gives" under --patch, "this run's diff gives" in a dry run, "this
      // run gave" in place; fixtures/terraform/terragrunt-local-module has one): the one wording that differs.
      const asDiff = (text: string) =>
        text.replaceAll("this run's patch gives", "this run's diff gives").replaceAll('this run gave', "this run's diff gives");
      expect(dry.out).toBe(asDiff(whole.out));
      const w = JSON.parse(whole.out);
      const d = JSON.parse(dry.out);
      const f = JSON.parse(fixed.out);
      expect(fixed.out).toBe(`${JSON.stringify(f, null, 2)}\n`);
      type Row = { file: string; line?: number; address?: string; fixed?: boolean; written?: boolean };
      const sorted = (rows: Row[]) =>
        [...rows].sort((x, y) => (`${x.file}:${x.line}:${x.address}` < `${y.file}:${y.line}:${y.address}` ? -1 : 1));
      expect(dry.code).toBe(whole.code === 2 ? 2 : 1);
      // --check lists the files the whole result changes, in the run's order (one thread).
      const check = await fixWith(a, ['--check', ...args], false);
      expect(check.out).toBe(w.files.map((x: Row) => `${x.file}\n`).join(''));
      // The read-only file is refused: in the dry run's diff, not written in place.
      const refused = (r: Row) => r.file === 'fixtures/ro.yaml';
      expect(f.tables).toEqual(d.tables.map((t: Row) => ({ ...t, fixed: t.fixed && !refused(t), written: t.fixed && !refused(t) })));
      expect(f.files).toEqual(d.files.map((x: Row) => ({ ...x, written: !refused(x) })));
      expect(sorted(f.errors)).toEqual(sorted([...d.errors, { file: 'fixtures/ro.yaml', message: expect.stringContaining('read-only') }]));
      expect(f.notes.map(asDiff)).toEqual(d.notes);
      if (args.includes('--fix-parameterised')) expect(f.notes.length).toBeGreaterThan(0);
      const planned = d.summary.planned;
      expect(f.summary).toEqual({
        ...d.summary,
        errors: d.summary.errors + 1,
        fixed: planned - 1,
        filesWritten: d.summary.filesChanged - 1,
      });
      expect(fixed.code).toBe(2);
    }, 120_000);
  }

  // --patch and --patch-dir keep their diffs on disk as the run goes, with the text report and with
  // JSON (whose files carry their diffs too): the same patches, byte for byte.
  it('--patch and --patch-dir: the same patches and summary as the whole result writes', async () => {
    const dir = copy();
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const text = await fixWith(dir, ['--patch', 'text.patch'], false);
    const json = await fixWith(dir, ['--patch', 'json.patch', '--format', 'json'], false);
    expect(text.code).toBe(json.code);
    const patchOf = (n: string) => readFileSync(path.join(dir, n), 'utf8');
    expect(patchOf('text.patch')).toBe(patchOf('json.patch'));
    expect(patchOf('text.patch')).toContain('diff --git a/fixtures/');
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = env.SOURCE_DATE_EPOCH;
    try {
      const t = await fixWith(dir, ['--patch-dir', 'p-text'], false);
      const j = await fixWith(dir, ['--patch-dir', 'p-json', '--format', 'json'], false);
      expect(t.code).toBe(j.code);
      expect(t.out).toContain('fixtures');
      const files = (d: string) => snapshot(path.join(dir, d));
      expect(files('p-text')).toEqual(files('p-json'));
      expect([...files('p-text').keys()].some((k) => k.endsWith('.patch'))).toBe(true);
      // No temp file left in either folder.
      expect([...files('p-text').keys(), ...files('p-json').keys()].filter((k) => k.includes('.kmsfix-tmp-'))).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  }, 120_000);

  it('refuses --output naming a file the run would read (exit 2) before anything is written, text and JSON', async () => {
    for (const format of ['text', 'json']) {
      const dir = copy();
      const target = 'fixtures/cloudformation/sam/input.yaml';
      const before = readFileSync(path.join(dir, target), 'utf8');
      const held = await runCli(['fix', '--patch-dir', 'pd', '--format', format, '--output', target, 'fixtures'], dir, undefined, {
        KMSFIX_WORKERS: '0',
      });
      expect(held.code).toBe(2);
      expect(held.stderr).toContain(`--output ${target}: is a file this run would scan`);
      // A fix in place is refused before it writes any file (it wrote them all, then refused).
      const tree = snapshot(path.join(dir, 'fixtures'));
      const r = await runCli(['fix', '--yes', '--format', format, '--output', target, 'fixtures'], dir, undefined, { KMSFIX_WORKERS: '0' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--output ${target}: is a file this run would scan; the report would overwrite it (nothing was written)`);
      expect(snapshot(path.join(dir, 'fixtures'))).toEqual(tree);
      expect(readFileSync(path.join(dir, target), 'utf8')).toBe(before);
    }
  }, 120_000);
});

describe('fold', () => {
  it('keeps what the report names and counts the rest: the summary is unchanged', async () => {
    const yaml = (key: string) =>
      `Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n${key}`;
    const { outcomes } = await processMemory(
      [
        { path: 'fixed.yaml', text: yaml('') },
        { path: 'cmk.yaml', text: yaml('        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/k\n') },
        { path: 'bad.yaml', text: 'Resources: [\n' },
      ],
      'fix',
    );
    const tally = emptyTally();
    const kept = outcomes.flatMap((o) => fold(o, o.newText !== undefined, undefined, tally) ?? []);
    // The fixed and the compliant file are counted only; the bad one keeps its error.
    expect(kept.map((o) => o.file.path)).toEqual(['bad.yaml']);
    expect(tally).toMatchObject({ files: 2, tables: 2, compliant: 1, nonCompliant: 1, planned: 1, fixed: 1 });
    const all = outcomes.map((o) => ({ ...o, tables: o.tables.map((t) => ({ ...t, fixed: t.planned === true })) }));
    expect(summarize(kept, [], tally)).toEqual(summarize(all, []));
    // A planned table whose file was not written is not fixed: it stays, for its line and the exit code.
    const unwritten = emptyTally();
    const fixedFile = outcomes.find((o) => o.file.path === 'fixed.yaml')!;
    expect(fold(fixedFile, false, { file: 'fixed.yaml', message: 'refused' }, unwritten)?.tables).toHaveLength(1);
    expect(unwritten.files).toBe(0);
  });
});
