/**
 * What the project around a file declares: the version range of a package in the nearest
 * package.json that lists it (dependencies, devDependencies or peerDependencies).
 *
 * KNOWN WART: this is the one place where the TypeScript format reads the disk itself. The engine
 * should own the disk (issue 17): it would hand a format the project files it asks for (for
 * example `SourceFile.project?.packageJson`, found and cached once per folder by the engine), and
 * in-memory runs could then carry a package.json too. Until then the read is kept here, small and
 * cached; files that are not on disk (in-memory runs, tests) simply have no package.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Folder -> its parsed package.json (null: none, or unreadable). */
const cache = new Map<string, PackageJson | null>();

function packageJsonIn(dir: string): PackageJson | null {
  let pkg = cache.get(dir);
  if (pkg === undefined) {
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (typeof pkg !== 'object' || pkg === null) pkg = null;
    } catch {
      pkg = null;
    }
    cache.set(dir, pkg);
  }
  return pkg;
}

/** The range the nearest package.json (from the file's folder up) declares for `name`, if any. */
export function declaredRange(absPath: string, name: string): string | undefined {
  for (let dir = path.dirname(absPath); ; ) {
    const pkg = packageJsonIn(dir);
    const range = pkg?.dependencies?.[name] ?? pkg?.devDependencies?.[name] ?? pkg?.peerDependencies?.[name];
    if (typeof range === 'string') return range;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The major version a range such as `^7.2.0`, `~6.1`, `7.x`, `>=7.0.0 <8` or `7` allows at least; undefined when it says none. */
export function majorOf(range: string | undefined): number | undefined {
  const m = range ? /(?:^|[\s^~=>v])(\d+)(?:\.|\s|$|x|\*)/.exec(range.trim().replace(/^npm:.+@/, '')) : null;
  return m ? Number(m[1]) : undefined;
}
