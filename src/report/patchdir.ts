/**
 * `fix --patch-dir DIR`: one patch per git repository (named after the repository folder), with
 * paths relative to that repository's root so `git apply` works there, the same change as a mail
 * `git am` turns into one commit with its message (DIR/<repository>.mbox), plus DIR/summary.json
 * (per repository: tables found, fixed, not fixable and why, errors) and a short table for stdout.
 * Files outside any git work tree are grouped under the command-line path they were found under.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repoRootOf } from '../io/git.js';
import { fileDiff } from './diff.js';
import { toPosix } from '../core/text.js';
import { OutputError, makeDir } from '../io/outputs.js';
import { writeOutputAtomic } from '../io/write.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { type MessageOptions, commitMessage, patchMail } from './commitMessage.js';

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
}

export interface PatchDirResult {
  repositories: RepoReport[];
  /** The short table for stdout. */
  table: string;
  /** The changed files whose diff is in a patch written. */
  delivered: FileOutcome[];
  /** Patches that could not be written: errors of the run (exit 2); summary.json lists them per repository. */
  unwritten: FileError[];
}

interface Bucket {
  root: string;
  git: boolean;
  outcomes: FileOutcome[];
  errors: FileError[];
}

function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function writePatchDir(
  dir: string,
  inputs: string[],
  cwd: string,
  outcomes: FileOutcome[],
  errors: FileError[],
  repos: string[],
  /** What the mails' commit messages say about the fix, and their date. */
  message: MessageOptions & { date: Date },
): Promise<PatchDirResult> {
  const absDir = path.resolve(cwd, dir);
  const absInputs = (inputs.length ? inputs : ['.']).map((i) => path.resolve(cwd, i));
  const buckets = new Map<string, Bucket>();
  const bucket = (root: string, git: boolean): Bucket => {
    let b = buckets.get(root);
    if (!b) buckets.set(root, (b = { root, git, outcomes: [], errors: [] }));
    return b;
  };
  for (const r of repos) bucket(r, true);
  for (const i of absInputs) {
    const r = repoRootOf(i, true);
    if (r) bucket(r, true);
  }
  const place = (absPath: string): Bucket => {
    const r = repoRootOf(absPath);
    if (r) return bucket(r, true);
    const input = absInputs.filter((i) => within(i, absPath)).sort((a, b) => b.length - a.length)[0];
    // A file named on the command line stands for its folder.
    const root = !input ? path.dirname(absPath) : input === absPath ? path.dirname(absPath) : input;
    return bucket(root, false);
  };
  for (const o of outcomes) {
    if (within(absDir, o.file.absPath)) continue; // our own output from an earlier run
    place(o.file.absPath).outcomes.push(o);
  }
  for (const e of errors) place(path.resolve(cwd, e.file)).errors.push(e);

  // Names: the folder's name; a second folder of the same name gets -2, -3, ... (in path order).
  const sorted = [...buckets.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  const used = new Set<string>(['summary']);
  makeDir(absDir, dir);
  const repositories: RepoReport[] = [];
  const delivered: FileOutcome[] = [];
  /** Patches that could not be written. */
  const unwritten: FileError[] = [];
  for (const b of sorted) {
    const base = (path.basename(b.root) || 'root').replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    const changed = b.outcomes.filter((o) => o.newText !== undefined);
    const patchFile = path.join(absDir, `${name}.patch`);
    const mailFile = path.join(absDir, `${name}.mbox`);
    const patchErrors: FileError[] = [];
    let written = false;
    let mailed = false;
    if (changed.length > 0) {
      const diff = changed.map((o) => fileDiff(o, toPosix(path.relative(b.root, o.file.absPath)))).join('');
      const outputs: [string, string, () => void][] = [[patchFile, diff, () => (written = true)]];
      if (b.git) {
        const m = commitMessage(b.outcomes, message, (o) => toPosix(path.relative(b.root, o.file.absPath)));
        outputs.push([mailFile, patchMail(m, diff, message.version, message.date), () => (mailed = true)]);
      } else await fs.rm(mailFile, { force: true });
      for (const [file, text, done] of outputs) {
        const shown = path.join(dir, path.basename(file));
        try {
          await writeOutputAtomic(file, text, shown);
          done();
        } catch (err) {
          patchErrors.push({ file: toPosix(shown), message: (err as Error).message });
        }
      }
      // The change is delivered when both of its files are written.
      if (patchErrors.length === 0) delivered.push(...changed);
      else {
        written = false;
        unwritten.push(...patchErrors);
      }
    } else {
      // Stale from an earlier run.
      await fs.rm(patchFile, { force: true });
      await fs.rm(mailFile, { force: true });
    }
    const tables = b.outcomes.flatMap((o) => o.tables);
    const rel = (abs: string) => toPosix(path.relative(b.root, abs));
    repositories.push({
      repository: name,
      path: toPosix(path.relative(cwd, b.root) || '.'),
      git: b.git,
      patch: written ? `${name}.patch` : null,
      mail: written && mailed ? `${name}.mbox` : null,
      files: b.outcomes.length,
      filesChanged: changed.length,
      tables: tables.length,
      compliant: tables.filter((t) => t.compliant).length,
      planned: tables.filter((t) => t.planned).length,
      fixed: written ? tables.filter((t) => t.planned).length : 0,
      notFixable: b.outcomes.flatMap((o) =>
        o.tables
          .filter((t) => !t.compliant && !t.planned)
          .map((t) => ({ file: rel(o.file.absPath), line: t.line, address: t.address, status: t.status, reason: t.message })),
      ),
      errors: [
        ...[...b.errors, ...b.outcomes.flatMap((o) => (o.error ? [o.error] : []))].map((e) => ({
          ...e,
          file: rel(path.resolve(cwd, e.file)),
        })),
        ...patchErrors,
      ],
    });
  }
  const total = (k: 'files' | 'filesChanged' | 'tables' | 'compliant' | 'planned' | 'fixed') => repositories.reduce((n, r) => n + r[k], 0);
  const summary = {
    version: 1,
    repositories,
    summary: {
      repositories: repositories.length,
      patches: repositories.filter((r) => r.patch).length,
      mails: repositories.filter((r) => r.mail).length,
      files: total('files'),
      filesChanged: total('filesChanged'),
      tables: total('tables'),
      compliant: total('compliant'),
      planned: total('planned'),
      fixed: total('fixed'),
      notFixable: repositories.reduce((n, r) => n + r.notFixable.length, 0),
      errors: repositories.reduce((n, r) => n + r.errors.length, 0),
    },
  };
  await writeOutputAtomic(path.join(absDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n', path.join(dir, 'summary.json')).catch(
    (err: Error) => {
      throw new OutputError(err.message);
    },
  );
  return { repositories, table: renderTable(repositories), delivered, unwritten };
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
