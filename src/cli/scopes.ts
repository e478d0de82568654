/**
 * A run split by configuration file: each file read is governed by its nearest `.kmsfix.yml`, from its
 * folder upward: below the path given the search passes git work tree roots (`~/src/.kmsfix.yml`
 * governs the repositories of `kmsfix fix ~/src` that have none of their own), and from the path given
 * it stops at that path's work tree root (src/cli/config.ts nearestConfig, as a run with one file did).
 *
 * A scope is one configuration file (or none) over its paths. The paths given start one scope per
 * nearest file (configScopes, by configKey: a repository named twice through a symbolic link is one
 * scope, whose walk keeps each file once). A scope's walk stops at each folder holding a configuration
 * file (src/io/discover.ts WalkScope.split, configNameIn: excluded, ignored or linked, it is one), which
 * is walked next as a scope of its own, as the parent's walk would have (its --exclude globs relative
 * to the same root, test code below the same folder, the same symbolic link named on the command line;
 * WalkScope.roots). Boundaries are folders, so the files of a folder (a Terraform module, a template
 * and its parameters) are never split, and each folder is read once.
 *
 * Every scope is walked, and every configuration file validated, before a file of any is read (the
 * CLI then runs the scopes one after another, src/cli.ts execute, and merges their results: mergeResults): a file with problems stops nothing
 * else, its problems are the run's errors and the files it governs are not read (exit 2); its folders are walked all
 * the same, and those below it with good files of their own are read as usual (a fix writes them, as it writes another
 * repository beside a broken one). `--config
 * FILE` makes one scope of every path (the named file replaces every other).
 */
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { type RunResult, accepts } from '../engine/run.js';
import type { FixOptions } from '../core/types.js';
import type { FileError, FileOutcome } from '../core/result.js';
import type { MessageScope } from '../report/messageTypes.js';
import { toPosix } from '../core/text.js';
import { CONFIG_NAMES, type Discovered, type Exclude, type IgnoreScope, discover, displayPath, isTestPath } from '../io/discover.js';
import { type ConfigProblem, configKey } from './config.js';
import { realish } from '../io/outputs.js';

/** One configuration file's part of a run: its settings (the flags over the file's values), over its paths. */
export interface Scope {
  /** The file applied (absolute), if any. */
  configFile?: string;
  paths: string[];
  options: FixOptions;
  exclude: Exclude[];
  /** The file's problems, at their places: its paths are not read, and each problem is an error of the run. */
  problems?: ConfigProblem[];
  /** What the run says of the file's settings (src/cli/args.ts applyConfig: its key ARN kept over --key-policy). */
  notes?: string[];
}

/** A scope walked: its files found, the folders of the scopes split off it left out. */
export interface Planned extends Scope {
  discovered?: Discovered;
  /** A scope whose file has problems: the folders below it split off (absolute), read with files of their own. */
  splitOff?: string[];
  /** A scope whose file has problems: the git repositories its walk met that no folder split off holds (absolute), not read at all. */
  unreadRepos?: string[];
  /** What src/io/discover.ts WalkScope says of this scope's walk. */
  walk: {
    skip: Set<string>;
    roots: Map<string, { root: string; test: boolean; link?: string }>;
    read?: Map<string, import('node:fs').Dirent[]>;
  };
}

/**
 * The run's scopes, walked: `first` (from the paths given), each followed by those split off it.
 * `scopeOf`: the settings of a configuration file met inside the trees (validated there).
 *
 * Each folder is read once: a scope's walk stops at a folder holding a configuration file
 * (src/io/discover.ts WalkScope.split), which is walked next as a scope of its own. A git work tree
 * below is not a boundary: a file whose own search (to its work tree's root) finds none is governed by
 * the file governing the folder it was found in, as the one file above every repository governed all
 * of them before files were split (`~/src/.kmsfix.yml` over `~/src/*`, a submodule).
 */
export async function planScopes(
  first: Scope[],
  named: boolean,
  cwd: string,
  scopeOf: (configFile: string | undefined) => Promise<Omit<Scope, 'paths'>>,
  list = false,
): Promise<Planned[]> {
  const queue: Planned[] = first.map((s) => ({ ...s, walk: { skip: new Set(), roots: new Map() } }));
  const abs = (p: string) => path.resolve(cwd, p);
  // Each path's real path, asked once (covered asks for every path given, at every folder split off).
  const reals = new Map<string, string>();
  const real = (p: string) => reals.get(p) ?? reals.set(p, realish(p)).get(p)!;
  // Each scope's file's key, asked once: covered compares the file of every scope whose path holds a folder split off
  // with that folder's (a chain of nested files, one inside the other: each scope's key at every folder below it,
  // a real path of the depth's components each time, was cubic in the chain's length).
  // The .gitignore files above each scope's folders, read once for all of them (src/io/discover.ts WalkScope.ignores).
  const ignores = new Map<string, IgnoreScope | undefined>();
  const keys = new Map<string, string>();
  const keyOf = (f: string) => keys.get(f) ?? keys.set(f, configKey(f)).get(f)!;
  // Each scope with problems: every folder split off it, good or not (planned below).
  const belowOf = new Map<Planned, string[]>();
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i];
    // A file with problems: its files are not read, but its folders are walked for those with good files of their
    // own, which are read as usual (the file named for the whole run, --config, has none below it).
    if (s.problems && named) continue;
    const inputs = s.paths.length ? s.paths : ['.'];
    // `list`: a run that writes nothing keeps the folders' entries (src/io/discover.ts WalkScope.list).
    const found = await discover(inputs, cwd, accepts, s.exclude, named ? { ...s.walk, list } : { ...s.walk, split: true, ignores, list });
    if (!s.problems) s.discovered = found;
    if (named) continue;
    // The folders split off, one scope per file (configKey: a folder reached twice, through a symbolic link, is one scope).
    const split = new Map<string, Planned>();
    const given = queue.flatMap((q) => q.paths.map(abs));
    for (const configFile of found.splits) {
      const b = path.dirname(configFile);
      if (covered(queue, s, b, configFile, (p) => real(abs(p)), keyOf)) continue;
      const input = inputs.filter((p) => inside(abs(p), b)).sort((x, y) => abs(y).length - abs(x).length)[0];
      const from = abs(input);
      const before = s.walk.roots.get(from);
      const root = before?.root ?? from;
      const test = (before?.test ?? false) || isTestPath(`${toPosix(path.relative(from, b))}/-`);
      const link = before?.link ?? linkOf(input, from);
      const key = keyOf(configFile);
      let scope = split.get(key);
      if (!scope) {
        scope = { ...(await scopeOf(configFile)), paths: [], walk: { skip: new Set(), roots: new Map(), read: new Map() } };
        split.set(key, scope);
      } else spelledAlso(scope, [configFile]);
      scope.paths.push(b);
      scope.walk.roots.set(b, { root, test, ...(link === undefined ? {} : { link }) });
      const entries = found.read.get(b);
      if (entries) scope.walk.read?.set(b, entries);
      // Paths given for a folder below it have their own scope already: not read twice.
      for (const p of given) if (p !== b && inside(b, p)) scope.walk.skip.add(p);
    }
    queue.splice(i + 1, 0, ...split.values());
    // Its errors say which folders below it were read all the same.
    if (s.problems) {
      // Those with good files (one itself broken is not read either: its own error says so, F4 of session 54's review).
      s.splitOff = [...split.values()].filter((q) => !q.problems).flatMap((q) => q.paths);
      const below = [...split.values()].flatMap((q) => q.paths);
      belowOf.set(s, below);
      s.unreadRepos = found.repos.filter((r) => !below.some((f) => inside(f, r)));
    }
  }
  // A path given below a file with problems that a good file of its own reads (`scan r/b r/b/c`) is read too: said so.
  for (const s of queue) {
    const below = belowOf.get(s);
    if (!below) continue;
    const mine = (s.paths.length ? s.paths : ['.']).map(abs);
    for (const q of queue)
      for (const p of q.paths)
        if (
          q !== s &&
          !q.problems &&
          mine.some((m) => m !== abs(p) && inside(m, abs(p))) &&
          !below.some((b) => inside(b, abs(p))) &&
          !s.splitOff!.includes(abs(p))
        )
          s.splitOff!.push(abs(p));
  }
  return queue;
}

/**
 * A configuration file reached through other spellings too (a symbolic link to its repository named
 * beside it): its exclude globs, relative to its folder, from each spelling's folder too, so that
 * the walk leaves a file out whichever spelling it meets first.
 */
export function spelledAlso(scope: Scope, spellings: readonly string[]): Scope {
  if (scope.configFile === undefined) return scope;
  const base = path.dirname(scope.configFile);
  for (const f of spellings) {
    const alias = path.dirname(f);
    if (alias === base) continue;
    for (const e of [...scope.exclude]) if (e.base === base) scope.exclude.push({ ...e, base: alias });
  }
  return scope;
}

/** `b` is `a` or below it (absolute paths). */
function inside(a: string, b: string): boolean {
  return b === a || b.startsWith(a.endsWith(path.sep) ? a : a + path.sep);
}

/**
 * A folder split off that a path given already reads with the same file (the path itself, or one above it in its
 * scope). By real path (`real`: a path given, resolved): `current/sub` (current -> payments) given beside `payments`
 * is the folder `payments/sub` its walk meets.
 */
function covered(
  queue: Planned[],
  s: Planned,
  b: string,
  configFile: string,
  real: (p: string) => string,
  keyOf: (f: string) => string,
): boolean {
  const key = keyOf(configFile);
  const folder = realish(b);
  return queue.some(
    (q) =>
      q !== s &&
      q.paths.some((p) => {
        const given = real(p);
        return inside(given, folder) && (given === folder || (q.configFile !== undefined && keyOf(q.configFile) === key));
      }),
  );
}

/** The symbolic link named on the command line that a walk goes through (src/io/discover.ts: read, never written through). */
function linkOf(input: string, abs: string): string | undefined {
  try {
    if (lstatSync(abs).isSymbolicLink()) return `${toPosix(input)} -> ${readlinkSync(abs)}`;
  } catch {
    // Reported by the walk.
  }
  return undefined;
}

/**
 * A scope whose file has problems: each is an error of the run, at its place, saying that the files
 * it governs were not read (a scan's or fix's other scopes go on, and the run exits 2).
 */
export function configErrors(s: Scope & { splitOff?: string[] }, cwd: string): FileError[] {
  const list = (paths: string[]) => {
    const where = paths.map((p) => displayPath(path.resolve(cwd, p), cwd));
    return where.slice(0, 3).join(', ') + (where.length > 3 ? `, and ${where.length - 3} more` : '');
  };
  const shown = list(s.paths.length ? s.paths : ['.']);
  // The folders below it with files of their own: read, each by its own file.
  const read = s.splitOff?.length
    ? ` (but for ${list(s.splitOff)}, read with ${s.splitOff.length === 1 ? 'a configuration file of its own' : 'configuration files of their own'})`
    : '';
  return (s.problems ?? []).map((p) => ({
    ...p,
    message: `${p.message}; the files this configuration file governs (${shown}) were not read${read}: correct it and run again`,
  }));
}

/**
 * The scopes' results as one run's: outcomes and errors in the scopes' order, each repository once,
 * the cleanups and the notes together (a note said by two scopes said once).
 */
export function mergeResults(results: RunResult[]): RunResult {
  if (results.length === 1) return results[0];
  const cleanups = results.flatMap((r) => (r.cleanup ? [r.cleanup] : []));
  const ownWorker = results.find((r) => r.ownWorker)?.ownWorker;
  return {
    outcomes: results.flatMap((r) => r.outcomes),
    errors: results.flatMap((r) => r.errors),
    repos: [...new Set(results.flatMap((r) => r.repos))],
    stages: results.flatMap((r) => r.stages ?? []),
    ...(ownWorker ? { ownWorker } : {}),
    ...(cleanups.length
      ? {
          cleanup: {
            removed: cleanups.flatMap((c) => c.removed),
            completed: cleanups.flatMap((c) => c.completed),
            errors: cleanups.flatMap((c) => c.errors),
          },
        }
      : {}),
    notes: [...new Set(results.flatMap((r) => r.notes))],
  };
}

/**
 * The settings a repository's commit message (--commit, --patch-dir's mail) explains: its root's
 * scope's (the one whose path holding the root is the deepest: the scope governing the root's folder,
 * a file of its own or the one above it), else the first scope reading below it (a repository scanned
 * through a subfolder with a file of its own). A repository whose folders have different files has its root's.
 */
export function optionsFor(scopes: Scope[], root: string, cwd: string): FixOptions {
  const usable = scopes.filter((s) => !s.problems);
  const paths = (s: Scope) => (s.paths.length ? s.paths : ['.']).map((p) => path.resolve(cwd, p));
  let best: Scope | undefined;
  let depth = -1;
  for (const s of usable)
    for (const p of paths(s))
      if (inside(p, root) && p.length > depth) {
        best = s;
        depth = p.length;
      }
  return (best ?? usable.find((s) => paths(s).some((p) => inside(root, p))) ?? scopes[0]).options;
}

/**
 * What a repository's commit message (--commit, --patch-dir's mail) explains in a run of several scopes: `of`, the
 * settings of its root's scope (optionsFor), and `scopeOf`, the scope that read each file, whose settings its tables'
 * lines follow (src/report/commitMessage.ts).
 */
export function messageScopes(
  scopes: Scope[],
  read: Map<FileOutcome, Scope>,
  cwd: string,
): { of: (root: string) => FixOptions; scopeOf: (o: FileOutcome) => MessageScope | undefined } {
  const shown = new Map<Scope, MessageScope>();
  const of = (s: Scope): MessageScope => {
    let m = shown.get(s);
    if (!m)
      shown.set(
        s,
        (m = {
          options: { ...s.options, version: '' },
          ...(s.configFile === undefined ? {} : { configFile: s.configFile }),
          folders: (s.paths.length ? s.paths : ['.']).map((p) => path.resolve(cwd, p)),
        }),
      );
    return m;
  };
  return {
    of: (root) => optionsFor(scopes, root, cwd),
    scopeOf: (o) => {
      const s = read.get(o);
      return s && of(s);
    },
  };
}

/**
 * The repositories part of which a configuration file with problems kept unread (`root`, a work tree's root, to the
 * file's name as shown), or undefined when no file has problems. Under --commit and --patch-dir such a repository
 * gets no commit, patch or mail: one holding only the folders read (those below the file with good files of their
 * own) looked like the whole change, the others' tables neither fixed nor listed as not changed. A repository is so
 * when a folder the file governs is inside it (the file is in it, or a path given in it is governed by the file),
 * or when it is below such a folder and not inside a folder split off it (read with a good file of its own).
 */
export function unreadRepositories(scopes: Planned[], cwd: string): ((root: string) => string | undefined) | undefined {
  const broken = scopes.filter((s) => s.problems && s.configFile !== undefined);
  if (broken.length === 0) return undefined;
  const parts = broken.map((s) => ({
    file: displayPath(s.configFile!, cwd),
    paths: (s.paths.length ? s.paths : ['.']).map((p) => realish(path.resolve(cwd, p))),
    splitOff: (s.splitOff ?? []).map((p) => realish(path.resolve(cwd, p))),
  }));
  const found = new Map<string, string | undefined>();
  return (root) => {
    if (found.has(root)) return found.get(root);
    const r = realish(root);
    const part = parts.find(
      (b) => b.paths.some((p) => inside(r, p)) || (b.paths.some((p) => inside(p, r)) && !b.splitOff.some((f) => inside(f, r))),
    );
    found.set(root, part?.file);
    return part?.file;
  };
}

/**
 * The `.kmsfix.yaml` files passed over for the `.kmsfix.yml` beside them (src/io/discover.ts
 * configNameIn: a folder's `.yml` is its file), for a note: its settings would be lost without a word.
 */
export function unappliedConfigs(scopes: Scope[], cwd: string): string[] {
  const out: string[] = [];
  for (const file of new Set(scopes.map((s) => s.configFile))) {
    if (file === undefined || path.basename(file) !== CONFIG_NAMES[0]) continue;
    const other = path.join(path.dirname(file), CONFIG_NAMES[1]);
    if (!lstatSync(other, { throwIfNoEntry: false })) continue;
    const yml = displayPath(file, cwd);
    out.push(
      `${displayPath(other, cwd)} is not applied: ${yml} beside it is (a folder's ${CONFIG_NAMES[0]} is read, its ${CONFIG_NAMES[1]} passed over); ` +
        `merge its settings into ${yml} and remove it`,
    );
  }
  return out;
}
