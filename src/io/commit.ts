/**
 * `fix --commit`: after a fix in place, one commit per git repository on a branch of its own
 * (kmsfix/dynamodb-cmk), holding exactly the files kmsfix wrote there; never pushed. Before writing,
 * it says which files may not be written: those outside any git work tree, and every file of a
 * repository where the branch exists (and is not the one checked out) or where a file kmsfix would
 * write has uncommitted changes (refused by guard.ts), so that a commit holds the whole change.
 */
import path from 'node:path';
import { groupBy, inLanes } from '../core/lists.js';
import { execGit, real, repoRootOf } from './git.js';

/** How many repositories --commit asks git about at a time. */
export const GIT_LANES = 4;

async function git(root: string, args: string[], input?: string): Promise<string> {
  const r = await execGit(root, args, input);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${r.message}`);
  return r.stdout;
}

/** The repository of each file (absolute paths), or the reason it cannot be committed. */
export async function commitPlan(files: string[], branch: string): Promise<{ repos: Map<string, string[]>; refused: Map<string, string> }> {
  const refused = new Map<string, string>();
  const repos = groupBy(files, (f) => {
    const root = repoRootOf(real(f));
    if (!root) refused.set(f, 'is not in a git work tree: not written (--commit writes only inside git repositories)');
    return root;
  });
  // Repositories a few at a time: each asks git twice (a process each), and a bulk run has hundreds.
  await inLanes([...repos], GIT_LANES, async ([root, list]) => {
    const [head, exists] = await Promise.all([
      git(root, ['symbolic-ref', '-q', '--short', 'HEAD']).then(
        (h) => h.trim(),
        () => '',
      ),
      git(root, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]).then(
        () => true,
        () => false,
      ),
    ]);
    if (exists && head !== branch) {
      for (const f of list)
        refused.set(
          f,
          `not written: --commit would commit on a new branch ${branch}, which already exists in ${root} (merge or delete it, or check it out to add a commit to it)`,
        );
      repos.delete(root);
    }
  });
  return { repos, refused };
}

/**
 * Creates the branch at HEAD (unless it is checked out), switches to it (the work tree stays as it
 * is: same commit) and commits exactly `files` with the message. Returns the new commit's ID.
 */
export async function commitFiles(root: string, files: string[], branch: string, message: string): Promise<string> {
  const head = (await git(root, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => '')).trim();
  if (head !== branch) await git(root, ['switch', '-q', '-c', branch]);
  const rel = files.map((f) => path.relative(root, real(f)));
  await git(root, ['add', '--', ...rel]);
  // --only with paths: the commit holds these files, not whatever else is staged.
  await git(root, ['commit', '-q', '-F', '-', '--only', '--', ...rel], message);
  return (await git(root, ['rev-parse', '--short', 'HEAD'])).trim();
}
