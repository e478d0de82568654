/**
 * `fix --patch-dir DIR`: one patch per git repository (named after the repository folder), with
 * paths relative to that repository's root so `git apply` works there, the same change as a mail
 * `git am` turns into one commit with its message (DIR/<repository>.mbox), plus DIR/summary.json
 * (per repository: tables found, fixed, not fixable and why, errors) and a short table for stdout.
 * Files outside any git work tree are grouped under the command-line path they were found under.
 */
import { promises as fs, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execGit, real, repoRootOf } from '../io/git.js';
import { fileDiff, repoPath } from './diff.js';
import { toPosix } from '../core/text.js';
import { makeDir } from '../io/outputs.js';
import { SpooledOutput, writeOutputAtomic } from '../io/write.js';
import { cleanStaleTemps, heldThroughSignals, isTempName, runCommitted, signalsHeard } from '../io/temp.js';
import { syncPendingFolders } from '../io/durable.js';
import { OrderedSpool } from '../io/spool.js';
import { describeError } from '../io/read.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { repositoryMessage } from './commitMessage.js';
import { mailHeaders, mailTail } from './mail.js';
import type { MessageOptions } from './messageTypes.js';
import { heapTick } from '../core/heap.js';

export interface RepoReport {
  repository: string;
  /** The repository root, relative to the current directory. */
  path: string;
  /** Whether it is a git work tree (false: a command-line folder outside any repository). */
  git: boolean;
  /** The patch file name inside DIR, or null when nothing changes (or it could not be written). */
  patch: string | null;
  /** The same change as a mail `git am` takes (one commit with its message), for git repositories; or null. */
  mail: string | null;
  files: number;
  filesChanged: number;
  tables: number;
  compliant: number;
  /** Tables the verified fix covers. */
  planned: number;
  /** Tables fixed by the patch written (planned, unless the patch could not be written). */
  fixed: number;
  notFixable: { file: string; line: number; address: string; status: string; reason: string }[];
  errors: FileError[];
  /**
   * In summary.json only: a repository an earlier run into DIR listed and this one did not scan (no file of its name
   * written by this run), its entry kept as that run wrote it, and its files with it, still kmsfix's. A run over a subset
   * of the repositories wrote a summary.json of that subset, the others' patches left stale and unlisted, then refused
   * as not kmsfix's by a later run (adversarial pass of session 59, F1).
   */
  earlier?: true;
}

export interface PatchDirResult {
  repositories: RepoReport[];
  /** The short table for stdout. */
  table: string;
  /** The changed files whose diff is in a patch written. */
  delivered: FileOutcome[];
  /** Patches that could not be written: errors of the run (exit 2); summary.json lists them per repository. */
  unwritten: FileError[];
  /** Lines for stderr: temp files of killed runs removed, files of DIR left alone because kmsfix did not write them. */
  notes: string[];
}

/**
 * The files of DIR that kmsfix wrote (names): those its summary.json lists, as patches and mails of
 * a finished run or as the files a run writing DIR may write (see finish). Nothing else in DIR is
 * ever removed or overwritten: a hand-written orders.patch is the user's.
 */
function ownFiles(absDir: string): { own: Set<string>; entries: RepoReport[] } {
  const out = new Set<string>();
  let summary: unknown;
  try {
    summary = JSON.parse(readFileSync(path.join(absDir, 'summary.json'), 'utf8'));
  } catch {
    return { own: out, entries: [] }; // none, or not kmsfix's
  }
  const s = summary as { version?: unknown; repositories?: { patch?: unknown; mail?: unknown }[]; writing?: unknown };
  if (s?.version !== 1) return { own: out, entries: [] };
  const repositories = Array.isArray(s.repositories) ? s.repositories : [];
  const names = [...repositories.flatMap((r) => [r?.patch, r?.mail]), ...(Array.isArray(s.writing) ? s.writing : [])];
  for (const n of names) if (typeof n === 'string' && n === path.basename(n) && /\.(patch|mbox)$/.test(n)) out.add(n);
  // Its repositories' entries, for a later run that does not scan them (RepoReport.earlier).
  const entries = repositories.filter(
    (r): r is RepoReport => typeof r === 'object' && r !== null && typeof (r as { repository?: unknown }).repository === 'string',
  );
  return { own: out, entries };
}

interface Bucket {
  root: string;
  git: boolean;
  outcomes: FileOutcome[];
  errors: FileError[];
  /** Why its changed files' diffs could not be kept (src/io/spool.ts). */
  spoolError?: string;
  /** Its changed files with CRLF line ends (paths from the root): git may store them with LF (mailDiff). */
  crlf?: string[];
}

/**
 * Of a repository's files with CRLF line ends in the work tree, those git stores with LF (`git ls-files
 * --eol`: `i/lf` against `w/crlf` or `w/mixed`: `.gitattributes` `eol=crlf`, `core.autocrlf`). `git am`
 * applies a mail to what git stores: their diffs go in the mail with LF line ends (the patch, for `git
 * apply` in the work tree, keeps the work tree's).
 */
async function storedWithLf(root: string, files: string[]): Promise<Set<string>> {
  const r = await execGit(root, ['ls-files', '--eol', '-z', '--', ...files.map((f) => `:(literal)${f}`)]);
  const out = new Set<string>();
  if (r.code !== 0) return out;
  for (const entry of r.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0 && /^i\/lf\s+w\/(?:crlf|mixed)\s/.test(entry)) out.add(entry.slice(tab + 1));
  }
  return out;
}

/** Text written as base64 lines of 76 characters (57 bytes each), as a mail's body is sent: `write` as it comes, then `end`. */
class Base64Lines {
  private carry = Buffer.alloc(0);
  constructor(private readonly out: (s: string) => void) {}
  write(s: string): void {
    const all = Buffer.concat([this.carry, Buffer.from(s, 'utf8')]);
    const whole = all.length - (all.length % 57);
    for (let i = 0; i < whole; i += 57) this.out(`${all.subarray(i, i + 57).toString('base64')}\n`);
    this.carry = all.subarray(whole);
  }
  end(): void {
    if (this.carry.length > 0) this.out(`${this.carry.toString('base64')}\n`);
    this.carry = Buffer.alloc(0);
  }
}

/** A file's diff as a mail carries it: with LF line ends when git stores the file so (`lf`: its path from the root). */
function mailDiff(diff: string, lf: Set<string>): string {
  const m = /^diff --git a\/(.*?) b\//.exec(diff);
  return m && lf.has(m[1]) ? diff.replace(/\r\n/g, '\n') : diff;
}

function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Writes DIR: `add` keeps each changed file's diff for its repository's patch as the run goes, on
 * disk (src/io/spool.ts), so that a fix that writes as it goes holds no diff (src/io/stream.ts);
 * `finish` writes each patch (its diffs in the run's order) and its mail, each atomically, and
 * summary.json.
 */
export class PatchDirWriter {
  private readonly absDir: string;
  private readonly absInputs: string[];
  private readonly buckets = new Map<string, Bucket>();
  /** Each repository's diffs, under its root. */
  private readonly spool = new OrderedSpool();
  /** Each bucket root's real path, asked of the system once. */
  private readonly realRoots = new Map<string, string>();

  constructor(
    private readonly dir: string,
    inputs: string[],
    private readonly cwd: string,
  ) {
    this.absDir = path.resolve(cwd, dir);
    this.absInputs = (inputs.length ? inputs : ['.']).map((i) => path.resolve(cwd, i));
  }

  /** Changed files (`orders`: each one's place in the run's order): their diffs, paths from their repository's root, kept for its patch. */
  add(changed: FileOutcome[], orders: number[]): void {
    for (const [k, o] of changed.entries()) {
      if (within(this.absDir, o.file.absPath)) continue;
      const b = this.place(o.file.absPath);
      if (b.spoolError !== undefined) continue;
      try {
        const rel = repoPath(b.root, o.file.absPath);
        this.spool.append(b.root, orders[k], fileDiff(o, rel));
        if (b.git && o.file.text.includes('\r\n')) (b.crlf ??= []).push(rel);
      } catch (err) {
        b.spoolError = describeError(err);
      }
    }
  }

  /**
   * Every outcome of the run (with or without texts), its errors and the repositories it met: the
   * patches and mails put in place, summary.json written. `changed`: whether an outcome's change was
   * added. Throws an OutputError when DIR cannot be made; a patch, mail or summary.json that cannot be written is in `unwritten`.
   * `leftOut`: changed files kept out of the patches, and why (src/io/guard.ts guardPatches): an error of their repository,
   * their tables planned but not fixed.
   */
  async finish(
    outcomes: FileOutcome[],
    errors: FileError[],
    repos: string[],
    changed: (o: FileOutcome) => boolean,
    /** What the mails' commit messages say about the fix, and their date. */
    message: MessageOptions & { date: Date },
    /** An outcome with its tables (a fix that holds its files keeps them on disk: read back one repository, or one file, at a time). */
    full: (o: FileOutcome) => FileOutcome,
    leftOut: ReadonlyMap<FileOutcome, FileError> = new Map(),
    /**
     * Each error of a configuration file with problems, to the git repositories it left unread (src/cli/scopes.ts
     * unreadRepos): a row each, holding it (a repository not read was missing from summary.json, and a folder above
     * the repositories holding the file had a row of its own that is no repository); in the file's own row only
     * when that is a repository's.
     */
    unreadIn: ReadonlyMap<FileError, string[]> = new Map(),
  ): Promise<PatchDirResult> {
    const { absDir, dir, cwd } = this;
    const inPatch = (o: FileOutcome) => changed(o) && !leftOut.has(o);
    for (const r of repos) this.bucket(r, true);
    for (const i of this.absInputs) {
      const r = repoRootOf(i, true);
      if (r) this.bucket(r, true);
    }
    for (const o of outcomes) {
      if (within(absDir, o.file.absPath)) continue; // our own output from an earlier run
      this.place(o.file.absPath).outcomes.push(o);
    }
    for (const e of errors) {
      const at = path.resolve(cwd, e.file);
      const unread = unreadIn.get(e);
      if (!unread) {
        this.place(at).errors.push(e);
        continue;
      }
      for (const r of unread) this.bucket(r, true).errors.push(e);
      if (repoRootOf(at)) this.place(at).errors.push(e);
    }

    // Names: the folder's name; a second folder of the same name gets -2, -3, ... (in path order).
    const sorted = [...this.buckets.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
    const used = new Set<string>(['summary']);
    const names = sorted.map((b) => {
      const base = (path.basename(b.root) || 'root').replace(/[^A-Za-z0-9._-]/g, '_');
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
      used.add(name);
      return name;
    });
    makeDir(absDir, dir);
    const notes: string[] = [];
    /** An output as the user named its folder. */
    const shown = (file: string) => toPosix(path.join(dir, path.basename(file)));
    // Temp files of a --patch-dir run that was killed (their owner dead), as a fix in place removes its own.
    const left = cleanStaleTemps(
      readdirSync(absDir)
        .filter(isTempName)
        .map((n) => path.join(absDir, n)),
      shown,
    );
    if (left.removed.length)
      notes.push(
        `note: removed ${left.removed.length} temp file${left.removed.length === 1 ? '' : 's'} left in ${dir} by an interrupted kmsfix run`,
      );
    // DIR's files kmsfix wrote; then summary.json says, until this run's is written (the last file, the commit point), that DIR is
    // being written and which files kmsfix may write there: a run killed meanwhile leaves no summary of another run beside
    // this run's patches, and the next run knows those files as kmsfix's.
    const { own, entries } = ownFiles(absDir);
    const mine = (name: string) => own.has(name);
    /** The earlier runs' repositories this one does not scan: listed again, their files left as they are (RepoReport.earlier). */
    const kept: RepoReport[] = entries.filter((r) => !names.includes(r.repository)).map((r) => ({ ...r, earlier: true }));
    try {
      writeOutputAtomic(
        path.join(absDir, 'summary.json'),
        JSON.stringify(
          {
            version: 1,
            incomplete: 'kmsfix fix --patch-dir is writing this folder, or was stopped while it did: run it again',
            // Kept for the next run if this one is stopped: their files stay kmsfix's.
            ...(kept.length ? { repositories: kept } : {}),
            writing: [...new Set([...own, ...names.flatMap((n, k) => [`${n}.patch`, ...(sorted[k].git ? [`${n}.mbox`] : [])])])],
          },
          null,
          2,
        ) + '\n',
        shown('summary.json'),
        false,
      );
    } catch {
      /* the final summary.json says it cannot be written, as an error */
    }
    /** Removes a file of DIR an earlier run of kmsfix wrote; says the others, left alone. */
    const removeOwn = async (file: string, why: string) => {
      if (mine(path.basename(file))) await fs.rm(file, { force: true });
      else if (existsSync(file))
        notes.push(
          `warning: ${shown(file)} was not written by kmsfix (${shown('summary.json')} does not list it): left as it is, though ${why}`,
        );
    };
    const repositories: RepoReport[] = [];
    const delivered: FileOutcome[] = [];
    /** Patches that could not be written. */
    const unwritten: FileError[] = [];
    for (const [k, b] of sorted.entries()) {
      const name = names[k];
      heapTick();
      const files = b.outcomes.filter(inPatch);
      const patchFile = path.join(absDir, `${name}.patch`);
      const mailFile = path.join(absDir, `${name}.mbox`);
      const patchErrors: FileError[] = [];
      const fail = (file: string, message: string) => patchErrors.push({ file: shown(file), message });
      let written = false;
      let mailed = false;
      /** A git repository's outcomes with their tables, read back once for its mail and its counts. */
      let outs: FileOutcome[] | undefined;
      if (files.length > 0) {
        if (b.spoolError !== undefined || !this.spool.has(b.root))
          fail(patchFile, `cannot write ${shown(patchFile)}: ${b.spoolError ?? 'its diff was not kept'}`);
        else {
          /**
           * One output written to its temp file: its head, the diffs in the run's order, its tail; after `headers` (a mail's),
           * all of it in base64 when `base64` is set. Put in place by its commit.
           */
          const put = (
            file: string,
            head: string,
            tail: string,
            each: (diff: string) => string = (d) => d,
            mail?: { headers: string; base64: boolean },
          ): SpooledOutput => {
            // Its folder synced once for every patch and mail, before the commit point (below).
            const out = new SpooledOutput(file, shown(file), true, 'later');
            if (mail) out.write(mail.headers);
            const body = mail?.base64 ? new Base64Lines((s) => out.write(s)) : out;
            body.write(head);
            for (const diff of this.spool.texts(b.root)) body.write(each(diff));
            body.write(tail);
            if (body instanceof Base64Lines) body.end();
            return out;
          };
          /** Never over a file kmsfix did not write: the user's own orders.patch stays, and this patch is not written. */
          const theirs = [patchFile, ...(b.git ? [mailFile] : [])].filter((f) => !mine(path.basename(f)) && existsSync(f));
          for (const f of theirs)
            fail(
              f,
              `${shown(f)} exists and was not written by kmsfix (${shown('summary.json')} does not list it): left as it is, and the patch of ${toPosix(path.relative(cwd, b.root) || '.')} not written (move that file away, or choose another --patch-dir)`,
            );
          if (theirs.length === 0) {
            const patch = put(patchFile, '', '');
            let mailOut: SpooledOutput | undefined;
            if (b.git) {
              // The message names every table of the repository: its outcomes with their tables, for it only.
              const m = repositoryMessage(b.outcomes, b.root, message, inPatch, full);
              outs = m.outcomes;
              const lf = b.crlf ? await storedWithLf(b.root, b.crlf) : undefined;
              // A file git stores with CRLF keeps them in the diff: the mail's body goes in base64, which git am decodes whole.
              const base64 = (b.crlf ?? []).some((f) => !lf?.has(f));
              mailOut = put(mailFile, `${m.message.body}---\n`, mailTail(message.version), lf?.size ? (d) => mailDiff(d, lf) : undefined, {
                headers: mailHeaders(m.message, message.date, base64 ? 'base64' : '8bit'),
                base64,
              });
            }
            // Both written before either is put in place, the mail first: the patch, which scripts glob (DIR/*.patch), comes
            // with its mail, renamed right after it.
            const place = (out: SpooledOutput, file: string): boolean => {
              try {
                out.commit();
                return true;
              } catch (err) {
                fail(file, (err as Error).message);
                return false;
              }
            };
            if (mailOut) mailed = place(mailOut, mailFile);
            if (!mailOut || mailed) written = place(patch, patchFile);
            else patch.discard();
            if (!b.git) await removeOwn(mailFile, `${name} is not a git repository (no mail)`);
          }
        }
        // The change is delivered when both of its files are written; else neither stays (a patch without its mail, or an
        // earlier run's, would be applied by a script that globs DIR/*.patch while summary.json says there is none).
        if (patchErrors.length === 0) delivered.push(...files);
        else {
          unwritten.push(...patchErrors);
          if (written || mine(path.basename(patchFile))) await fs.rm(patchFile, { force: true });
          if (mailed || mine(path.basename(mailFile))) await fs.rm(mailFile, { force: true });
          written = false;
          mailed = false;
        }
      } else {
        // Stale from an earlier run: kmsfix's only.
        const why = `${toPosix(path.relative(cwd, b.root) || '.')} has nothing to change in this run`;
        await removeOwn(patchFile, why);
        await removeOwn(mailFile, why);
      }
      // The counts, one file's tables at a time (a folder without git is one bucket, however large).
      const rel = (abs: string) => toPosix(path.relative(b.root, abs));
      const count = { tables: 0, compliant: 0, planned: 0 };
      /** Planned tables of the files left out: not fixed by the patch. */
      let notInPatch = 0;
      const notFixable: RepoReport['notFixable'] = [];
      for (const [k, o] of b.outcomes.entries()) {
        heapTick();
        const { tables } = outs?.[k] ?? full(o);
        count.tables += tables.length;
        for (const t of tables) {
          if (t.compliant) count.compliant++;
          if (t.planned) count.planned++;
          if (t.planned && leftOut.has(o)) notInPatch++;
          if (!t.compliant && !t.planned)
            notFixable.push({ file: rel(o.file.absPath), line: t.line, address: t.address, status: t.status, reason: t.message });
        }
      }
      repositories.push({
        repository: name,
        path: toPosix(path.relative(cwd, b.root) || '.'),
        git: b.git,
        patch: written ? `${name}.patch` : null,
        mail: written && mailed ? `${name}.mbox` : null,
        files: b.outcomes.length,
        filesChanged: files.length,
        ...count,
        fixed: written ? count.planned - notInPatch : 0,
        notFixable,
        errors: [
          ...[...b.errors, ...b.outcomes.flatMap((o) => [o.error, leftOut.get(o)].filter((e) => e !== undefined))].map((e) => ({
            ...e,
            file: rel(path.resolve(cwd, e.file)),
          })),
          ...patchErrors,
        ],
      });
    }
    this.discard();
    // Every repository listed, this run's and the earlier runs' it kept, in name order; the counts are theirs.
    const listed = [...repositories, ...kept].sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
    const count = (r: RepoReport, k: 'files' | 'filesChanged' | 'tables' | 'compliant' | 'planned' | 'fixed') =>
      typeof r[k] === 'number' ? r[k] : 0;
    const total = (k: 'files' | 'filesChanged' | 'tables' | 'compliant' | 'planned' | 'fixed') =>
      listed.reduce((n, r) => n + count(r, k), 0);
    const length = (list: unknown) => (Array.isArray(list) ? list.length : 0);
    const summary = {
      version: 1,
      repositories: listed,
      summary: {
        repositories: listed.length,
        patches: listed.filter((r) => r.patch).length,
        mails: listed.filter((r) => r.mail).length,
        files: total('files'),
        filesChanged: total('filesChanged'),
        tables: total('tables'),
        compliant: total('compliant'),
        planned: total('planned'),
        fixed: total('fixed'),
        notFixable: listed.reduce((n, r) => n + length(r.notFixable), 0),
        errors: listed.reduce((n, r) => n + length(r.errors), 0),
      },
    };
    // A signal that came while the patches and mails were put in place (synchronous renames) is heard here, before the
    // commit point: the run ends `interrupted` (130, 143), naming the outputs written, and summary.json still says
    // `incomplete` (adversarial pass of session 57, F4: it printed the whole table and committed summary.json, then exited 130).
    await signalsHeard();
    // summary.json that cannot be written is one more error: the table and every other one are still said.
    try {
      // The patches and mails put in place are on disk (their folder synced, src/io/durable.ts) before the commit point.
      // A signal during it (a slow disk, NFS) ends the run `interrupted` as during the renames (temp.ts heldThroughSignals).
      try {
        await heldThroughSignals(syncPendingFolders);
      } catch (err) {
        throw new Error(
          `not written: the patches and mails in ${dir} could not be flushed to disk first (${describeError(err)}): a power loss may undo them`,
        );
      }
      writeOutputAtomic(path.join(absDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n', path.join(dir, 'summary.json'));
      // The commit point: the run is done, and one heard from now on lets it finish with its own code.
      runCommitted();
    } catch (err) {
      unwritten.push({ file: toPosix(path.join(dir, 'summary.json')), message: (err as Error).message });
    }
    return { repositories, table: renderTable(repositories), delivered, unwritten, notes };
  }

  /** Removes the diffs kept (after finish, or when the run failed). */
  discard(): void {
    this.spool.discard();
  }

  /** One bucket per folder, by its real path: a repository named through a symbolic link and by its own path is one. */
  private bucket(root: string, git: boolean): Bucket {
    let key = this.realRoots.get(root);
    if (key === undefined) this.realRoots.set(root, (key = real(root)));
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { root, git, outcomes: [], errors: [] }));
    return b;
  }

  private place(absPath: string): Bucket {
    const r = repoRootOf(absPath);
    if (r) return this.bucket(r, true);
    const input = this.absInputs.filter((i) => within(i, absPath)).sort((a, b) => b.length - a.length)[0];
    // A file named on the command line stands for its folder.
    const root = !input ? path.dirname(absPath) : input === absPath ? path.dirname(absPath) : input;
    return this.bucket(root, false);
  }
}

export function renderTable(repos: RepoReport[]): string {
  const rows = [
    ['repository', 'tables', 'fixed', 'not fixable', 'errors', 'patch'],
    ...repos.map((r) => [
      r.repository,
      String(r.tables),
      String(r.fixed),
      String(r.notFixable.length),
      String(r.errors.length),
      r.patch ?? '-',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
