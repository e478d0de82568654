/**
 * Durable writes (src/io/durable.ts): each temp file is synced to disk before its rename, each folder
 * renamed into is synced after the renames (once, not once per file), a group's journal is synced
 * before the first rename; a sync that fails (EIO) leaves the file as it was and says so as the
 * other write errors are said; a folder that cannot be synced where folders cannot be (Windows:
 * EISDIR, EPERM) is skipped silently. node:fs's calls are watched (and failed on demand) here, no timing.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** What the watched calls did, in order: `sync <path>`, `rename <from> <to>`; and which to fail. */
const watch = vi.hoisted(() => ({
  events: [] as string[],
  paths: new Map<number, string>(),
  /** A path whose fsync fails with EIO (a temp file's target name: its temp file's name ends with it), or whose folder open fails. */
  failSyncOf: undefined as ((p: string) => NodeJS.ErrnoException | undefined) | undefined,
  failOpenOf: undefined as ((p: string) => NodeJS.ErrnoException | undefined) | undefined,
  /** Called just before a rename (an edit saved into the file then). */
  beforeRename: undefined as ((from: string, to: string) => void) | undefined,
  /** Temp files open now (their fds), and the most open at once. */
  openTemps: new Set<number>(),
  mostOpenTemps: 0,
}));

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const openSync = (p: string, ...rest: unknown[]) => {
    const e = watch.failOpenOf?.(String(p));
    if (e) {
      watch.events.push(`refused ${p}`);
      throw e;
    }
    const fd = (real.openSync as (...a: unknown[]) => number)(p, ...rest);
    watch.paths.set(fd, String(p));
    if (path.basename(String(p)).startsWith('.kmsfix-tmp-')) {
      watch.openTemps.add(fd);
      watch.mostOpenTemps = Math.max(watch.mostOpenTemps, watch.openTemps.size);
    }
    return fd;
  };
  const closeSync = (fd: number) => {
    watch.openTemps.delete(fd);
    real.closeSync(fd);
  };
  const open = (p: string, flags: number, cb: (err: NodeJS.ErrnoException | null, fd: number) => void) => {
    const e = watch.failOpenOf?.(String(p));
    if (e) {
      watch.events.push(`refused ${p}`);
      return setImmediate(() => cb(e, -1));
    }
    real.open(p, flags, (err, fd) => {
      if (!err) watch.paths.set(fd, String(p));
      cb(err, fd);
    });
  };
  const syncOf = (fd: number) => {
    const p = watch.paths.get(fd) ?? `fd ${fd}`;
    watch.events.push(`sync ${p}`);
    return watch.failSyncOf?.(p);
  };
  const fsyncSync = (fd: number) => {
    const e = syncOf(fd);
    if (e) throw e;
    real.fsyncSync(fd);
  };
  const fsync = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
    const e = syncOf(fd);
    if (e) return setImmediate(() => cb(e));
    real.fsync(fd, cb);
  };
  const renameSync = (from: string, to: string) => {
    watch.beforeRename?.(from, to);
    watch.events.push(`rename ${from} ${to}`);
    real.renameSync(from, to);
  };
  const mocked = { ...real, openSync, closeSync, open, fsyncSync, fsync, renameSync };
  return { ...mocked, default: mocked };
});

const { SpooledOutput, TEMPS_OPEN, writeGroups, writeOutputAtomic, WriteError } = await import('../../src/io/write.js');
const { syncPendingFolders } = await import('../../src/io/durable.js');
const { cleanStaleTemps } = await import('../../src/io/temp.js');
const { stampOf } = await import('../../src/io/read.js');
const { writePending, PENDING_NAME } = await import('../../src/io/pending.js');

const eio = (): NodeJS.ErrnoException => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });

afterEach(() => {
  watch.events = [];
  watch.failSyncOf = undefined;
  watch.failOpenOf = undefined;
  watch.beforeRename = undefined;
  watch.openTemps.clear();
  watch.mostOpenTemps = 0;
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-durable-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const file = (dir: string, name: string, content: string) => ({ absPath: path.join(dir, name), path: name, content });

/** The index of the first event matching `re`, -1 if none. */
const at = (re: RegExp) => watch.events.findIndex((e) => re.test(e));
const count = (re: RegExp) => watch.events.filter((e) => re.test(e)).length;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a fix in place writes durably', () => {
  it('syncs each temp file before its rename, the journal before the first rename, and each folder once after its renames', async () => {
    const dir = folder({ 'main.tf': 'old main\n', 'kms.tf': 'old kms\n', 'other.yaml': 'old other\n' });
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'one.yaml'), 'old one\n');
    const group = { files: [file(dir, 'main.tf', 'new main\n'), file(dir, 'kms.tf', 'new kms\n')] };
    const single = { files: [file(dir, 'other.yaml', 'new other\n')] };
    const below = { files: [file(sub, 'one.yaml', 'new one\n')] };
    const result = await writeGroups([group, single, below]);
    expect([...result.values()]).toEqual([undefined, undefined, undefined, undefined]);
    expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe('new main\n');

    for (const name of ['main.tf', 'kms.tf', 'other.yaml', 'sub/one.yaml']) {
      const target = path.join(dir, name);
      const rename = at(new RegExp(`^rename (\\S+) ${esc(target)}$`));
      expect(rename, name).toBeGreaterThan(-1);
      const temp = watch.events[rename].split(' ')[1];
      // The temp file synced before its rename, its folder after it.
      expect(at(new RegExp(`^sync ${esc(temp)}$`)), name).toBeGreaterThan(-1);
      expect(at(new RegExp(`^sync ${esc(temp)}$`)), name).toBeLessThan(rename);
      expect(watch.events.lastIndexOf(`sync ${path.dirname(target)}`), name).toBeGreaterThan(rename);
    }
    // The journal (a group of two files) synced, with its folder, before the group's first rename.
    const firstRename = at(/^rename /);
    const journal = at(/\.journal$/);
    expect(journal).toBeGreaterThan(-1);
    expect(journal).toBeLessThan(firstRename);
    expect(watch.events.indexOf(`sync ${dir}`)).toBeGreaterThan(journal);
    expect(watch.events.indexOf(`sync ${dir}`)).toBeLessThan(firstRename);
    // Once per folder after the renames, not once per file: dir (3 files) and sub (1 file).
    const lastRename = watch.events.map((e) => e.startsWith('rename ')).lastIndexOf(true);
    const after = watch.events.slice(lastRename + 1);
    expect(after.filter((e) => e === `sync ${dir}`)).toHaveLength(1);
    expect(after.filter((e) => e === `sync ${sub}`)).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['kms.tf', 'main.tf', 'other.yaml', 'sub']);
  });

  it('keeps at most TEMPS_OPEN temp files open at once, each closed once its own sync ends (a low ulimit -n: no EMFILE)', async () => {
    const names = Array.from({ length: 3 * TEMPS_OPEN + 5 }, (_, i) => `t${i}.yaml`);
    const dir = folder(Object.fromEntries(names.map((n) => [n, `old ${n}\n`])));
    // Single files, and groups of three (a journal each): every temp file is synced before any rename.
    const singles = names.slice(0, 20).map((n) => ({ files: [file(dir, n, `new ${n}\n`)] }));
    const grouped = [];
    for (let i = 20; i < names.length; i += 3) grouped.push({ files: names.slice(i, i + 3).map((n) => file(dir, n, `new ${n}\n`)) });
    const result = await writeGroups([...singles, ...grouped]);
    expect([...result.values()].every((e) => e === undefined)).toBe(true);
    expect(result.size).toBe(names.length);
    for (const n of names) expect(readFileSync(path.join(dir, n), 'utf8')).toBe(`new ${n}\n`);
    expect(watch.mostOpenTemps).toBeGreaterThan(1);
    expect(watch.mostOpenTemps).toBeLessThanOrEqual(TEMPS_OPEN);
    expect(watch.openTemps.size).toBe(0);
    // Every temp file synced before the first rename, still.
    expect(watch.events.map((e) => /^sync .*\.kmsfix-tmp-/.test(e) && !e.endsWith('.journal')).lastIndexOf(true)).toBeLessThan(
      at(/^rename /),
    );
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
  });

  it('leaves a file whose temp file cannot be synced (EIO) as it was, and its group with it, said as a write error', async () => {
    const dir = folder({ 'main.tf': 'old main\n', 'kms.tf': 'old kms\n', 'other.yaml': 'old other\n' });
    watch.failSyncOf = (p) => (p.endsWith('-kms.tf') ? eio() : undefined);
    const group = { files: [file(dir, 'main.tf', 'new main\n'), file(dir, 'kms.tf', 'new kms\n')] };
    const single = { files: [file(dir, 'other.yaml', 'new other\n')] };
    const result = await writeGroups([group, single]);
    const kms = result.get(group.files[1]);
    expect(kms).toBeInstanceOf(WriteError);
    expect(kms?.message).toBe('cannot write: input/output error (EIO) flushing its new version to disk (fsync): not written');
    expect(result.get(group.files[0])?.message).toBe(
      'not written: the files of its group (main.tf, kms.tf) are written all or none, and kms.tf could not be written (cannot write: input/output error (EIO) flushing its new version to disk (fsync): not written)',
    );
    expect(result.get(single.files[0])).toBeUndefined();
    expect(readFileSync(path.join(dir, 'kms.tf'), 'utf8')).toBe('old kms\n');
    expect(readFileSync(path.join(dir, 'main.tf'), 'utf8')).toBe('old main\n');
    expect(readFileSync(path.join(dir, 'other.yaml'), 'utf8')).toBe('new other\n');
    expect(count(/^rename .*(main|kms)\.tf$/)).toBe(0);
    // No temp file or journal left behind.
    expect(readdirSync(dir).sort()).toEqual(['kms.tf', 'main.tf', 'other.yaml']);
  });

  it('says a file whose folder cannot be synced after its rename (EIO) is written, and the run fails', async () => {
    const dir = folder({ 'a.yaml': 'old\n' });
    watch.failSyncOf = (p) => (p === dir ? eio() : undefined);
    const only = { files: [file(dir, 'a.yaml', 'new\n')] };
    const err = (await writeGroups([only])).get(only.files[0]);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as InstanceType<typeof WriteError>).written).toBe(true);
    expect(err?.message).toMatch(/^written, but its folder could not be flushed to disk \(input\/output error \(EIO\)\)/);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('new\n');
  });

  it("keeps a group's journal when its folder cannot be synced after the renames (EIO), and says so", async () => {
    const dir = folder({ 'main.tf': 'old main\n', 'kms.tf': 'old kms\n' });
    // Only the sync after the renames fails (the journal's own, before them, succeeds).
    watch.failSyncOf = (p) => (p === dir && watch.events.some((e) => e.startsWith('rename ')) ? eio() : undefined);
    const group = { files: [file(dir, 'main.tf', 'new main\n'), file(dir, 'kms.tf', 'new kms\n')] };
    const result = await writeGroups([group]);
    for (const f of group.files) {
      expect(result.get(f)?.message, f.path).toMatch(/a power loss may undo the fix \(its group's journal is kept for the next fix run\)/);
      expect((result.get(f) as InstanceType<typeof WriteError>).written).toBe(true);
    }
    expect(readdirSync(dir).filter((n) => n.endsWith('.journal'))).toHaveLength(1);
  });

  it("keeps a killed run's journal when the folder of the renames it completes cannot be synced (EIO), and says so", () => {
    const dir = folder({ 'g.yaml': 'new g', 'h.yaml': 'old h' });
    const pending = path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-h.yaml`);
    writeFileSync(pending, 'new h');
    const journal = path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d.0.journal`);
    const h = path.join(dir, 'h.yaml');
    writeFileSync(
      journal,
      JSON.stringify({
        version: 1,
        pid: process.pid,
        renames: [
          { temp: path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-g.yaml`), target: path.join(dir, 'g.yaml'), stamp: 'gone' },
          { temp: pending, target: h, stamp: stampOf(statSync(h, { bigint: true })) },
        ],
      }),
    );
    watch.failSyncOf = (p) => (p === dir ? eio() : undefined);
    const c = cleanStaleTemps([pending, journal], (p) => path.basename(p));
    expect(c.completed).toEqual(['h.yaml']);
    // g.yaml, which the killed run renamed, is in that folder too: not surely on disk either.
    expect(c.errors.map((e) => [e.file, e.message])).toEqual([
      ['g.yaml', expect.stringMatching(/^written by an earlier kmsfix run, but .*its group's journal is kept for the next fix run$/)],
      ['h.yaml', expect.stringMatching(/^completed the write .*its group's journal is kept for the next fix run$/)],
    ]);
    expect(readFileSync(h, 'utf8')).toBe('new h');
    expect(existsSync(journal)).toBe(true);
    expect(c.removed).not.toContain(journal);
  });

  it('syncs the folders of a kept journal whose renames are all done before removing it; keeps it while they cannot be synced', () => {
    // A journal a fix kept (its folder's sync failed after the renames: both files new, no temp file left).
    const dir = folder({ 'g.yaml': 'new g', 'h.yaml': 'new h' });
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'k.yaml'), 'new k');
    const journal = path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d.0.journal`);
    writeFileSync(
      journal,
      JSON.stringify({
        version: 1,
        pid: process.pid,
        renames: ['g.yaml', 'h.yaml', 'sub/k.yaml'].map((n) => ({
          temp: path.join(dir, path.dirname(n), `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-${path.basename(n)}`),
          target: path.join(dir, n),
          stamp: 'done',
        })),
      }),
    );
    // The disk still fails: the journal stays, each file of that folder said.
    watch.failSyncOf = (p) => (p === sub ? eio() : undefined);
    const failing = cleanStaleTemps([journal], (p) => path.relative(dir, p));
    expect(failing.errors).toEqual([
      {
        file: path.join('sub', 'k.yaml'),
        message:
          "written by an earlier kmsfix run, but its folder still cannot be flushed to disk (input/output error (EIO)): a power loss may undo it; its group's journal is kept for the next fix run",
      },
    ]);
    expect(existsSync(journal)).toBe(true);
    expect(failing.removed).toEqual([]);
    // The disk is back: both folders synced, then the journal removed.
    watch.failSyncOf = undefined;
    watch.events = [];
    const c = cleanStaleTemps([journal], (p) => path.relative(dir, p));
    expect(c.errors).toEqual([]);
    expect(c.removed).toEqual([journal]);
    expect(existsSync(journal)).toBe(false);
    expect(watch.events).toEqual(expect.arrayContaining([`sync ${dir}`, `sync ${sub}`]));
    expect(readFileSync(path.join(dir, 'g.yaml'), 'utf8')).toBe('new g');
  });

  it('removes a done journal whose folder is gone (nothing left there to put on disk)', () => {
    const dir = folder({ 'g.yaml': 'new g' });
    const journal = path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d.0.journal`);
    const gone = path.join(dir, 'gone');
    writeFileSync(
      journal,
      JSON.stringify({
        version: 1,
        pid: process.pid,
        renames: [
          { temp: path.join(dir, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-g.yaml`), target: path.join(dir, 'g.yaml'), stamp: 'done' },
          { temp: path.join(gone, `.kmsfix-tmp-${process.pid}-1.0a1b2c3d-h.yaml`), target: path.join(gone, 'h.yaml'), stamp: 'done' },
        ],
      }),
    );
    const c = cleanStaleTemps([journal], (p) => path.relative(dir, p));
    expect(c.errors).toEqual([]);
    expect(c.removed).toEqual([journal]);
    expect(watch.events).toContain(`sync ${dir}`);
  });

  it('syncs the copy of an edit saved beside its file (.kmsfix-lost-<pid>) before its folder is synced', async () => {
    const dir = folder({ 'a.yaml': 'old\n' });
    const target = path.join(dir, 'a.yaml');
    watch.beforeRename = (_from, to) => {
      if (to === target) appendFileSync(target, 'edit\n');
    };
    const only = { files: [{ ...file(dir, 'a.yaml', 'new\n'), stamp: stampOf(statSync(target, { bigint: true })) }] };
    const err = (await writeGroups([only])).get(only.files[0]);
    expect(err?.message).toMatch(/saved as a\.yaml\.kmsfix-lost-/);
    const lost = path.join(dir, readdirSync(dir).find((n) => n.includes('.kmsfix-lost-'))!);
    expect(readFileSync(lost, 'utf8')).toBe('old\nedit\n');
    const synced = at(new RegExp(`^sync ${esc(lost)}$`));
    expect(synced).toBeGreaterThan(-1);
    expect(watch.events.lastIndexOf(`sync ${dir}`)).toBeGreaterThan(synced);
  });

  it('skips the folder sync silently where folders cannot be opened (Windows: EISDIR, EPERM)', async () => {
    for (const code of ['EISDIR', 'EPERM']) {
      const dir = folder({ 'a.yaml': 'old\n' });
      watch.failOpenOf = (p) => (p === dir ? Object.assign(new Error(code), { code }) : undefined);
      const only = { files: [file(dir, 'a.yaml', 'new\n')] };
      expect((await writeGroups([only])).get(only.files[0]), code).toBeUndefined();
      expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('new\n');
      expect(watch.events, code).toContain(`refused ${dir}`);
    }
  });
});

describe('outputs and records are written durably', () => {
  it('syncs an output (a patch, summary.json) before its rename and its folder after; EIO leaves the old file', () => {
    const dir = folder({ 'fix.patch': 'old patch\n' });
    const target = path.join(dir, 'fix.patch');
    writeOutputAtomic(target, 'new patch\n', 'fix.patch');
    const rename = at(new RegExp(`^rename (\\S+) ${esc(target)}$`));
    const temp = watch.events[rename].split(' ')[1];
    expect(at(new RegExp(`^sync ${esc(temp)}$`))).toBeLessThan(rename);
    expect(at(new RegExp(`^sync ${esc(temp)}$`))).toBeGreaterThan(-1);
    expect(at(new RegExp(`^sync ${esc(dir)}$`))).toBeGreaterThan(rename);

    watch.failSyncOf = (p) => (p.endsWith('-fix.patch') ? eio() : undefined);
    expect(() => writeOutputAtomic(target, 'newer patch\n', 'fix.patch')).toThrow(
      'cannot write fix.patch: input/output error (EIO) flushing it to disk (fsync)',
    );
    expect(readFileSync(target, 'utf8')).toBe('new patch\n');
    expect(readdirSync(dir)).toEqual(['fix.patch']);
  });

  it("syncs --patch-dir's folder once for its patches and mails, when asked (before summary.json), not once per file", () => {
    const dir = folder({});
    for (const name of ['a.mbox', 'a.patch', 'b.patch']) {
      const out = new SpooledOutput(path.join(dir, name), name, true, 'later');
      out.write(`${name}\n`);
      out.commit();
    }
    expect(count(/^rename /)).toBe(3);
    expect(count(/^sync /)).toBe(3); // the three temp files, not the folder yet
    syncPendingFolders();
    expect(watch.events.filter((e) => e === `sync ${dir}`)).toHaveLength(1);
    expect(watch.events.at(-1)).toBe(`sync ${dir}`);
    syncPendingFolders(); // nothing left to sync
    expect(watch.events.filter((e) => e === `sync ${dir}`)).toHaveLength(1);
  });

  it("syncs --commit's record and the git dir before the run writes a file", () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-durable-'));
    const gitDir = path.join(root, '.git');
    mkdirSync(gitDir);
    writePending(root, { head: { sha: 'abc', branch: 'main' } as never, message: 'm', files: [] });
    const target = path.join(gitDir, PENDING_NAME);
    const rename = at(new RegExp(`^rename \\S+ ${esc(target)}$`));
    expect(at(new RegExp(`^sync ${esc(target)}\\.tmp$`))).toBeLessThan(rename);
    expect(at(new RegExp(`^sync ${esc(gitDir)}$`))).toBeGreaterThan(rename);
  });
});
