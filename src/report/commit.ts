/**
 * `fix --commit`, around a fix in place: before writing, which files may not be written so that each
 * repository's commit holds its whole change (src/io/commit.ts); after writing, one commit per
 * repository on branch kmsfix/dynamodb-cmk with the message of src/report/commitMessage.ts.
 */
import path from 'node:path';
import { toPosix } from '../core/text.js';
import { groupBy, inLanes } from '../core/lists.js';
import { GIT_LANES, commitFiles, commitPlan } from '../io/commit.js';
import { repoRootOf } from '../io/git.js';
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
): Promise<{ allowed: FileOutcome[]; refused: Map<FileOutcome, FileError> }> {
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
    if (reason) refused.set(o, { file: o.file.path, message: reason });
    else if (by)
      refused.set(o, {
        file: o.file.path,
        message: `not written: --commit makes one commit of the whole change of a repository, and ${by.file.path} in it was refused (${refusedByGuard.get(by)!.message})`,
      });
    else out.push(o);
  }
  return { allowed: out, refused };
}

/** One commit per repository holding written files; errors (the files stay written) and a line per commit. */
export async function commitRepositories(
  outcomes: FileOutcome[],
  written: Set<FileOutcome>,
  options: MessageOptions,
  cwd: string,
  /** An outcome with its tables (a fix that holds its files keeps them on disk: read back one repository at a time). */
  full: (o: FileOutcome) => FileOutcome,
): Promise<{ errors: FileError[]; notes: string[] }> {
  const byRoot = groupBy(outcomes, (o) => repoRootOf(o.file.absPath));
  // Repositories a few at a time (each commit is five git processes); errors and notes in their order.
  const done: { error?: FileError; note?: string }[] = [];
  await inLanes([...byRoot], GIT_LANES, async ([root, list], i) => {
    const files = list.filter((o) => written.has(o));
    if (files.length === 0) return;
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
      );
      done[i] = {
        note: `committed ${files.length} file${files.length === 1 ? '' : 's'} in ${where} on branch ${COMMIT_BRANCH} (${id}), not pushed`,
      };
    } catch (err) {
      done[i] = { error: { file: where, message: `--commit: ${(err as Error).message} (the files are written; commit them by hand)` } };
    }
  });
  return {
    errors: done.flatMap((d) => (d?.error ? [d.error] : [])),
    notes: done.flatMap((d) => (d?.note ? [d.note] : [])),
  };
}
