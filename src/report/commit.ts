/**
 * `fix --commit`, around a fix in place: before writing, which files may not be written so that each
 * repository's commit holds its whole change (src/io/commit.ts); after writing, one commit per
 * repository on branch kmsfix/dynamodb-cmk with the message of src/report/commitMessage.ts.
 */
import path from 'node:path';
import { toPosix } from '../core/text.js';
import { groupBy, inLanes } from '../core/lists.js';
import { GIT_LANES, type CommitStep, CommitStopped, type Head, HeadMoved, commitFiles, commitPlan, headOf } from '../io/commit.js';
import { gitStatus, real, repoRootOf } from '../io/git.js';
import { clearPending, readPending, writePending } from '../io/pending.js';
import { COMMIT_BRANCH, type MessageOptions, commitText, repositoryMessage } from './commitMessage.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { heapTick } from '../core/heap.js';

/**
 * Of the files a fix in place may write (guard.ts said yes), those --commit may write: none outside
 * a git work tree, none in a repository where another file was refused or the branch exists.
 */
export async function commitRefusals(
  allowed: FileOutcome[],
  refusedByGuard: Map<FileOutcome, FileError>,
  /** Repositories a fix of an earlier run left uncommitted in (unfinishedCommits): nothing written there. */
  unfinished: ReadonlyMap<string, FileError> = new Map(),
  /** Each repository's HEAD when the run started (headsAt): the one its branch is made from, if HEAD is still there. */
  started: ReadonlyMap<string, Head> = new Map(),
): Promise<{ allowed: FileOutcome[]; refused: Map<FileOutcome, FileError>; heads: Map<string, Head> }> {
  const plan = await commitPlan(
    allowed.map((o) => o.file.absPath),
    COMMIT_BRANCH,
  );
  const blocked = new Map<string, FileOutcome>();
  for (const [o] of refusedByGuard) {
    const root = repoRootOf(o.file.absPath);
    if (root && !blocked.has(root)) blocked.set(root, o);
  }
  const refused = new Map<FileOutcome, FileError>();
  const out: FileOutcome[] = [];
  for (const o of allowed) {
    const reason = plan.refused.get(o.file.absPath);
    const root = repoRootOf(o.file.absPath);
    const by = root ? blocked.get(root) : undefined;
    const left = root ? unfinished.get(root) : undefined;
    if (reason) refused.set(o, { file: o.file.path, message: reason });
    else if (left)
      refused.set(o, {
        file: o.file.path,
        message: `not written: --commit makes one commit of the whole change of a repository, and ${left.file} holds fixed files no commit holds (said above)`,
      });
    else if (by)
      refused.set(o, {
        file: o.file.path,
        message: `not written: --commit makes one commit of the whole change of a repository, and ${by.file.path} in it was refused (${refusedByGuard.get(by)!.message})`,
      });
    else out.push(o);
  }
  // The HEAD the run started on, where it was recorded: a checkout during the reads is then a move, said before the branch is made.
  const heads = new Map([...plan.heads].map(([root, h]) => [root, started.get(root) ?? h]));
  return { allowed: out, refused, heads };
}

/**
 * Repositories where a fix of an earlier run sits uncommitted, which --commit would otherwise never
 * commit (the files read as fixed, nothing to write: "nothing written", exit 0), or commit only in part:
 * on branch kmsfix/dynamodb-cmk, files this run read that have uncommitted changes (a `fix --commit`
 * interrupted between its writes and its commit leaves them so); anywhere, files this run completed
 * from the journal of a killed run (`completed`, absolute paths), and files an earlier --commit run
 * recorded before its writes (src/io/pending.ts) that have uncommitted changes (a run killed with
 * SIGKILL during its writes leaves some fixed, and this run would commit only the rest). kmsfix cannot tell its own fix from
 * an edit of the user's, nor write a commit message for tables it did not fix in this run: such a
 * repository is an error (exit 2) that says what to do, and nothing is written or committed there.
 */
export async function unfinishedCommits(outcomes: FileOutcome[], completed: string[], cwd: string): Promise<Map<string, FileError>> {
  const byRoot = groupBy(outcomes, (o) => repoRootOf(o.file.absPath));
  const done = groupBy(completed, (f) => repoRootOf(f));
  const out = new Map<string, FileError>();
  const where = (root: string) => toPosix(path.relative(cwd, root)) || '.';
  const listed = (files: string[]) =>
    files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more, which git status lists`;
  await inLanes([...new Set([...byRoot.keys(), ...done.keys()])], GIT_LANES, async (root) => {
    const rel = (abs: string) => toPosix(path.relative(root, real(abs)));
    const finish = `undo them (git -C ${where(root)} restore --staged --worktree -- <those files>) and run kmsfix fix --commit again, which commits the whole fix with its message; or commit them yourself`;
    const completedHere = done.get(root) ?? [];
    if (completedHere.length > 0) {
      out.set(root, {
        file: where(root),
        message: `--commit: this run completed the write of a group that an interrupted kmsfix run had begun (${listed(completedHere.map(rel))}): those files are fixed and not committed, and this run has no commit message for them: nothing written or committed in this repository; ${finish}`,
      });
      return;
    }
    const pending = readPending(root);
    const onBranch = (await headOf(root)).branch === COMMIT_BRANCH;
    if (!onBranch && !pending) return;
    let dirty: Set<string>;
    try {
      dirty = (await gitStatus(root)).dirty;
    } catch {
      return; // said by the guard, for the files it would write
    }
    const left = onBranch ? (byRoot.get(root) ?? []).map((o) => o.file.absPath).filter((f) => dirty.has(real(f))) : [];
    if (left.length > 0) {
      out.set(root, {
        file: where(root),
        message: `--commit: the repository is on branch ${COMMIT_BRANCH} with uncommitted changes in ${left.length} file${left.length === 1 ? '' : 's'} this run read (${listed(left.map(rel))}), as a kmsfix fix --commit interrupted before its commit leaves them: nothing written or committed in this repository; ${finish}`,
      });
      return;
    }
    if (!pending) return;
    // The files an earlier --commit run recorded before its writes (src/io/pending.ts) that no commit holds yet:
    // a run killed during its writes (SIGKILL) left them fixed, and this run would commit only the rest.
    const unsettled = pending.files.filter((f) => dirty.has(real(path.join(root, f))));
    if (unsettled.length === 0) {
      clearPending(root); // committed or undone since (by hand, as the refusal below says): the record is done with
      return;
    }
    out.set(root, {
      file: where(root),
      message: `--commit: an earlier kmsfix fix --commit run (pid ${pending.pid}) wrote here and did not commit (killed during its writes, or its commit failed): ${unsettled.length} file${unsettled.length === 1 ? '' : 's'} it was to write ${unsettled.length === 1 ? 'has' : 'have'} uncommitted changes (${listed(unsettled)}), and this run would commit only the rest of the fix: nothing written or committed in this repository; ${finish}`,
    });
  });
  return out;
}

/**
 * Before --commit writes: each repository's files recorded in its git dir (src/io/pending.ts), so that a
 * run killed during the writes is found by the next (unfinishedCommits). A repository whose record
 * cannot be written is refused (a git dir kmsfix cannot write to would fail the commit too). Returns
 * the repositories recorded: a record whose files were none of them written goes (clearUnwritten).
 */
export function recordPending(allowed: FileOutcome[]): { roots: Set<string>; refused: Map<FileOutcome, FileError> } {
  const roots = new Set<string>();
  const refused = new Map<FileOutcome, FileError>();
  for (const [root, list] of groupBy(allowed, (o) => repoRootOf(real(o.file.absPath)))) {
    try {
      writePending(
        root,
        list.map((o) => toPosix(path.relative(root, real(o.file.absPath)))),
      );
      roots.add(root);
    } catch (err) {
      for (const o of list)
        refused.set(o, {
          file: o.file.path,
          message: `not written: --commit records the files it writes in the repository's git dir first, and cannot (${(err as Error).message}): make it writable, then run again`,
        });
    }
  }
  return { roots, refused };
}

/** The records of repositories where no file was written (each refused or failed): nothing to commit, nothing left. */
export function clearUnwritten(roots: Set<string>, written: Set<FileOutcome>): void {
  const wrote = new Set([...written].map((o) => repoRootOf(real(o.file.absPath))));
  for (const root of roots) if (!wrote.has(root)) clearPending(root);
}

/**
 * SIGINT and SIGTERM while --commit writes and commits. During the writes, the temp files' handler
 * (src/io/temp.ts) ends the run: said first, what the repositories are left with. During the commit
 * step, the signal is noted, each repository stops before its next git command, and the run says
 * where each was left (committed, or the branch it is on and the files not committed, and how to
 * finish or undo), then exits 130 or 143; a second signal exits at once, saying what is known.
 */
export class CommitSignals {
  signal: NodeJS.Signals | undefined;
  /** Set by commitRepositories: says where each repository was left. */
  sayState: (() => void) | undefined;
  committing = false;
  private readonly handler = (s: NodeJS.Signals) => {
    if (!this.committing) {
      this.say(
        `kmsfix: interrupted (${s}) while --commit wrote its files: nothing is committed, and the files written so far stay written, not committed, on the branch each repository was on (git status shows them): undo them (git restore) and run kmsfix fix --commit again, so that one commit holds each repository's whole change\n`,
      );
      // The temp files' handler, when there are temp files, removes them and exits; else the commit step stops before it begins.
      this.signal ??= s;
      return;
    }
    if (this.signal) {
      this.sayState?.();
      process.exit(SIGNAL_CODES[this.signal]);
    }
    this.signal = s;
  };
  constructor(private readonly say: (line: string) => void) {
    for (const s of Object.keys(SIGNAL_CODES)) process.on(s, this.handler);
  }
  release(): void {
    for (const s of Object.keys(SIGNAL_CODES)) process.off(s, this.handler);
  }
}

export const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** One commit per repository holding written files; errors (the files stay written) and a line per commit. */
export async function commitRepositories(
  outcomes: FileOutcome[],
  written: Set<FileOutcome>,
  options: MessageOptions,
  cwd: string,
  /** An outcome with its tables (a fix that holds its files keeps them on disk: read back one repository at a time). */
  full: (o: FileOutcome) => FileOutcome,
  /** Each repository's HEAD before the writes (commitRefusals): no branch is made from another. */
  heads: ReadonlyMap<string, Head> = new Map(),
  signals?: CommitSignals,
): Promise<{ errors: FileError[]; notes: string[]; interrupted?: { code: number; lines: string[] } }> {
  const byRoot = groupBy(outcomes, (o) => repoRootOf(o.file.absPath));
  // Repositories a few at a time (each commit is five git processes); errors and notes in their order.
  const done: { error?: FileError; note?: string }[] = [];
  /** Each repository's step (for an interrupted run), with its files and the HEAD it was made from. */
  const steps = new Map<string, { step: CommitStep; files: FileOutcome[] }>();
  const state = () => interruptedState(steps, heads, cwd);
  if (signals) {
    signals.committing = true;
    signals.sayState = () => {
      for (const line of state()) process.stderr.write(`${line}\n`);
    };
  }
  await inLanes([...byRoot], GIT_LANES, async ([root, list], i) => {
    const files = list.filter((o) => written.has(o));
    if (files.length === 0) return;
    steps.set(root, { step: 'written', files });
    heapTick();
    // The message tells the tables of the files written (a repository's unwritten ones as not changed).
    const { message } = repositoryMessage(list, root, options, (o) => written.has(o), full);
    const where = toPosix(path.relative(cwd, root)) || '.';
    try {
      const id = await commitFiles(
        root,
        files.map((o) => o.file.absPath),
        COMMIT_BRANCH,
        commitText(message),
        {
          before: heads.get(root),
          stopped: () => signals?.signal !== undefined,
          step: (step) => steps.set(root, { step, files }),
        },
      );
      clearPending(root);
      done[i] = {
        note: `committed ${files.length} file${files.length === 1 ? '' : 's'} in ${where} on branch ${COMMIT_BRANCH} (${id}), not pushed`,
      };
    } catch (err) {
      if (err instanceof CommitStopped) return;
      done[i] = {
        error: {
          file: where,
          message:
            err instanceof HeadMoved
              ? `--commit: ${err.message}`
              : `--commit: ${(err as Error).message} (the files are written; commit them by hand)`,
        },
      };
    }
  });
  if (signals?.signal) return { errors: [], notes: [], interrupted: { code: SIGNAL_CODES[signals.signal], lines: state() } };
  return {
    errors: done.flatMap((d) => (d?.error ? [d.error] : [])),
    notes: done.flatMap((d) => (d?.note ? [d.note] : [])),
  };
}

/** Where an interrupted --commit left each repository: committed, or its branch and the files not committed, and how to finish or undo. */
function interruptedState(
  steps: ReadonlyMap<string, { step: CommitStep; files: FileOutcome[] }>,
  heads: ReadonlyMap<string, Head>,
  cwd: string,
): string[] {
  const lines = ['kmsfix: interrupted during --commit; where each repository is left:'];
  for (const [root, { step, files }] of steps) {
    const where = toPosix(path.relative(cwd, root)) || '.';
    const n = `${files.length} fixed file${files.length === 1 ? '' : 's'}`;
    if (step === 'committed') {
      lines.push(`  ${where}: committed (${n}) on branch ${COMMIT_BRANCH}, not pushed`);
      continue;
    }
    const head = heads.get(root);
    const from = head?.branch ? head.branch : head?.sha ? `--detach ${head.sha.slice(0, 7)}` : undefined;
    const own = head?.branch === COMMIT_BRANCH;
    const rel = files.map((o) => toPosix(path.relative(root, real(o.file.absPath))));
    const shown = rel.length <= 5 ? rel.join(' ') : `${rel.slice(0, 5).join(' ')} (and ${rel.length - 5} more: git status lists them)`;
    const on =
      step === 'written' || own
        ? `on ${head?.branch ? `branch ${head.branch}` : 'its detached HEAD'}`
        : `on branch ${COMMIT_BRANCH}, made from ${head?.branch ? `branch ${head.branch}` : 'a detached HEAD'}`;
    lines.push(
      `  ${where}: ${on}, ${n} written and ${step === 'staged' ? 'staged' : 'not staged'}, not committed: ${shown}`,
      `    to finish: git -C ${where} restore --staged --worktree -- <those files>, then run kmsfix fix --yes --commit ${where} again (it commits the whole fix with its message${step === 'written' || own ? '' : ` on branch ${COMMIT_BRANCH}`})`,
      `    to undo: git -C ${where} restore --staged --worktree -- <those files>${step !== 'written' && !own && from ? `; git -C ${where} switch ${from}; git -C ${where} branch -D ${COMMIT_BRANCH}` : ''}`,
    );
  }
  return lines;
}
