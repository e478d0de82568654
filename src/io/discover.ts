/**
 * Finding candidate files: walk the given paths, skip build and dependency folders, honour
 * .gitignore files (and what else git reads: src/io/gitIgnores.ts), keep only files some format accepts. Never follows symlinks while walking.
 */
import { type Dirent, type Stats, accessSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { lazyRequire } from '../core/lazy.js';
import type { Ignore } from 'ignore';
import { toPosix } from '../core/text.js';
import { TEST_DIRS, isTestName } from '../core/testCode.js';
import { describeError, kindOf } from './read.js';
import { isTempName } from './temp.js';
import { APP_FILES } from './cdkApps.js';
import type { FileError } from '../core/result.js';
import { trackedIn } from './gitIndex.js';
import { real } from './git.js';
import { namedAs } from './placed.js';
import { utf8Entries } from './fileNames.js';
import { repoIgnores } from './gitIgnores.js';

// `#current-cloud-backend`: the Amplify CLI's copy of what it last deployed (amplify/), never edited by hand.
// `cdk.out`, `cdktf.out`: what `cdk synth` and `cdktf synth` write (named on the command line, read and never fixed: src/core/synthOutput.ts).
// `.terragrunt-cache`: terragrunt's copies of a unit's folder and the module it downloads, as `.terraform` holds Terraform's.
export const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  '.terraform',
  '.terragrunt-cache',
  'cdk.out',
  'cdktf.out',
  '.aws-sam',
  '.serverless',
  '#current-cloud-backend',
]);

/**
 * What the CDK integ-runner writes: a test's snapshot folder (`integ.table.js.snapshot/`, templates and
 * cdk.out files it compares the next synth with) and the older `integ.table.expected.json`. Generated
 * as cdk.out is: a fix there would only fail the snapshot comparison (the table is the test's, in code).
 */
export function isIntegSnapshot(name: string, dir: boolean): boolean {
  return dir ? /\.(js|ts)\.snapshot$/.test(name) : /^integ\..*\.expected\.json$/.test(name);
}

/**
 * A JavaScript file beside a TypeScript file of the same name (`stack.js` and `stack.ts`, `.mjs` and
 * `.mts`, `.cjs` and `.cts`, `.js` or `.jsx` and `.tsx`): tsc's output (`cdk init --language typescript`
 * compiles in place; `"jsx": "preserve"` writes `.jsx`), whose tables are the source's. `names`: the folder's entries.
 */
export function isCompiledBeside(name: string, names: ReadonlySet<string>): boolean {
  const m = /^(.+)\.(?:([cm]?)js|(jsx))$/i.exec(name);
  if (!m) return false;
  if (m[3]) return names.has(`${m[1]}.tsx`);
  return names.has(`${m[1]}.${m[2]}ts`) || (m[2] === '' && names.has(`${m[1]}.tsx`));
}

/**
 * The names of kmsfix's configuration file (src/cli/config.ts). Discovery lists those it meets below
 * the given paths: each governs its folder, which the CLI then reads as a scope of its own
 * (src/cli/scopes.ts), or with --config FILE says it is not applied.
 */
export const CONFIG_NAMES = ['.kmsfix.yml', '.kmsfix.yaml'] as const;
const isConfigName = (name: string) => name === CONFIG_NAMES[0] || name === CONFIG_NAMES[1];

/**
 * The configuration file of a folder, from its entries' names: `.kmsfix.yml`, else `.kmsfix.yaml`.
 * One notion of "a configuration file here" for the walk and src/cli/config.ts configIn: an entry of
 * that name of any kind (a file, a symbolic link, a folder), excluded or git-ignored or not: a
 * configuration file is not a source file, so --exclude and .gitignore do not hide it (a folder or an
 * unreadable one is its scope's error, src/cli/config.ts loadConfig, whichever path reaches it).
 */
export function configNameIn(has: (name: string) => boolean): string | undefined {
  return CONFIG_NAMES.find(has);
}

export { isTestPath } from '../core/testCode.js';

export interface Candidate {
  absPath: string;
  /** Relative to cwd, `/` separators (absolute when outside cwd). */
  path: string;
  /** Named on the command line (read even if the prefilter would skip it). */
  explicit: boolean;
  /** Test code below the folder it was found in (isTestPath): reported, fixed only with --include-tests. */
  test?: true;
  /**
   * Set when the file is reached through a symbolic link named on the command line (the file
   * itself, or a folder it was found in): "X -> Y". Such a file is read, never written (src/io/guard.ts).
   */
  link?: string;
}

export function displayPath(absPath: string, cwd: string): string {
  return toPosix(relativeUnder(cwd, absPath) || '.');
}

/**
 * `path.join(dir, name)` for an entry of a folder being walked (`dir` absolute and normalized, `name`
 * as readdir gives it): one concatenation. path.join normalizes the whole path again, character by
 * character, and leaves it as a tree of string pieces in memory: a walk makes one per entry, and a
 * run keeps its candidates' paths to the end.
 */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** The display path of `name` in the folder shown as `shown` (a display path: `.` for the current directory). */
export function shownIn(shown: string, name: string): string {
  return shown === '.' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`;
}

/**
 * `path.relative(base, abs)` for the walk's paths: a slice when `abs` is below `base` (both absolute
 * and normalized; path.relative resolves both again), path.relative for anything else.
 */
export function relativeUnder(base: string, abs: string): string {
  if (abs.length > base.length && abs.startsWith(base)) {
    if (base.endsWith(path.sep)) return abs.slice(base.length);
    if (abs[base.length] === path.sep) return abs.slice(base.length + 1);
  }
  return path.relative(base, abs);
}

export interface IgnoreScope {
  dir: string;
  ig: Ignore;
}

// `ignore` is required only when a .gitignore is found.
const ignoreLib = lazyRequire<(options?: { ignorecase?: boolean }) => Ignore>('ignore');

async function loadGitignore(dir: string): Promise<IgnoreScope | undefined> {
  return loadGitignoreSync(dir);
}

/**
 * A folder's .gitignore, matched as its repository's git matches it: regardless of case only with core.ignorecase (the
 * `ignore` package's default, `ignorecase: true`, left out an untracked `Infra/` under a rule `infra/`: session 59, F2).
 */
function loadGitignoreSync(dir: string): IgnoreScope | undefined {
  try {
    const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    const root = gitRootOf(dir);
    return { dir, ig: ignoreLib()({ ignorecase: root !== undefined && repoIgnores(root).ignorecase }).add(text) };
  } catch {
    return undefined;
  }
}

/**
 * The patterns git reads for a work tree besides its .gitignore files (core.excludesFile, then info/exclude: below every
 * .gitignore file in priority), relative to its root: the scopes a walk starts with in a repository.
 */
function repoScopes(root: string): IgnoreScope[] {
  const { ignorecase, texts } = repoIgnores(root);
  return texts.map((text) => ({ dir: root, ig: ignoreLib()({ ignorecase }).add(text) }));
}

/**
 * .gitignore files of the folders above `dir`, up to the root of its git work tree. `read`: those read already by the
 * other walks of a run split by configuration file (WalkScope.ignores), each read once.
 */
async function ancestorScopes(dir: string, read?: Map<string, IgnoreScope | undefined>): Promise<IgnoreScope[]> {
  const root = gitRootOf(dir);
  if (root === undefined) return [];
  const chain: string[] = [];
  for (let cur = dir; cur !== root; ) chain.unshift((cur = path.dirname(cur)));
  const load = (d: string) => {
    if (read?.has(d)) return read.get(d);
    const scope = loadGitignoreSync(d);
    read?.set(d, scope);
    return scope;
  };
  const scopes = read ? chain.map(load) : await Promise.all(chain.map(loadGitignore));
  return [...repoScopes(root), ...scopes.filter((s): s is IgnoreScope => s !== undefined)];
}

/**
 * Is the path ignored by the .gitignore files of `scopes` (outermost first)? As git decides: the
 * deepest file with a rule for the path has the last word, so a folder's `!lib` re-includes what
 * the root's `lib/` leaves out, and what is below it.
 */
function ignored(scopes: IgnoreScope[], absPath: string, isDir: boolean): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i];
    const rel = toPosix(relativeUnder(s.dir, absPath));
    if (!rel || rel.startsWith('..')) continue;
    const r = s.ig.test(isDir ? rel + '/' : rel);
    if (r.unignored) return false;
    if (r.ignored) return !reincluded(scopes.slice(i + 1), absPath);
  }
  return false;
}

/** The work tree root (a folder holding `.git`) of each folder asked about, or null outside one. */
const gitRoots = new Map<string, string | null>();

/** The root of the git work tree holding the folder `dir` (absolute): the nearest folder with a `.git` entry, or undefined. */
export function gitRootOf(dir: string): string | undefined {
  let root = gitRoots.get(dir);
  if (root === undefined) {
    try {
      accessSync(path.join(dir, '.git'));
      root = dir;
    } catch {
      const up = path.dirname(dir);
      root = up === dir ? null : (gitRootOf(up) ?? null);
    }
    gitRoots.set(dir, root);
  }
  return root ?? undefined;
}

/** Does git track the path (a file, or a folder holding one), or a sparse index folder entry above it? */
function tracked(absPath: string, isDir: boolean): boolean {
  const root = gitRootOf(path.dirname(absPath));
  const t = root ? trackedIn(root) : undefined;
  if (!root || !t) return false;
  const rel = toPosix(path.relative(root, absPath));
  if (t.files.has(rel) || (isDir && t.dirs.has(rel))) return true;
  for (let k = rel.lastIndexOf('/'); k > 0; k = rel.lastIndexOf('/', k - 1)) if (t.files.has(rel.slice(0, k))) return true;
  return false;
}

/**
 * Left out by .gitignore files, as git leaves a path out: ignored, and not tracked (a rule applies to
 * untracked files only: a file force-added under an ignored folder is in the repository).
 */
function leftOut(scopes: IgnoreScope[], absPath: string, isDir: boolean): boolean {
  return ignored(scopes, absPath, isDir) && !tracked(absPath, isDir);
}

/** Does one of the deeper .gitignore files re-include a folder above the path (`!lib` below a root's `lib/`)? */
function reincluded(deeper: IgnoreScope[], absPath: string): boolean {
  for (const t of deeper) {
    const parts = toPosix(relativeUnder(t.dir, absPath)).split('/');
    for (let k = 1; k < parts.length; k++) if (t.ig.test(`${parts.slice(0, k).join('/')}/`).unignored) return true;
  }
  return false;
}

/**
 * `--exclude GLOB` and a configuration file's `exclude:`: .gitignore-style patterns, relative to
 * `base` (the configuration file's folder), or without one to each path given to scan (a folder;
 * for a file named on the command line, the current directory). Files named on the command line are
 * excluded too (a pre-commit hook passes file names).
 */
export interface Exclude {
  base?: string;
  patterns: string[];
}

function excluder(excludes: Exclude[], cwd: string): (root: string, absPath: string, isDir: boolean) => boolean {
  // Matched with case, as a .gitignore on Linux: `--exclude legacy/` left out `Legacy/` too (session 59, F2).
  const scopes = excludes
    .filter((e) => e.patterns.length > 0)
    .map((e) => ({ base: e.base, ig: ignoreLib()({ ignorecase: false }).add(e.patterns) }));
  return (root, absPath, isDir) =>
    scopes.some((s) => {
      const rel = toPosix(relativeUnder(s.base ?? root ?? cwd, absPath));
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
      return s.ig.ignores(isDir ? rel + '/' : rel);
    });
}

/**
 * How a run split into configuration scopes (src/cli/scopes.ts) walks its part of the trees: `skip`, the
 * folders (and files named on the command line) below its paths that another scope reads, by absolute
 * path; `roots`, per path split off another scope's walk (absolute), what that walk gave it: the root
 * its `--exclude` globs are relative to, whether it is test code below that root, and the symbolic link
 * named on the command line it is reached through. So a folder read in a scope of its own is read as
 * the walk of its parent would have read it, less the parent's configuration.
 */
export interface WalkScope {
  skip?: ReadonlySet<string>;
  roots?: ReadonlyMap<string, { root: string; test: boolean; link?: string }>;
  /**
   * Stop at configuration files: a folder below a path given that holds one (configNameIn) is not
   * walked, its file listed in `splits` (the CLI walks it as a scope of its own). So each folder of a
   * run is read once, by the walk of the scope that governs it.
   */
  split?: boolean;
  /** Folders read already (a split's `read`): their entries, not read again. */
  read?: ReadonlyMap<string, Dirent[]>;
  /**
   * Keep each walked folder's entries (Discovered.listed): a run that writes nothing lists them from there, not again
   * (src/engine/disk.ts Disk.entries).
   */
  list?: boolean;
  /**
   * The .gitignore files of the folders above a walk's start, by folder, shared by the walks of one run's scopes: each
   * read once (a chain of hundreds of nested configuration files read each ancestor's once per scope below it).
   */
  ignores?: Map<string, IgnoreScope | undefined>;
}

export interface Discovered {
  candidates: Candidate[];
  errors: FileError[];
  repos: string[];
  temps: string[];
  cdkApps: string[];
  links: string[];
  configs: string[];
  /** With WalkScope.split: the configuration files of the folders not walked (absolute paths), in walk order. */
  splits: string[];
  /** The entries of the folders of `splits`, read to find their files: their scopes' walks start from them (WalkScope.read). */
  read: Map<string, Dirent[]>;
  /** With WalkScope.list: each folder walked, by absolute path, with its entries as readdir gave them. */
  listed?: Map<string, Dirent[]>;
}

/** Is `p` the folder `dir` or below it? */
const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * Does this symbolic link lead to a folder (followed; a dangling or looping link does not) with files some format reads,
 * in it or one folder down (or with more folders than are listed to tell)?
 */
function linksToFolderOf(abs: string, accepts: (p: string) => boolean): boolean {
  // At most 64 folders listed (a link to a folder of 20,000 subfolders took a scan 3 s more): past them, named.
  let budget = 64;
  const holds = (dir: string, depth: number): boolean => {
    if (budget-- <= 0) return true;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) =>
      e.isDirectory() ? depth > 0 && !SKIPPED_DIRS.has(e.name) && holds(path.join(dir, e.name), depth - 1) : accepts(e.name),
    );
  };
  try {
    return statSync(abs).isDirectory() && holds(abs, 1);
  } catch {
    return false;
  }
}

export async function discover(
  inputs: string[],
  cwd: string,
  accepts: (p: string) => boolean,
  excludes: Exclude[] = [],
  scope: WalkScope = {},
): Promise<Discovered> {
  const skip = scope.skip?.size ? scope.skip : undefined;
  const listed = scope.list ? new Map<string, Dirent[]>() : undefined;
  const candidates: Candidate[] = [];
  const errors: FileError[] = [];
  /** Git work tree roots met while walking (folders holding `.git`), for per-repository reports. */
  const repos: string[] = [];
  /** Each file found, by its real path: one file named through two paths (a symbolic link and its target) is one candidate. */
  const seen = new Map<string, Candidate>();
  /** The real path of the input being walked, and its path as named: a file's real path is the one, then its path below the other. */
  let realRoot = cwd;
  let namedRoot = cwd;
  const realOf = (absPath: string) => (absPath.startsWith(namedRoot) ? realRoot + absPath.slice(namedRoot.length) : real(absPath));
  /** Work tree roots by real path (the one not reached through a symbolic link kept). */
  const repoKeys = new Map<string, number>();
  const addRepo = (dir: string) => {
    const key = realOf(dir);
    const at = repoKeys.get(key);
    if (at === undefined) repoKeys.set(key, repos.push(dir) - 1);
    else if (!link) repos[at] = dir;
  };
  /** kmsfix temp files found in the folders looked at (absolute paths). */
  const temps = new Set<string>();
  /** The `cdk.json`, `cdktf.json` and `Pulumi.yaml` files of the walked folders (absolute paths): CDK and CDKTF apps and Pulumi programs, whose language src/io/cdkApps.ts tells. */
  const cdkApps: string[] = [];
  /** Symbolic links inside the walked folders with a name some format reads, and links to folders (display paths, a
   * folder's with a trailing `/`): not followed, said in a note. */
  const links: string[] = [];
  /** The configuration files (configNameIn) of the walked folders (absolute paths): .gitignore and excludes do not hide them. */
  const configs: string[] = [];
  const splits: string[] = [];
  const read = new Map<string, Dirent[]>();
  /** The folder named on the command line being walked: its own configuration file is its scope's. */
  let top = cwd;
  const tempsBeside = (file: string) => {
    try {
      for (const name of readdirSync(path.dirname(file))) if (isTempName(name)) temps.add(path.join(path.dirname(file), name));
    } catch {
      /* the file's own read reports the problem */
    }
  };
  /** The symbolic link named on the command line that the current input goes through, if any. */
  let link: string | undefined;
  /** The folder named on the command line that the current walk started from. */
  let root = cwd;
  const excluded = excluder(excludes, cwd);
  /** Every folder named on the command line, by real path, when a link to a folder is first met: one inside any is read there. */
  let realInputs: string[] | undefined;
  const inScannedRoot = (p: string) =>
    within(p, realRoot) || (realInputs ??= inputs.map((i) => real(path.resolve(cwd, i)))).some((r) => within(p, r));
  /** A file found (`shown`: its display path), named on the command line (`explicit`) or in test code below the walk's root. */
  const add = (absPath: string, shown: string, explicit: boolean, test: boolean) => {
    const key = realOf(absPath);
    const before = seen.get(key);
    // Met again: kept once, as met without a symbolic link if it was (a file reached through one is never written).
    if (before) {
      if (before.link && !link) {
        Object.assign(before, { absPath, path: shown, explicit: before.explicit || explicit });
        delete before.link;
      }
      return;
    }
    const c: Candidate = { absPath, path: shown, explicit };
    if (link) c.link = link;
    if (test) c.test = true;
    seen.set(key, c);
    candidates.push(c);
  };

  // Synchronous on purpose: one thread-pool round trip per folder made walking large trees
  // mostly waiting; nothing else runs in this thread meanwhile.
  /**
   * `shown`: the folder's display path (displayPath); `testDir`: whether it is test code below the
   * walk's root (isTestPath). Its files' display paths are made from it: path.relative for each
   * file was a tenth of a Terraform scan (the bench runs kmsfix from outside the tree it scans).
   */
  function walk(dir: string, scopes: IgnoreScope[], shown: string, testDir: boolean): void {
    let entries: Dirent[];
    const before = scope.read?.get(dir);
    if (before) entries = [...before];
    else
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        errors.push({ file: shown, message: `cannot read directory: ${(err as Error).message}` });
        return;
      }
    listed?.set(dir, entries);
    if (scope.split && dir !== top) {
      const config = configNameIn((n) => entries.some((e) => e.name === n));
      if (config !== undefined) {
        splits.push(childPath(dir, config));
        read.set(dir, entries);
        return;
      }
    }
    /** Entries whose name is not UTF-8, with the name to show (src/io/fileNames.ts): said, never opened. */
    let bad: Map<Dirent, string> | undefined;
    if (entries.some((e) => e.name.includes('\uFFFD'))) entries = utf8Entries(dir, entries, (bad = new Map()));
    const own = entries.some((e) => e.name === '.gitignore') ? loadGitignoreSync(dir) : undefined;
    // A work tree below the walk's start (a nested repository, a submodule) is git's own: the ignore files of the one
    // around it do not apply there, its own info/exclude and configuration do.
    const base = dir !== top && entries.some((e) => e.name === '.git') ? repoScopes(dir) : scopes;
    const here = own ? [...base, own] : base;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let names: Set<string> | undefined;
    const compiled = (name: string) =>
      /\.(?:[cm]?js|jsx)$/i.test(name) && isCompiledBeside(name, (names ??= new Set(entries.map((x) => x.name))));
    for (const e of entries) {
      const abs = childPath(dir, e.name);
      const odd = bad?.get(e);
      if (e.name === '.git') addRepo(dir);
      // A temp file of a fix (src/io/temp.ts), never a template: listed for the cleanup of dead runs' ones.
      if (isTempName(e.name)) {
        if (odd === undefined) temps.add(abs);
        continue;
      }
      if (skip?.has(abs)) continue;
      if (isConfigName(e.name)) configs.push(abs);
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || isIntegSnapshot(e.name, true) || leftOut(here, abs, true) || excluded(root, abs, true)) continue;
        if (odd !== undefined) {
          errors.push({ file: shownIn(shown, odd), message: 'folder name is not UTF-8: not searched (rename it)' });
          continue;
        }
        // Below a folder outside the current directory, a folder may lead back into it (`..` then `a`).
        walk(abs, here, shown.startsWith('..') ? displayPath(abs, cwd) : shownIn(shown, e.name), testDir || TEST_DIRS.has(e.name));
      } else if (e.isFile()) {
        if (APP_FILES.has(e.name) && !leftOut(here, abs, false) && !excluded(root, abs, false)) cdkApps.push(abs);
        if (
          accepts(e.name) &&
          !isIntegSnapshot(e.name, false) &&
          !compiled(e.name) &&
          !leftOut(here, abs, false) &&
          !excluded(root, abs, false)
        ) {
          if (odd === undefined) add(abs, shownIn(shown, e.name), false, testDir || isTestName(e.name));
          else errors.push({ file: shownIn(shown, odd), message: 'file name is not UTF-8: not read (rename it)' });
        }
      } else if (e.isSymbolicLink()) {
        // A configuration file linked to a shared one is read as one (src/cli/config.ts configIn), not a template passed over.
        if (!isConfigName(e.name) && accepts(e.name) && !leftOut(here, abs, false) && !excluded(root, abs, false))
          links.push(shownIn(shown, odd ?? e.name));
        // A link to a folder out of the walked one that holds files some format reads (in it or one folder down) is not
        // walked either: named too, with a trailing `/` (session 60's adversarial pass: its files were passed over
        // without a word). One to a folder the walk reads where it is, or to a folder of other files, says nothing. A stat per link the walk meets that no format
        // reads by name, and a listing or two for one to a folder.
        else if (
          !accepts(e.name) &&
          !SKIPPED_DIRS.has(e.name) &&
          !inScannedRoot(real(abs)) &&
          linksToFolderOf(abs, accepts) &&
          !leftOut(here, abs, true) &&
          !excluded(root, abs, true)
        )
          links.push(`${shownIn(shown, odd ?? e.name)}/`);
      } else if (accepts(e.name) && !leftOut(here, abs, false)) {
        // A FIFO, socket or device with a template's name: never opened (a FIFO would block), but said.
        errors.push({ file: shownIn(shown, odd ?? e.name), message: `not a regular file (${kindOf(e)}): skipped` });
      }
    }
  }

  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    // One rule for symbolic links named on the command line, to a file or a folder: followed for
    // reading, never written through. Inside a folder, symbolic links are not followed.
    let st: Stats;
    link = undefined;
    try {
      const own = lstatSync(abs);
      if (own.isSymbolicLink()) {
        const target = readlinkSync(abs);
        try {
          st = statSync(abs);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why =
            code === 'ELOOP'
              ? 'a symbolic link loop'
              : code === 'ENOENT'
                ? `a broken symbolic link (to ${target}, which does not exist)`
                : `a symbolic link that cannot be followed: ${describeError(err)}`;
          errors.push({ file: toPosix(input), message: why });
          continue;
        }
        link = `${toPosix(input)} -> ${target}`;
      } else st = own;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push({
        file: toPosix(input),
        message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${describeError(err)}`,
      });
      continue;
    }
    namedRoot = abs;
    realRoot = real(abs);
    // Where its files really are (src/io/placed.ts): each file read is checked to be there.
    namedAs(abs, realRoot);
    const from = scope.roots?.get(abs);
    if (from?.link !== undefined) link = from.link;
    if (st.isDirectory()) {
      root = from?.root ?? abs;
      top = abs;
      walk(abs, await ancestorScopes(abs, scope.ignores), displayPath(abs, cwd), from?.test ?? false);
    } else {
      root = cwd;
      if (excluded(cwd, abs, false)) continue;
      add(abs, displayPath(abs, cwd), true, false);
      tempsBeside(abs);
    }
  }
  return { candidates, errors, repos, temps: [...temps], cdkApps, links, configs, splits, read, ...(listed ? { listed } : {}) };
}
