/**
 * `fix --commit`: after a fix in place, one commit per git repository on a branch of its own
 * (kmsfix/dynamodb-cmk), holding exactly the files kmsfix wrote there; never pushed. Before writing,
 * it says which files may not be written: those outside any git work tree, and every file of a
 * repository where the branch exists (and is not the one checked out), where another branch is in
 * the way of its name, where a merge, rebase, cherry-pick or revert is in progress (git would not
 * switch branches, and the change would land in what the user is resolving) or a bisect (the branch
 * would start at the commit being tested), whose index is locked
 * (index.lock: `git add` would fail after the switch and the writes), or where a file kmsfix
 * would write has uncommitted changes (refused by guard.ts), so that a commit holds the whole change.
 */
import { existsSync } from 'node:fs';
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

/**
 * HEAD as --commit found it when the run started (headsAt; before writing, commitPlan): its branch ('' when detached) and commit ('' before the
 * first commit). The branch is made from it only if HEAD is still there when the files are written: a
 * `git checkout other` meanwhile (the user, an IDE) carries the fixed files over, and the branch would
 * start at `other`, carrying its commits, which nobody reviewed with the fix, into a pull request.
 */
export interface Head {
  branch: string;
  sha: string;
}

export async function headOf(root: string): Promise<Head> {
  const [branch, sha] = await Promise.all([
    git(root, ['symbolic-ref', '-q', '--short', 'HEAD']).then(
      (h) => h.trim(),
      () => '',
    ),
    git(root, ['rev-parse', '-q', '--verify', 'HEAD']).then(
      (h) => h.trim(),
      () => '',
    ),
  ]);
  return { branch, sha };
}

/**
 * Each repository's HEAD when a --commit run starts, before it reads a file (`roots`: the work trees of
 * the files it found): the branch is made only from that HEAD. Taken after the reads (commitPlan), a
 * `git checkout other` meanwhile onto a branch with the same files went unnoticed (no file changed under
 * the run), and the branch started at `other`, with its commits.
 */
export async function headsAt(roots: Iterable<string>): Promise<Map<string, Head>> {
  const heads = new Map<string, Head>();
  await inLanes([...new Set(roots)], GIT_LANES, async (root) => {
    heads.set(root, await headOf(root));
  });
  return heads;
}

/** A HEAD as a message says it: `branch main at 1a2b3c4`, `a detached HEAD at 1a2b3c4`. */
export function headText(h: Head): string {
  const at = h.sha ? ` at ${h.sha.slice(0, 7)}` : ' (no commit yet)';
  return h.branch ? `branch ${h.branch}${at}` : `a detached HEAD${at}`;
}

/** The repository of each file (absolute paths), or the reason it cannot be committed; each repository's HEAD (see Head). */
export async function commitPlan(
  files: string[],
  branch: string,
): Promise<{ repos: Map<string, string[]>; refused: Map<string, string>; heads: Map<string, Head> }> {
  const refused = new Map<string, string>();
  const heads = new Map<string, Head>();
  const repos = groupBy(files, (f) => {
    const root = repoRootOf(real(f));
    if (!root) refused.set(f, 'is not in a git work tree: not written (--commit writes only inside git repositories)');
    return root;
  });
  const target = `refs/heads/${branch}`;
  // Repositories a few at a time: each asks git three times (a process each), and a bulk run has hundreds.
  await inLanes([...repos], GIT_LANES, async ([root, list]) => {
    const [{ branch: head, sha }, refs, gitDir] = await Promise.all([
      headOf(root),
      // The branch, and any ref its name would collide with (`kmsfix` beside `kmsfix/dynamodb-cmk`).
      git(root, ['for-each-ref', '--format=%(refname)', `refs/heads/${branch.split('/')[0]}`]).then(
        (out) => out.split('\n').filter(Boolean),
        () => [] as string[],
      ),
      git(root, ['rev-parse', '--absolute-git-dir']).then(
        (d) => d.trim(),
        () => '',
      ),
    ]);
    const inTheWay = refs.find((r) => target.startsWith(`${r}/`) || r.startsWith(`${target}/`));
    // Checked out in another worktree of the repository, the branch cannot be checked out here (git refuses): that worktree is named.
    const elsewhere = refs.includes(target) && head !== branch ? await worktreeOf(root, target) : undefined;
    const why =
      refs.includes(target) && head !== branch
        ? elsewhere
          ? `--commit would commit on a new branch ${branch}, which already exists in ${root} and is checked out in the worktree ${elsewhere} (run kmsfix fix --commit there to add a commit to it, or merge or delete it)`
          : `--commit would commit on a new branch ${branch}, which already exists in ${root} (merge or delete it, or check it out to add a commit to it)`
        : inTheWay
          ? `--commit cannot make the branch ${branch} in ${root}: the branch ${inTheWay.slice('refs/heads/'.length)} is in the way of its name (rename or delete it)`
          : busy(gitDir, root);
    if (why) {
      for (const f of list) refused.set(f, `not written: ${why}`);
      repos.delete(root);
    } else heads.set(root, { branch: head, sha });
  });
  return { repos, refused, heads };
}

/** The worktree (not `root`) where `ref` is checked out (`git worktree list --porcelain`), if any. */
async function worktreeOf(root: string, ref: string): Promise<string | undefined> {
  const out = await git(root, ['worktree', 'list', '--porcelain']).catch(() => '');
  const here = real(root);
  for (const entry of out.split('\n\n')) {
    const lines = entry.split('\n');
    const tree = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (tree && lines.includes(`branch ${ref}`) && real(tree) !== here) return tree;
  }
  return undefined;
}

/**
 * What a repository is in the middle of (a merge, a rebase...), during which git will not switch
 * branches, or (a bisect) will, from the commit being tested: the branch would start there, not at
 * the user's branch. With how to end it, when not "finish or abort it".
 */
const IN_PROGRESS: [string, string, string?][] = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase or git am'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['BISECT_LOG', 'a git bisect', 'end it with git bisect reset first'],
];

function busy(gitDir: string, root: string): string | undefined {
  if (!gitDir) return undefined;
  const found = IN_PROGRESS.find(([name]) => existsSync(path.join(gitDir, name)));
  if (found)
    return `--commit cannot switch to a new branch in ${root}: ${found[1]} is in progress there (${found[2] ?? 'finish or abort it first'})`;
  // A locked index: git would switch branches, then `git add` would fail after every file was
  // written, leaving the repository on the new branch with the change uncommitted. Refused first.
  const lock = path.join(gitDir, 'index.lock');
  if (existsSync(lock))
    return `--commit cannot commit in ${root}: ${lock} exists (another git command is running there, or one crashed: let it finish, or remove ${lock} if no git command is running, then run kmsfix again)`;
  return undefined;
}

/** How far a repository's commit went: the files written, the branch switched to, the files staged, committed. */
export type CommitStep = 'written' | 'switched' | 'staged' | 'committed';

/** HEAD moved between the plan and the commit (see Head): nothing committed, no branch made. */
export class HeadMoved extends Error {}

/** A signal came during the commit (`stopped`): it stops before its next git command. */
export class CommitStopped extends Error {}

/**
 * Creates the branch at HEAD (unless it is checked out), switches to it (the work tree stays as it
 * is: same commit) and commits exactly `files` with the message. Returns the new commit's ID.
 * `before`: HEAD when the plan was made (a HeadMoved if it is not there any more); `stopped`: asked
 * before each git command that changes the repository (a CommitStopped when it says so); `step`:
 * told each step done, so that an interrupted run can say where each repository was left.
 */
export async function commitFiles(
  root: string,
  files: string[],
  branch: string,
  message: string,
  watch: { before?: Head; stopped?: () => boolean; step?: (s: CommitStep) => void } = {},
): Promise<string> {
  const { before, stopped = () => false, step = () => {} } = watch;
  if (stopped()) throw new CommitStopped();
  const now = await headOf(root);
  const head = now.branch;
  if (before && (before.branch !== now.branch || before.sha !== now.sha))
    throw new HeadMoved(
      `HEAD moved during the run: it was ${headText(before)} when kmsfix read the files, and is now ${headText(now)} (a git checkout, commit or reset meanwhile): no branch made, nothing committed (a branch made now would carry what HEAD moved to); the fixed files stay written, not committed, in the work tree (now on ${headText(now)}): switch back (git switch ${before.branch || `--detach ${before.sha.slice(0, 7)}`} carries them over) and commit them there, or undo them (git restore) and run kmsfix fix --commit again`,
    );
  // A detached HEAD (a CI checkout of a SHA or a tag): its commit, the way back if the commit fails.
  const detached = head ? '' : (await git(root, ['rev-parse', '--short', 'HEAD'])).trim();
  if (stopped()) throw new CommitStopped();
  if (head !== branch) await git(root, ['switch', '-q', '-c', branch]);
  step('switched');
  // Literal: a file named `*.yaml` or `[a]b.yaml` is a glob to git, which would stage every file it matches
  // (an untracked secrets file, the user's own staged/unstaged split undone).
  const rel = files.map((f) => `:(literal)${path.relative(root, real(f))}`);
  try {
    if (stopped()) throw new CommitStopped();
    await git(root, ['add', '--', ...rel]);
    step('staged');
    if (stopped()) throw new CommitStopped();
    // --only with paths: the commit holds these files, not whatever else is staged.
    await git(root, ['commit', '-q', '-F', '-', '--only', '--', ...rel], message);
  } catch (err) {
    if (err instanceof CommitStopped) throw err;
    // A hook that says no, no identity: the repository is left on the new branch, which the user should know
    // before committing by hand (and where it was made from, to go back).
    const from =
      head === branch
        ? ''
        : `, made from ${head ? `branch ${head}` : `a detached HEAD at ${detached} (git checkout --detach ${detached} goes back)`}`;
    throw new Error(`${(err as Error).message}; the repository is on branch ${branch}${from}`);
  }
  step('committed');
  return (await git(root, ['rev-parse', '--short', 'HEAD'])).trim();
}
