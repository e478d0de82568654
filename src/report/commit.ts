/**
 * `fix --commit`, around a fix in place: before writing, which files may not be written so that each
 * repository's commit holds its whole change (src/io/commit.ts); after writing, one commit per
 * repository on branch kmsfix/dynamodb-cmk with the message of src/report/commitMessage.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toPosix } from '../core/text.js';
import { groupBy, inLanes } from '../core/lists.js';
import { GIT_LANES, type CommitStep, CommitStopped, type Head, HeadMoved, commitFiles, commitPlan, headOf } from '../io/commit.js';
import { gitStatus, real, repoRootOf } from '../io/git.js';
import { clearPending, pendingPaths, readPending, sha256, writePending } from '../io/pending.js';
import { type Resume, committedAsPlanned, notPlanned, planMismatch, proveResume } from './resume.js';
import { COMMIT_BRANCH, commitText, repositoryMessage } from './commitMessage.js';
import { plural } from './messageLines.js';
import type { MessageOptions } from './messageTypes.js';
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
 * SIGKILL during its writes leaves some fixed, and this run would commit only the rest). Where that
 * record proves the changes that run's (src/report/resume.ts proveResume), the repository is one this
 * run finishes (`resumes`); any other such repository is an error (exit 2) that says what to do, and
 * nothing is written or committed there: kmsfix cannot tell its own fix from an edit of the user's,
 * nor write a commit message for tables it did not fix in this run.
 */
export async function unfinishedCommits(
  outcomes: FileOutcome[],
  completed: string[],
  cwd: string,
): Promise<{ errors: Map<string, FileError>; resumes: Map<string, Resume> }> {
  const byRoot = groupBy(outcomes, (o) => repoRootOf(o.file.absPath));
  const done = groupBy(completed, (f) => repoRootOf(f));
  const errors = new Map<string, FileError>();
  const resumes = new Map<string, Resume>();
  const where = (root: string) => toPosix(path.relative(cwd, root)) || '.';
  const listed = (files: string[]) =>
    files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more, which git status lists`;
  await inLanes([...new Set([...byRoot.keys(), ...done.keys()])], GIT_LANES, async (root) => {
    const rel = (abs: string) => toPosix(path.relative(root, real(abs)));
    const finish = finishText(where(root));
    const completedHere = done.get(root) ?? [];
    const refuseCompleted = () =>
      errors.set(root, {
        file: where(root),
        message: `--commit: this run completed the write of a group that an interrupted kmsfix run had begun (${listed(completedHere.map(rel))}): those files are fixed and not committed, and this run has no commit message for them: nothing written or committed in this repository; ${finish}`,
      });
    let pending = readPending(root);
    if (!pending && completedHere.length > 0) return void refuseCompleted();
    const head = await headOf(root);
    const onBranch = head.branch === COMMIT_BRANCH;
    if (!onBranch && !pending) return;
    let dirty: Set<string>;
    try {
      dirty = (await gitStatus(root)).dirty;
    } catch {
      if (completedHere.length > 0) refuseCompleted();
      return; // else said by the guard, for the files it would write
    }
    let resume: Resume | undefined;
    if (pending) {
      // The files an earlier --commit run recorded before its writes (src/io/pending.ts) that no commit holds yet:
      // a run killed during its writes (SIGKILL) left them fixed, and this run would commit only the rest.
      const unsettled = pendingPaths(pending).filter((f) => dirty.has(real(path.join(root, f))));
      if (
        completedHere.length === 0 &&
        (unsettled.length === 0 || (pending.version === 2 && (await committedAsPlanned(root, pending, head))))
      ) {
        clearPending(root); // committed or undone since (by hand, as the refusal below says): the record is done with
        pending = undefined;
      } else {
        const proof = proveResume(root, pending, head);
        if ('reasons' in proof) {
          errors.set(root, {
            file: where(root),
            message: `--commit: an earlier kmsfix fix --commit run (pid ${pending.pid}) wrote here and did not commit (killed during its writes, or its commit failed): ${unsettled.length} file${unsettled.length === 1 ? '' : 's'} it was to write ${unsettled.length === 1 ? 'has' : 'have'} uncommitted changes (${listed(unsettled)}), and this run cannot prove them that run's: ${proof.reasons.join('; ')}: nothing written or committed in this repository; ${finish}`,
          });
          return;
        }
        resume = proof.resume;
      }
    }
    if (completedHere.some((f) => !resume?.state.has(rel(f)))) return void refuseCompleted();
    const left = onBranch
      ? (byRoot.get(root) ?? []).map((o) => o.file.absPath).filter((f) => dirty.has(real(f)) && !resume?.state.has(rel(f)))
      : [];
    if (left.length > 0) {
      errors.set(root, {
        file: where(root),
        message: `--commit: the repository is on branch ${COMMIT_BRANCH} with uncommitted changes in ${left.length} file${left.length === 1 ? '' : 's'} this run read (${listed(left.map(rel))}), as a kmsfix fix --commit interrupted before its commit leaves them: nothing written or committed in this repository; ${finish}`,
      });
      return;
    }
    if (resume) resumes.set(real(root), resume);
  });
  return { errors, resumes };
}

/** How to end a repository's uncommitted fix kmsfix cannot commit (`where`: the repository as the user named it). */
function finishText(where: string): string {
  return `undo them (git -C ${where} restore --staged --worktree -- <those files>) and run kmsfix fix --commit again, which commits the whole fix with its message; or commit them yourself`;
}

/** A repository's commit message as recorded before the writes, for all of `files` written (recordPending). */
export interface PlannedMessage {
  text: string;
  files: ReadonlySet<FileOutcome>;
}

/**
 * Before --commit writes: each repository's files recorded in its git dir (src/io/pending.ts), with
 * the sha256 of their bytes now and of the bytes to be written, HEAD and the commit message planned,
 * so that a run killed during the writes is found and finished by the next (unfinishedCommits,
 * src/report/resume.ts). A repository whose record cannot be written is refused (a git dir kmsfix
 * cannot write to would fail the commit too). A repository this run finishes (`resumes`) keeps the
 * record of the run it finishes. Returns the repositories recorded (a record whose files were none of
 * them written goes: clearUnwritten) and each one's message (the commit's, when all are written).
 */
export function recordPending(
  allowed: FileOutcome[],
  plan: {
    outcomes: FileOutcome[];
    options: MessageOptions;
    full: (o: FileOutcome) => FileOutcome;
    /** Each repository's HEAD when the run started (commitRefusals). */
    heads: ReadonlyMap<string, Head>;
    /** A file's new text (as written: UTF-8). */
    content: (o: FileOutcome) => string | undefined;
    resumes: ReadonlyMap<string, Resume>;
  },
): { roots: Set<string>; refused: Map<FileOutcome, FileError>; messages: Map<string, PlannedMessage> } {
  const roots = new Set<string>();
  const refused = new Map<FileOutcome, FileError>();
  const messages = new Map<string, PlannedMessage>();
  const byRoot = groupBy(plan.outcomes, (o) => repoRootOf(o.file.absPath));
  for (const [root, list] of groupBy(allowed, (o) => repoRootOf(o.file.absPath))) {
    const realRoot = real(root);
    if (plan.resumes.has(realRoot)) continue;
    try {
      const files = list.map((o) => {
        const content = plan.content(o);
        if (content === undefined) throw new Error(`the fixed text of ${o.file.path} could not be read back`);
        return {
          path: toPosix(path.relative(realRoot, real(o.file.absPath))),
          before: sha256(readFileSync(o.file.absPath)),
          planned: sha256(content),
        };
      });
      const head = plan.heads.get(realRoot) ?? plan.heads.get(root);
      if (!head) throw new Error(`no HEAD known for ${root}`);
      const inCommit = new Set(list);
      const text = commitText(repositoryMessage(byRoot.get(root) ?? list, root, plan.options, (o) => inCommit.has(o), plan.full).message);
      writePending(root, { head, message: text, files });
      roots.add(root);
      messages.set(root, { text, files: inCommit });
    } catch (err) {
      for (const o of list)
        refused.set(o, {
          file: o.file.path,
          message: recordError(err),
        });
    }
  }
  return { roots, refused, messages };
}

/**
 * Before --commit writes in a repository it finishes (unfinishedCommits' `resumes`): the files it may
 * write there must be the killed run's files still as read, each to get the bytes that run planned
 * (src/report/resume.ts planMismatch). Else the repository is refused (nothing written, an error naming
 * each file and how it differs) and not finished.
 */
export async function resumeRefusals(
  allowed: FileOutcome[],
  resumes: Map<string, Resume>,
  content: (o: FileOutcome) => string | undefined,
  cwd: string,
): Promise<{ errors: FileError[]; refused: Map<FileOutcome, FileError>; heads: Map<string, Head> }> {
  const errors: FileError[] = [];
  const refused = new Map<FileOutcome, FileError>();
  const byRoot = groupBy(allowed, (o) => real(repoRootOf(real(o.file.absPath)) ?? ''));
  // A repository where this run writes nothing (the killed run wrote every file): commitRefusals did not ask git
  // whether the branch can be made and committed on there (a merge in progress, a locked index...): asked here.
  const idle = [...resumes.keys()].filter((root) => !byRoot.has(root));
  const plan = await commitPlan(
    idle.flatMap((root) => resumes.get(root)!.record.files.map((f) => path.join(root, f.path))),
    COMMIT_BRANCH,
  );
  for (const root of idle) {
    const resume = resumes.get(root)!;
    const why = resume.record.files.map((f) => plan.refused.get(path.join(root, f.path))).find(Boolean);
    if (!why) continue;
    resumes.delete(root);
    errors.push({
      file: toPosix(path.relative(cwd, root)) || '.',
      message: `--commit: cannot finish the interrupted kmsfix fix --commit run (pid ${resume.record.pid}) here, its files all written and not committed: ${why.replace(/^not written: /, '')}`,
    });
  }
  for (const [root, resume] of resumes) {
    const list = byRoot.get(root) ?? [];
    const reasons = planMismatch(root, resume, list, content);
    if (reasons.length === 0) continue;
    resumes.delete(root);
    const where = toPosix(path.relative(cwd, root)) || '.';
    errors.push({
      file: where,
      message: `--commit: an earlier kmsfix fix --commit run (pid ${resume.record.pid}) wrote here and did not commit (killed during its writes), and this run cannot finish it as planned: ${reasons.join('; ')}: nothing written or committed in this repository; ${finishText(where)}`,
    });
    for (const o of list)
      refused.set(o, {
        file: o.file.path,
        message: `not written: this run cannot finish the interrupted kmsfix run in ${where} (said above)`,
      });
  }
  return { errors, refused, heads: plan.heads };
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
        `kmsfix: interrupted (${s}) while --commit wrote its files: nothing is committed, and the files written so far stay written, not committed, on the branch each repository was on (git status shows them): run kmsfix fix --commit again, which finishes the fix from its record in each repository's git dir and makes one commit of each repository's whole change, or undo them (git restore)\n`,
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

/**
 * One commit per repository holding written files; errors (the files stay written) and a line per commit.
 * A repository this run finishes (`finishing.resumes`, by its real root) commits all of the killed run's
 * files with the message it planned, once each is the bytes it planned (else an error, the record kept).
 */
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
  finishing: { resumes?: ReadonlyMap<string, Resume>; messages?: ReadonlyMap<string, PlannedMessage> } = {},
): Promise<{ errors: FileError[]; notes: string[]; interrupted?: { code: number; lines: string[] } }> {
  const { resumes = new Map<string, Resume>(), messages = new Map<string, PlannedMessage>() } = finishing;
  const byRoot = groupBy(outcomes, (o) => repoRootOf(o.file.absPath));
  const known = new Set([...byRoot.keys()].map(real));
  for (const root of resumes.keys()) if (!known.has(root)) byRoot.set(root, []);
  // Repositories a few at a time (each commit is five git processes); errors and notes in their order.
  const done: { error?: FileError; note?: string }[] = [];
  /** Each repository's step (for an interrupted run), with its files (absolute paths) and the HEAD it was made from. */
  const steps = new Map<string, { step: CommitStep; files: string[] }>();
  const state = () => interruptedState(steps, heads, cwd);
  if (signals) {
    signals.committing = true;
    signals.sayState = () => {
      for (const line of state()) process.stderr.write(`${line}\n`);
    };
  }
  await inLanes([...byRoot], GIT_LANES, async ([root, list], i) => {
    const resume = resumes.get(real(root));
    const mine = list.filter((o) => written.has(o));
    if (mine.length === 0 && !resume) return;
    const where = toPosix(path.relative(cwd, root)) || '.';
    let files: string[];
    let text: string;
    if (resume) {
      // The killed run's files, each its planned bytes (this run's writes done): else no commit, the record stays for another run.
      const off = notPlanned(root, resume.record);
      if (off.length > 0) {
        done[i] = {
          error: {
            file: where,
            message: `--commit: not committed: this run was finishing the interrupted kmsfix fix --commit run (pid ${resume.record.pid}), and not every file of its is the bytes it planned (${off.join('; ')}); its record stays: run kmsfix fix --commit again, or ${finishText(where)}`,
          },
        };
        return;
      }
      files = resume.record.files.map((f) => path.join(root, f.path));
      text = resume.record.message;
    } else {
      files = mine.map((o) => o.file.absPath);
      // The message tells the tables of the files written (a repository's unwritten ones as not changed): the one
      // recorded before the writes when every file of it was written.
      const planned = messages.get(root);
      text =
        planned && planned.files.size === mine.length && mine.every((o) => planned.files.has(o))
          ? planned.text
          : commitText(repositoryMessage(list, root, options, (o) => written.has(o), full).message);
    }
    steps.set(root, { step: 'written', files });
    heapTick();
    try {
      const id = await commitFiles(root, files, COMMIT_BRANCH, text, {
        before: heads.get(real(root)) ?? heads.get(root) ?? resume?.now,
        stopped: () => signals?.signal !== undefined,
        step: (step) => steps.set(root, { step, files }),
      });
      clearPending(root);
      const finished = resume
        ? `, finishing the interrupted kmsfix fix --commit run (pid ${resume.record.pid}): ${plural(files.length - mine.length, 'file')} written by that run, ${plural(mine.length, 'file')} by this one`
        : '';
      done[i] = {
        note: `committed ${plural(files.length, 'file')} in ${where} on branch ${COMMIT_BRANCH} (${id}), not pushed${finished}`,
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
  steps: ReadonlyMap<string, { step: CommitStep; files: string[] }>,
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
    const rel = files.map((f) => toPosix(path.relative(root, real(f))));
    const shown = rel.length <= 5 ? rel.join(' ') : `${rel.slice(0, 5).join(' ')} (and ${rel.length - 5} more: git status lists them)`;
    const on =
      step === 'written' || own
        ? `on ${head?.branch ? `branch ${head.branch}` : 'its detached HEAD'}`
        : `on branch ${COMMIT_BRANCH}, made from ${head?.branch ? `branch ${head.branch}` : 'a detached HEAD'}`;
    lines.push(
      `  ${where}: ${on}, ${n} written and ${step === 'staged' ? 'staged' : 'not staged'}, not committed: ${shown}`,
      `    to finish: run kmsfix fix --yes --commit ${where} again (it finds the files as this run left them, from its record in the git dir, and commits the whole fix with its message${step === 'written' || own ? '' : ` on branch ${COMMIT_BRANCH}`})`,
      `    to undo: git -C ${where} restore --staged --worktree -- <those files>${step !== 'written' && !own && from ? `; git -C ${where} switch ${from}; git -C ${where} branch -D ${COMMIT_BRANCH}` : ''}`,
    );
  }
  return lines;
}

/**
 * Why --commit's record could not be written in the git dir (`err`: the write's or the sync's error), with the step that
 * fits the error: a permission says "make it writable"; a full disk or quota (ENOSPC, EDQUOT) is space to free; a disk
 * that cannot write or sync (EIO) is the disk's, not a permission (adversarial pass 2 of session 61, F2).
 */
export function recordError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const what = `not written: --commit records the files it writes in the repository's git dir first, and cannot (${(err as Error).message})`;
  if (['EACCES', 'EPERM', 'EROFS'].includes(code)) return `${what}: make it writable, then run again`;
  if (code === 'ENOSPC') return `${what}: the disk is full: free some space on it, then run again`;
  if (code === 'EDQUOT') return `${what}: your disk quota is used up: free some space in it, then run again`;
  return `${what}: check the disk, then run again`;
}
