/**
 * A fix in place without a prompt writes as it goes (src/io/stream.ts, issue 16): each chunk of
 * verified groups is written while the run still reads, its renames going on while the run fixes
 * the next chunk, the run keeps no fixed text after its write, and what is printed and written is
 * what a dry run shows, across several chunks. A fix that asks first or commits holds its files
 * instead: nothing written during the run, no fixed text kept in memory, the files allowed written
 * after it from the disk.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunOptions, run } from '../../src/engine/run.js';
import type { FileOutcome } from '../../src/core/result.js';
import { FileTexts } from '../../src/io/spool.js';
import { FixStream } from '../../src/io/stream.js';
import { TEMP_PREFIX } from '../../src/io/temp.js';
import { runCli } from '../helpers/cli-helper.js';

const template = (i: number) =>
  `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Orders${i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n` +
  `      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n`;

/** More files than one chunk holds (256), each a table to fix, one folder each. */
const FILES = 300;
const dirs: string[] = [];

function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-stream-'));
  dirs.push(dir);
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `s${String(i).padStart(3, '0')}`);
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'template.yaml'), template(i));
  }
  return dir;
}

/** A fix of `dir` in one thread, its verified outcomes handed to `stream` (`more`: other run options). */
function fixThrough(dir: string, stream: FixStream, more: Partial<RunOptions> = {}) {
  return run(['.'], {
    cwd: dir,
    mode: 'fix',
    workers: 0,
    keyStrategy: 'per-table',
    acceptAwsManaged: false,
    onVerified: (outcomes, replace) => stream.add(outcomes, replace),
    onVerifiedEnd: () => stream.finish(),
    ...more,
  });
}

/** The first `n` files of `dir` changed (a line added), as the run hands over verified groups (a full chunk: 256). */
function chunk(dir: string, n = 256): FileOutcome[] {
  return Array.from({ length: n }, (_, i) => {
    const absPath = fileOf(dir, i);
    const text = readFileSync(absPath, 'utf8');
    return {
      file: { path: path.relative(dir, absPath), absPath, text },
      newText: `${text}# fixed\n`,
      tables: [],
    } as unknown as FileOutcome;
  });
}

const fileOf = (dir: string, i: number) => path.join(dir, `s${String(i).padStart(3, '0')}`, 'template.yaml');

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('fix in place, written as it goes', () => {
  it('writes the first chunk while the run still reads, and keeps no fixed text after the writes', async () => {
    const dir = tree();
    const stream = new FixStream(false, { show: () => undefined, content: (o) => o.newText! });
    let writtenBeforeLastRead: boolean | undefined;
    const result = await fixThrough(dir, stream, {
      onProgress: (p) => {
        // Written, or being written: its temp file is there, its rename under way (the chunk's
        // renames go on while the run reads on).
        const first = fileOf(dir, 0);
        if (p.scanned === p.candidates)
          writtenBeforeLastRead =
            readFileSync(first, 'utf8').includes('KMSMasterKeyId') ||
            readdirSync(path.dirname(first)).some((n) => n.startsWith(TEMP_PREFIX));
      },
    });
    expect(writtenBeforeLastRead).toBe(true);
    // The last file, of the last chunk, is written by finish() (onVerifiedEnd, before run() returns).
    expect(readFileSync(fileOf(dir, FILES - 1), 'utf8')).toContain('KMSMasterKeyId');
    expect(stream.written.size).toBe(FILES);
    expect(stream.failed.size).toBe(0);
    // The run's result holds no text of any file, fixed or not: only tables and where they are.
    expect(result.outcomes).toHaveLength(FILES);
    for (const o of result.outcomes) {
      expect(o.file.text).toBe('');
      expect(o.newText).toBeUndefined();
      expect(o.edits).toBeUndefined();
      expect(stream.written.has(o)).toBe(true);
    }
  });

  it('prints the same diff as a dry run, across chunks, and writes what it prints (text and JSON)', async () => {
    const env = { KMSFIX_WORKERS: '0' };
    const a = tree();
    const dry = await runCli(['fix', '--dry-run', '.'], a, undefined, env);
    const fix = await runCli(['fix', '--yes', '.'], a, undefined, env);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toBe(dry.stdout);
    expect(fix.stderr).toContain(`fixed in ${FILES} files, ${FILES} files written`);
    const b = tree();
    const json = JSON.parse((await runCli(['fix', '--yes', '--format', 'json', '.'], b, undefined, env)).stdout);
    expect(json.files).toHaveLength(FILES);
    expect(json.files.map((f: { diff: string }) => f.diff).join('')).toBe(dry.stdout);
    expect(json.files.every((f: { written: boolean }) => f.written)).toBe(true);
    for (const i of [0, 123, FILES - 1]) expect(readFileSync(fileOf(b, i), 'utf8')).toBe(readFileSync(fileOf(a, i), 'utf8'));
  }, 120_000);
});

describe('a fix in place that holds its files (the prompt, --commit)', () => {
  it("writes nothing during the run and keeps no fixed text; writes the allowed files from the disk after it; settles every file in the run's order", async () => {
    const dir = tree();
    const texts = new FileTexts();
    const contents = new Map<string, string>();
    const settled: number[] = [];
    const stream = new FixStream(
      false,
      {
        show: (changed) => changed.map((o) => `diff of ${o.file.path}\n`),
        content: (o) => {
          contents.set(o.file.absPath, o.newText!);
          return o.newText!;
        },
        settle: (o, how) => {
          settled.push(how.order);
          return o;
        },
      },
      true,
      texts,
    );
    const result = await fixThrough(dir, stream);
    // Held: nothing written, nothing settled, no text of any file in the run's result.
    expect(readFileSync(fileOf(dir, 0), 'utf8')).not.toContain('KMSMasterKeyId');
    expect(settled).toEqual([]);
    expect(stream.held).toHaveLength(FILES);
    expect(stream.attempted).toBe(false);
    // Held: no text and no table of any file in memory; its tables read back from the disk.
    for (const o of result.outcomes) {
      expect(o.file.text).toBe('');
      expect(o.newText).toBeUndefined();
      expect(o.edits).toBeUndefined();
      expect(o.tables).toEqual([]);
      expect(stream.full(o).tables).toMatchObject([{ status: 'aws-owned', planned: true, file: o.file.path }]);
    }
    expect(texts.get(stream.held[7], 'diff')).toBe(`diff of ${stream.held[7].file.path}\n`);
    // The even files allowed: written with the verified text kept on disk; the odd ones untouched.
    const allowed = stream.held.filter((_, i) => i % 2 === 0);
    const w = await stream.writeHeld(allowed);
    expect(w.failed.size).toBe(0);
    expect([...w.written]).toEqual(allowed);
    for (const [i, o] of stream.held.entries()) {
      const now = readFileSync(o.file.absPath, 'utf8');
      if (i % 2 === 0) expect(now).toBe(contents.get(o.file.absPath));
      else expect(now).not.toContain('KMSMasterKeyId');
    }
    // Settled after: every file, in the run's order, with its delivery and failure.
    const refused = { file: stream.held[1].file.path, message: 'refused' };
    const kept = stream.settleHeld(result.outcomes, w.written, new Map([[stream.held[1], refused]]));
    expect(settled).toEqual(result.outcomes.map((_, i) => i));
    expect(kept.map((o) => o.file.path)).toEqual(result.outcomes.map((o) => o.file.path));
    expect(kept.map((o) => o.tables)).toEqual(result.outcomes.map((o) => stream.full(o).tables));
    expect(stream.changedCount).toBe(FILES);
    expect(stream.writtenCount).toBe(allowed.length);
    expect([...stream.failed.values()]).toEqual([refused]);
    expect(stream.attempted).toBe(true);
    texts.discard();
  });

  it('keeps of each held file what the run reads after it, and no key for what it lacks (one per file of the tree)', async () => {
    const dir = tree();
    const texts = new FileTexts();
    const stream = new FixStream(false, { show: () => undefined, content: (o) => o.newText! }, true, texts);
    const [a, b] = chunk(dir, 2);
    const error = { file: a.file.path, line: 3, column: 1, message: 'a note' };
    const changed = {
      ...a,
      file: { ...a.file, test: true as const },
      bom: true,
      group: 'group-1',
      stamp: '64768:12:345:1764739200123456789:1764739200123456789',
      link: 'in -> s000',
      error,
      edits: [],
      watched: [],
    } as FileOutcome;
    const unchanged = { ...b, newText: undefined, bom: false } as FileOutcome;
    const replaced = new Map<FileOutcome, FileOutcome | undefined>();
    await stream.add([changed, unchanged], (before, after) => replaced.set(before, after));
    await stream.finish();
    const { path: p, absPath } = a.file;
    expect(stream.held).toStrictEqual([
      {
        file: { path: p, absPath, text: '', test: true },
        bom: true,
        tables: [],
        error,
        group: 'group-1',
        stamp: changed.stamp,
        link: 'in -> s000',
      },
    ]);
    expect(replaced.get(changed)).toBe(stream.held[0]);
    expect(replaced.get(unchanged)).toStrictEqual({
      file: { path: b.file.path, absPath: b.file.absPath, text: '' },
      bom: false,
      tables: [],
    });
    texts.discard();
  });

  it('a fixed text the spool cannot give back: its group is not written and says why, the others are', async () => {
    const dir = tree();
    const texts = new FileTexts();
    const stream = new FixStream(false, { show: () => undefined, content: (o) => o.newText! }, true, texts);
    await stream.add(chunk(dir, 3), () => {});
    await stream.finish();
    const unreadable = stream.held[1];
    const get = texts.get.bind(texts);
    texts.get = (o, kind) => {
      if (o === unreadable) throw new Error('the spool file ended early');
      return get(o, kind);
    };
    const w = await stream.writeHeld(stream.held);
    expect(w.failed.get(unreadable)?.message).toBe(
      "not written: its fixed text could not be read back from kmsfix's temp file (the spool file ended early)",
    );
    expect(readFileSync(fileOf(dir, 1), 'utf8')).not.toContain('# fixed');
    for (const i of [0, 2]) expect(readFileSync(fileOf(dir, i), 'utf8')).toMatch(/# fixed\n$/);
    expect(w.written.size).toBe(2);
    texts.discard();
  });

  it('writes held texts larger than a chunk, chunk by chunk', async () => {
    const dir = tree();
    const texts = new FileTexts();
    const stream = new FixStream(false, { show: () => undefined, content: (o) => o.newText! }, true, texts);
    // Three files of 1.5 M characters (multi-byte): a chunk is 4 M, so two writes.
    const big = (i: number) => `# ${'é'.repeat(1_500_000)} ${i}\n`;
    const outcomes = [0, 1, 2].map((i) => {
      const absPath = fileOf(dir, i);
      return {
        file: { path: path.relative(dir, absPath), absPath, text: readFileSync(absPath, 'utf8') },
        newText: big(i),
        tables: [],
      } as unknown as FileOutcome;
    });
    await stream.add(outcomes, () => {});
    await stream.finish();
    const w = await stream.writeHeld(stream.held);
    expect(w.written.size).toBe(3);
    for (const i of [0, 1, 2]) expect(readFileSync(fileOf(dir, i), 'utf8')).toBe(big(i));
    texts.discard();
  });
});

describe('a chunk written in the background', () => {
  it('returns from a full chunk while its files are written, and settles it by the next flush or finish', async () => {
    const dir = tree();
    const stream = new FixStream(true, { show: () => undefined, content: (o) => o.newText! });
    const replaced: FileOutcome[] = [];
    await stream.add(chunk(dir), (_before, after) => {
      if (after) replaced.push(after);
    });
    // The temp files under way (since session 61 at most TEMPS_OPEN at once, each synced to disk before any
    // rename: write.ts), nothing settled yet (their callbacks need the event loop), and the run goes on meanwhile.
    expect(stream.writtenCount).toBe(0);
    expect(replaced).toHaveLength(0);
    await stream.idle();
    expect(stream.writtenCount).toBe(256);
    expect(replaced).toHaveLength(256);
    await stream.finish();
    for (const i of [0, 255]) expect(readFileSync(fileOf(dir, i), 'utf8')).toMatch(/# fixed\n$/);
    for (let i = 0; i < 256; i++) expect(readdirSync(path.dirname(fileOf(dir, i))).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
  });

  it('throws what went wrong settling a chunk at the next flush or at finish, never lost', async () => {
    const dir = tree();
    const stream = new FixStream(true, {
      show: () => undefined,
      content: (o) => o.newText!,
      settle: () => {
        throw new Error('settle failed');
      },
    });
    await stream.add(chunk(dir), () => {});
    await expect(stream.finish()).rejects.toThrow('settle failed');
  });
});
