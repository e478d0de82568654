/**
 * What the project around a file declares: the version range of a package in the nearest
 * package.json that lists it (dependencies, devDependencies or peerDependencies). The engine finds
 * and reads the package.json files (DiskContext.projectFile, once per folder); this reads them.
 */
import path from 'node:path';
import { escapeRegExp, toPosix } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Each package.json read, parsed once (null: not a JSON object). */
const parsed = new WeakMap<SourceFile, PackageJson | null>();

function packageJson(file: SourceFile): PackageJson | null {
  let pkg = parsed.get(file);
  if (pkg === undefined) {
    try {
      pkg = JSON.parse(file.text) as PackageJson;
      if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) pkg = null;
    } catch {
      pkg = null;
    }
    parsed.set(file, pkg);
  }
  return pkg;
}

/** The range a package.json declares for `name`, if it lists it. */
export function rangeIn(file: SourceFile, name: string): string | undefined {
  const pkg = packageJson(file);
  const range = pkg?.dependencies?.[name] ?? pkg?.devDependencies?.[name] ?? pkg?.peerDependencies?.[name];
  return typeof range === 'string' ? range : undefined;
}

/** The nearest package.json that lists `name` (from the file's folder up), if any. */
export async function declaringPackage(file: SourceFile, name: string, context: DiskContext | undefined): Promise<SourceFile | undefined> {
  return context?.projectFile(file, 'package.json', (f) => rangeIn(f, name) !== undefined);
}

/** The range the nearest package.json that lists `name` declares for it (from the file's folder up), if any. */
export async function declaredRange(file: SourceFile, name: string, context: DiskContext | undefined): Promise<string | undefined> {
  const pkg = await declaringPackage(file, name, context);
  return pkg && rangeIn(pkg, name);
}

/** A version as major, minor, patch (a prerelease is read as its release). */
export type Version = readonly [number, number, number];

/** One comparator's lower bound (`1.22.0`, `^1.22`, `~1.22.0`, `>=1.22.0`, `>1.21`, `1.x`); null: an upper bound (`<2`); undefined: not a version. */
function floorOf(comparator: string): Version | null | undefined {
  const m = /^(<=?|>=?|=|\^|~>?)?v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][\w.+-]*)?$/.exec(comparator);
  if (!m) return undefined;
  const [, op, major, minor, patch] = m;
  if (op === '<' || op === '<=') return null;
  const num = (s: string | undefined) => (s === undefined || /[xX*]/.test(s) ? undefined : Number(s));
  const v = [Number(major), num(minor), num(patch)] as const;
  if (op !== '>') return [v[0], v[1] ?? 0, v[2] ?? 0];
  // Above the version written: the next patch, minor or major it leaves open.
  if (v[1] === undefined) return [v[0] + 1, 0, 0];
  return v[2] === undefined ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];
}

/**
 * The lowest version a range such as `1.22.0`, `^1.22.0`, `~1.22`, `1.x`, `>=1.22.0 <2`, `1.22.0 - 1.40.0`,
 * `^1.30 || ^1.40` or `npm:@aws-cdk/aws-dynamodb@^1.22.0` allows; undefined when it sets no floor
 * (`*`, `<2`, a tag such as `latest`, `workspace:*`, a path or URL).
 */
export function lowestVersion(range: string | undefined): Version | undefined {
  if (range === undefined) return undefined;
  let lowest: Version | undefined;
  for (const alternative of range
    .trim()
    .replace(/^npm:.+@/, '')
    .split('||')) {
    // `>= 1.2` as `>=1.2`; a hyphen range from its first version.
    const comparators = alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+-\s+/)[0]
      .split(/\s+/);
    let floor: Version | undefined;
    for (const c of comparators) {
      const f = floorOf(c);
      if (f === undefined) return undefined;
      if (f && (!floor || compareVersions(f, floor) > 0)) floor = f;
    }
    if (!floor) return undefined;
    if (!lowest || compareVersions(floor, lowest) < 0) lowest = floor;
  }
  return lowest;
}

/** Negative when a is below b, 0 when equal, positive when above. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The major version a range such as `^7.2.0`, `~6.1`, `7.x`, `>=7.0.0 <8` or `7` allows at least; undefined when it says none. */
export function majorOf(range: string | undefined): number | undefined {
  return lowestVersion(range)?.[0];
}

interface PackageLock {
  packages?: Record<string, { version?: unknown }>;
  dependencies?: Record<string, { version?: unknown }>;
}

/** Each package-lock.json read, parsed once (null: not JSON): every Pulumi file of a project asks, for each package. */
const locks = new WeakMap<SourceFile, PackageLock | null>();

function packageLock(file: SourceFile): PackageLock | null {
  let lock = locks.get(file);
  if (lock === undefined) {
    try {
      lock = JSON.parse(file.text) as PackageLock;
    } catch {
      lock = null;
    }
    locks.set(file, lock);
  }
  return lock;
}

/**
 * The version of `name` the lock file of the project whose package.json `pkg` declares it installs: package-lock.json
 * (`packages["node_modules/<name>"]`, or lockfile v1's `dependencies`), else yarn.lock (v1 and Berry), else
 * pnpm-lock.yaml, else bun.lock, beside the package.json that lists `name`, or above it when it names that package's folder (a
 * workspace: `"packages/api"`, `workspace:packages/api`); undefined when none says. A lock file above
 * that names no such folder is another project's.
 */
export async function lockedVersion(pkg: SourceFile, name: string, context: DiskContext): Promise<string | undefined> {
  const dir = path.dirname(pkg.absPath ?? pkg.path);
  // A lock file beside the package.json, or above it naming its folder (`rel`) as the lock file's kind writes one.
  const ours = (names: (f: SourceFile, rel: string) => boolean) => (f: SourceFile) => {
    const rel = toPosix(path.relative(path.dirname(f.absPath ?? f.path), dir));
    return rel === '' || (!rel.startsWith('..') && names(f, rel));
  };
  const quoted = ours((f, rel) => f.text.includes(`"${rel}"`) || f.text.includes(`workspace:${rel}`));
  const npm = await context.projectFile(pkg, 'package-lock.json', quoted);
  const lock = npm && packageLock(npm);
  const v = lock?.packages?.[`node_modules/${name}`]?.version ?? lock?.dependencies?.[name]?.version;
  if (typeof v === 'string') return v;
  const yarn = await context.projectFile(pkg, 'yarn.lock', quoted);
  if (yarn) {
    // `"@pulumi/pulumi@^3.0.0", ...:` then `  version "3.109.0"` (v1) or `  version: 3.109.0` (Berry).
    const m = new RegExp(
      `^"?${escapeRegExp(name)}@[^\\n]*:\\r?\\n(?:[ \\t]+[^\\n]*\\r?\\n)*?[ \\t]+version:?[ \\t]+"?([\\w.+-]+)"?`,
      'm',
    ).exec(yarn.text);
    return m?.[1];
  }
  // pnpm names a workspace's projects as importers (`  infra:`, `  'packages/api':`).
  const pnpm = await context.projectFile(
    pkg,
    'pnpm-lock.yaml',
    ours((f, rel) => new RegExp(`^ {2}['"]?${escapeRegExp(rel)}['"]?:`, 'm').test(f.text)),
  );
  if (pnpm) return pnpmVersion(pnpm.text, name);
  // Bun's text lock file (1.2): `"workspaces": { "packages/api": ... }` and `"packages": { "<name>": ["<name>@<version>", ...] }`.
  const bun = await context.projectFile(pkg, 'bun.lock', quoted);
  return bun && bunVersion(bun.text, name);
}

/**
 * The lowest version of `name` a bun.lock installs: `"@pulumi/pulumi": ["@pulumi/pulumi@3.109.0", "", {...}, "sha512-..."]`
 * under `packages`, and a nested install's `"<dependent>/@pulumi/pulumi": [...]` (the lowest, as for pnpm).
 */
export function bunVersion(text: string, name: string): string | undefined {
  const at = new RegExp(`"(?:[^"\\n]*/)?${escapeRegExp(name)}":[ \\t]*\\[[ \\t]*"${escapeRegExp(name)}@(\\d[\\w.+-]*)"`, 'g');
  return lowestOf([...text.matchAll(at)].map((m) => m[1]));
}

/**
 * The lowest version of `name` a pnpm-lock.yaml installs in any of its importers: lock file 6 and 9
 * (`'@pulumi/pulumi':` then `specifier: ^3.0.0` and `version: 3.109.0(typescript@5.4.5)`) and 5
 * (`'@pulumi/pulumi': 3.109.0` under `dependencies:`). The lowest, since which importer is the
 * project's is not always clear: a version below the floor anywhere keeps the table unfixed.
 */
export function pnpmVersion(text: string, name: string): string | undefined {
  const key = `^[ \\t]*['"]?${escapeRegExp(name)}['"]?:[ \\t]*`;
  const at = new RegExp(`${key}(?:(\\d[\\w.+-]*)|\\r?\\n[ \\t]+specifier:[^\\n]*\\r?\\n[ \\t]+version:[ \\t]*['"]?(\\d[\\w.+-]*))`, 'gm');
  return lowestOf([...text.matchAll(at)].map((m) => m[1] ?? m[2]));
}

/** The lowest of versions a lock file lists, as written. */
function lowestOf(versions: string[]): string | undefined {
  let lowest: { text: string; version: Version } | undefined;
  for (const v of versions) {
    const version = lowestVersion(v);
    if (version && (!lowest || compareVersions(version, lowest.version) < 0)) lowest = { text: v, version };
  }
  return lowest?.text;
}
