/**
 * What git reads, besides the `.gitignore` files of the work tree, to leave a path out, per work tree: the repository's
 * `info/exclude` and the user's `core.excludesFile` (default `$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`),
 * and `core.ignorecase` (default false), whether patterns match regardless of case (gitignore(5), git-config(1)).
 * The walk read only `.gitignore` files, and matched them regardless of case: it reported a table in a folder of
 * `.git/info/exclude` that the check before writing (git check-ignore, src/io/guard.ts) then refused, and left out an
 * untracked `Infra/` under a rule `infra/` that git reads (adversarial pass of session 59, F2, F3).
 *
 * One `git config` per work tree met (never per file), its answer kept for the run; without git, or when it fails,
 * the defaults.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execGitSync } from './git.js';

export interface RepoIgnores {
  /** core.ignorecase: patterns of this work tree's files match regardless of case. */
  ignorecase: boolean;
  /** The texts of core.excludesFile, then info/exclude (lowest priority first), patterns relative to the work tree root. */
  texts: string[];
}

const cache = new Map<string, RepoIgnores>();

/** A git boolean as git-config(1) reads one: a key with no value is true. */
function gitBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1', ''].includes(v)) return v !== '';
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  return undefined;
}

/** `~/x` and `~` as git expands a path setting; a relative one is from the work tree root, where git runs. */
function gitPath(value: string, root: string): string {
  if (value === '~' || value.startsWith('~/')) return path.join(os.homedir(), value.slice(1));
  return path.resolve(root, value);
}

/** The default core.excludesFile: `$XDG_CONFIG_HOME/git/ignore`, else `$HOME/.config/git/ignore`. */
function defaultExcludesFile(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return xdg ? path.join(xdg, 'git', 'ignore') : path.join(os.homedir(), '.config', 'git', 'ignore');
}

/** The repository's common folder (where `info/` is): `.git`, or for a worktree the folder its `commondir` names. */
function commonDir(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return undefined;
    const gitDir = path.resolve(root, m[1]);
    try {
      return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      return gitDir; // a submodule's own repository
    }
  } catch {
    return undefined;
  }
}

const readText = (file: string | undefined): string | undefined => {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The settings of the work tree at `root` (a folder holding `.git`). */
export function repoIgnores(root: string): RepoIgnores {
  let r = cache.get(root);
  if (r) return r;
  let ignorecase = false;
  let excludesFile: string | undefined;
  // Never a repository above `root` (a `.git` git does not take for one: its configuration is not this tree's).
  const out = execGitSync(root, ['config', '-z', '--get-regexp', '^core\\.(ignorecase|excludesfile)$'], {
    GIT_CEILING_DIRECTORIES: path.dirname(root),
  });
  if (out?.code === 0)
    for (const entry of out.stdout.split('\0')) {
      const nl = entry.indexOf('\n');
      const key = nl < 0 ? entry : entry.slice(0, nl);
      const value = nl < 0 ? undefined : entry.slice(nl + 1);
      if (key === 'core.ignorecase') ignorecase = gitBool(value) ?? ignorecase;
      else if (key === 'core.excludesfile') excludesFile = value ? gitPath(value, root) : undefined;
    }
  const common = commonDir(root);
  const texts = [readText(excludesFile ?? defaultExcludesFile()), readText(common && path.join(common, 'info', 'exclude'))];
  r = { ignorecase, texts: texts.filter((t): t is string => t !== undefined && t.trim() !== '') };
  cache.set(root, r);
  return r;
}
