/**
 * This repository as a terragrunt unit's git source names it: the `origin` remote of the git work tree that holds a
 * module folder, read from the repository's `config` through the engine (DiskContext: no git process, as
 * src/io/pending.ts gitDirOf reads a work tree's `.git`), and git source addresses made comparable with it. A unit
 * whose `terraform { source }` is `git::git@github.com:acme/infra.git//modules/ddb?ref=v1.0.0` while the work tree's
 * origin is `https://github.com/acme/infra` deploys the folder `modules/ddb` of this repository at `v1.0.0`, not the
 * work tree's copy (deploy review, session 56, 4): deployingUnits.ts names it so.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';

/** A git work tree holding a file: its root (a display path) and its origin's address, as written and as compared. */
export interface WorkTreeOrigin {
  root: string;
  url: string;
  repo: string;
}

/**
 * The work tree holding `file` and its `origin` remote; undefined when no `.git` is found above it, its config cannot
 * be read, or it has no origin. A `.git` file (a linked worktree, a submodule) leads to its git dir, and a linked
 * worktree's to the repository's common dir (its `commondir` file), where the config is.
 */
export async function workTreeOrigin(file: SourceFile, context: DiskContext): Promise<WorkTreeOrigin | undefined> {
  const depth = file.absPath.split(/[\\/]/).filter(Boolean).length;
  for (let up = 0; up < depth; up++) {
    const rel = up === 0 ? '.' : Array(up).fill('..').join('/');
    const root = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), rel));
    if ((await context.subfolders(file, rel)).includes('.git')) return originIn(file, `${rel}/.git`, root, context);
    const dotGit = (await context.folderFiles(file, rel, (n) => n === '.git'))[0];
    if (dotGit) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(dotGit.text);
      if (!m) return undefined;
      const gitDir = path.resolve(path.dirname(dotGit.absPath), m[1]);
      const from = path.relative(path.dirname(file.absPath), gitDir);
      const common = (await context.folderFiles(file, from, (n) => n === 'commondir'))[0]?.text.trim();
      return originIn(file, common ? path.join(from, common) : from, root, context);
    }
  }
  return undefined;
}

async function originIn(file: SourceFile, gitDir: string, root: string, context: DiskContext): Promise<WorkTreeOrigin | undefined> {
  const config = (await context.folderFiles(file, gitDir, (n) => n === 'config'))[0];
  const url = config && !config.unreadable ? originUrl(config.text) : undefined;
  const repo = url === undefined ? undefined : repoOf(url);
  return url === undefined || repo === undefined ? undefined : { root, url, repo };
}

/** The `url` of `[remote "origin"]` in a git config's text: the first, the one git fetches from. */
export function originUrl(config: string): string | undefined {
  let inOrigin = false;
  let url: string | undefined;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    const section = /^\[\s*([^\]\s]+)(?:\s+"([^"]*)")?\s*\]/.exec(line);
    if (section) {
      inOrigin = section[1].toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    const kv = /^url\s*=\s*(.*)$/i.exec(line);
    // The first: with several, git fetches from the first (remote.<name>.url is multi-valued; pushes go to each).
    if (inOrigin && kv && url === undefined) url = kv[1].replace(/^"(.*)"$/, '$1').trim();
  }
  return url || undefined;
}

/**
 * A git address as a repository's identity: host (lower case, no user or port) and path (no `.git`, no slashes at
 * either end), lower-cased as GitHub, GitLab and Bitbucket compare them: `git@github.com:Acme/infra.git`,
 * `ssh://git@github.com:22/acme/infra`, `https://github.com/acme/infra.git` are `github.com/acme/infra`. Undefined for
 * what is not such an address.
 */
export function repoOf(url: string): string | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?(\/.*)$/i.exec(url);
  const scp = scheme ? undefined : /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  const bare = scheme || scp ? undefined : /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(\/.+)$/i.exec(url);
  const m = scheme ?? scp ?? bare;
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  const repoPath = m[2]
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/^\/+/, '')
    .toLowerCase();
  return repoPath === '' ? undefined : `${host}/${repoPath}`;
}

/** A terragrunt unit's git source (go-getter's forms): the repository, the folder in it (`//subdir`), the ref. */
export interface GitSource {
  repo: string;
  subdir: string;
  /** The `ref` query parameter as written; undefined: the default branch. */
  ref: string | undefined;
}

/**
 * A unit's `terraform { source }` read as a git address, as go-getter reads one: `git::` before any address
 * (`git::git@host:o/r.git`, `git::https://...`, `git::ssh://...`), or the forms it detects as git without it
 * (`git@host:o/r.git`, `github.com/o/r`, `gitlab.com/o/r`, `bitbucket.org/o/r`); `//` then the folder in the repository;
 * `?ref=`. Undefined for another source, or one whose repository or folder is not literal (a `${...}` there).
 */
export function gitSource(source: string): GitSource | undefined {
  const parts = gitParts(source);
  if (parts === undefined) return undefined;
  const { repoPart, folder, query } = parts;
  if (/[$%]\{/.test(repoPart) || /[$%]\{/.test(folder)) return undefined;
  const repo = repoOf(repoPart);
  if (repo === undefined) return undefined;
  const subdir = path.posix.normalize(`/${folder}`).replace(/^\/+|\/+$/g, '') || '.';
  return { repo, subdir, ref: refOf(query) };
}

/**
 * The `ref` a git source pins (gitSource's reading, whatever its repository and folder): `v1.2.0` of
 * `git::https://x/y.git?ref=v1.2.0//modules/x` as of `...y.git//modules/x?ref=v1.2.0`. Undefined for another source
 * or none (the default branch). Read for a registry module call's pin too (moduleVersion.ts).
 */
export function gitRef(source: string): string | undefined {
  const parts = gitParts(source);
  return parts === undefined ? undefined : refOf(parts.query);
}

/** A git source split as go-getter splits it, nothing checked yet; undefined when it is not a git source. */
function gitParts(source: string): { repoPart: string; folder: string; query: string } | undefined {
  let s = source.trim();
  if (/^git::/i.test(s)) s = s.slice(5);
  else if (!/^(?:[^@/:]+@[^/:]+:|(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i.test(s)) return undefined;
  // As go-getter's SourceDirSubdir: the folder after the first `//` that is not a scheme's `://`, wherever the query is
  // (`infra.git//modules/ddb?ref=v1` and `infra.git?ref=v1//modules/ddb` alike); a query after the folder is the address's.
  const schemeEnd = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s)?.[0].length ?? 0;
  const cut = s.indexOf('//', schemeEnd);
  const [repoPart, repoQuery] = splitQuery(cut === -1 ? s : s.slice(0, cut));
  const [folder, folderQuery] = splitQuery(cut === -1 ? '' : s.slice(cut + 2));
  return { repoPart, folder, query: [repoQuery, folderQuery].filter(Boolean).join('&') };
}

function refOf(query: string): string | undefined {
  const ref = /(?:^|&)ref=([^&#]*)/.exec(query)?.[1];
  return ref === undefined || ref === '' ? undefined : decoded(ref);
}

/** A text and its query (after the first `?`), or '' when it has none. */
function splitQuery(s: string): [string, string] {
  const q = s.indexOf('?');
  return q === -1 ? [s, ''] : [s.slice(0, q), s.slice(q + 1)];
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
