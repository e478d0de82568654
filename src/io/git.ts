/**
 * Git work trees, for bulk runs: which repository a file belongs to (its root is the nearest folder
 * holding `.git`, a folder or a worktree/submodule file), and which files have uncommitted changes
 * (`git status --porcelain -z`), so that a fix in place never mixes with work not yet committed.
 */
import { lazyRequire } from '../core/lazy.js';
import { groupBy } from '../core/lists.js';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** node:child_process, loaded when git is first run (never by a scan outside a repository). */
const childProcess = lazyRequire<typeof import('node:child_process')>('node:child_process');

const rootCache = new Map<string, string | null>();

/** The root of the git work tree holding `absPath` (a file or a folder), or undefined. */
export function repoRootOf(absPath: string, isDir = false): string | undefined {
  const start = isDir ? absPath : path.dirname(absPath);
  const climbed: string[] = [];
  let found: string | null = null;
  for (let dir = start; ; ) {
    const cached = rootCache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    climbed.push(dir);
    if (existsSync(path.join(dir, '.git'))) {
      found = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of climbed) rootCache.set(d, found);
  return found ?? undefined;
}

export interface GitStatus {
  /** Absolute paths with any change git reports: modified, staged, untracked, renamed, conflicted. */
  dirty: Set<string>;
}

/** Parse `git status --porcelain=v1 -z` output; paths are relative to the repository root. */
export function parsePorcelainZ(out: string, root: string): Set<string> {
  const dirty = new Set<string>();
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.length < 4) continue;
    const xy = f.slice(0, 2);
    dirty.add(path.join(root, f.slice(3)));
    // A rename or copy is followed by its source path in the next field.
    if (xy[0] === 'R' || xy[0] === 'C' || xy[1] === 'R' || xy[1] === 'C') {
      const from = fields[++i];
      if (from) dirty.add(path.join(root, from));
    }
  }
  return dirty;
}

/**
 * The variables that tell git which repository, work tree and index to use instead of finding them
 * from its folder (git's own list, local_repo_env, but for configuration). A user who exported them
 * for another repository (or a git hook that runs kmsfix) would otherwise have kmsfix check for
 * uncommitted changes in that repository, and switch branch and commit there with --commit: every
 * git command of kmsfix's is about the repository of the files it reads, found from `root`.
 */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_GRAFT_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
];

/** The environment of every git command (the run's, without REPOSITORY_VARIABLES), never taking optional locks. */
function gitEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return env;
}

/**
 * Runs git in `root` (never taking optional locks, so a run beside the user's own git commands does
 * not get in their way), `input` on its stdin. Resolves with its exit code and output; rejects only
 * when git cannot be started.
 */
export function execGit(
  root: string,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string; message: string }> {
  return new Promise((resolve) => {
    const child = childProcess().execFile(
      'git',
      ['-C', root, ...args],
      { maxBuffer: 256 * 1024 * 1024, env: { ...gitEnv(), ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr, message: (stderr || err?.message || '').trim() });
      },
    );
    if (input !== undefined && child.stdin) {
      // git may exit without reading all of its input (a commit that fails at once: no identity),
      // which breaks the pipe (EPIPE): its exit code says what went wrong, not a crash of the run.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/**
 * Runs git in `root` and waits for it, as execGit does (the same environment): for the one question the walk asks a
 * repository it meets (src/io/gitIgnores.ts), which runs in the walk's thread. Undefined when git cannot be started.
 */
export function execGitSync(root: string, args: string[], env: Record<string, string> = {}): { code: number; stdout: string } | undefined {
  const r = childProcess().spawnSync('git', ['-C', root, ...args], {
    env: { ...gitEnv(), ...env },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error || r.status === null) return undefined;
  return { code: r.status, stdout: r.stdout };
}

export async function gitStatus(root: string): Promise<GitStatus> {
  const r = await execGit(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (r.code !== 0) throw new Error(`git status failed in ${root}: ${r.message}`);
  return { dirty: parsePorcelainZ(r.stdout, root) };
}

/** Of `files` (relative to `root`), those git ignores and does not track: `git check-ignore` (tracked files are never ignored). */
export async function gitIgnored(root: string, files: string[]): Promise<Set<string>> {
  // check-ignore takes no pathspec magic: a name that starts `:(` (`:(glob)*.yaml`) failed the whole run's
  // check unless written as a path (`./`).
  const input = files.map((f) => path.relative(root, f).replace(/^:/, './:')).join('\0') + '\0';
  const r = await execGit(root, ['check-ignore', '-z', '--stdin'], input);
  // Exit 1: none of them is ignored.
  if (r.code !== 0 && r.code !== 1) throw new Error(`git check-ignore failed in ${root}: ${r.message}`);
  return new Set(
    r.stdout
      .split('\0')
      .filter(Boolean)
      .map((f) => path.join(root, f)),
  );
}

/**
 * Of `files` (absolute, in `root`), those the index marks so that `git status` does not show their
 * changes: assume-unchanged (`git ls-files -v`: a lowercase tag) and skip-worktree (`S`: sparse
 * checkout, `git update-index --skip-worktree`), with which.
 */
export async function hiddenFromStatus(root: string, files: string[]): Promise<Map<string, 'assume-unchanged' | 'skip-worktree'>> {
  const r = await execGit(root, ['ls-files', '-v', '-z', '--', ...files.map((f) => `:(literal)${path.relative(root, f)}`)]);
  if (r.code !== 0) throw new Error(`git ls-files failed in ${root}: ${r.message}`);
  const flagged = new Map<string, 'assume-unchanged' | 'skip-worktree'>();
  for (const entry of r.stdout.split('\0')) {
    const tag = entry[0];
    if (!tag || entry[1] !== ' ') continue;
    if (tag === 'S' || tag === 's') flagged.set(path.join(root, entry.slice(2)), 'skip-worktree');
    else if (tag !== tag.toUpperCase()) flagged.set(path.join(root, entry.slice(2)), 'assume-unchanged');
  }
  return flagged;
}

/**
 * The real path (symbolic links resolved), or the path itself when it cannot be resolved. The
 * system's realpath: one call per file, where Node's own resolves each component with an lstat
 * (the guard asks it of every file a fix writes); Node's on Windows, where the system's can name
 * a mapped drive or a subst'ed folder otherwise.
 */
export function real(p: string): string {
  try {
    return process.platform === 'win32' ? realpathSync(p) : realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * What a refusal of uncommitted() says is done with the file (`verdict`), why git's state matters
 * to it (`why`, if not said by the verdict), and what --force does (`force`). In place (the default), the file is
 * not written: git could not restore it. In a repository's patch and mail (--patch-dir), its diff is
 * left out: `git am` applies the mail to the last commit, which has not the file as the work tree has.
 */
export interface Refusal {
  verdict: string;
  why: string;
  force: string;
}

export const IN_PLACE: Refusal = { verdict: 'not written', why: 'git could not restore it', force: 'use --force to write it anyway' };

/**
 * Of the given absolute paths, those that must not be modified in place, with the reason: files
 * with uncommitted changes (modified, staged, untracked), files the index marks assume-unchanged or
 * skip-worktree (whose changes git status does not show), and files git ignores without tracking
 * them: git could not restore any of them. Checked on the real file (a path through a symbolic
 * link is checked as its target). Files outside any git work tree are not refused. With `statuses`,
 * each work tree's status is taken once and kept there for the next calls.
 */
export async function uncommitted(
  files: string[],
  statuses?: Map<string, Promise<GitStatus>>,
  say: Refusal = IN_PLACE,
): Promise<Map<string, string>> {
  const byRoot = groupBy(
    files.map((file) => ({ file, real: real(file) })),
    (f) => repoRootOf(f.real),
  );
  const refused = new Map<string, string>();
  await Promise.all(
    [...byRoot].map(async ([root, list]) => {
      let status: GitStatus;
      let ignored: Set<string>;
      let hidden: Map<string, string>;
      try {
        // A run that writes as it goes asks once per work tree (statuses): its own writes are not uncommitted changes.
        let st = statuses?.get(root);
        if (!st) {
          st = gitStatus(root);
          statuses?.set(root, st);
        }
        const reals = list.map((f) => f.real);
        [status, ignored, hidden] = await Promise.all([st, gitIgnored(root, reals), hiddenFromStatus(root, reals)]);
      } catch (err) {
        for (const f of list)
          refused.set(f.file, `cannot check for uncommitted changes (${(err as Error).message}): ${say.verdict} (${say.force})`);
        return;
      }
      for (const f of list) {
        const via = f.real !== f.file ? ` (it is ${path.relative(root, f.real)})` : '';
        if (status.dirty.has(f.real))
          refused.set(
            f.file,
            `has uncommitted changes in its git work tree${via}: ${say.verdict} (commit or stash them first, or use --force)`,
          );
        else if (hidden.has(f.real))
          refused.set(
            f.file,
            `is marked ${hidden.get(f.real)} in git's index${via}, so git status does not show its changes${say.why ? ` and ${say.why}` : ''}: ${say.verdict} (git update-index --no-${hidden.get(f.real)} ${path.relative(root, f.real)}, or use --force)`,
          );
        else if (ignored.has(f.real))
          refused.set(f.file, `is ignored by git and not tracked${via}${say.why ? `, so ${say.why}` : ''}: ${say.verdict} (${say.force})`);
      }
    }),
  );
  return refused;
}
