/**
 * What the project around a file declares: the version range of a package in the nearest
 * package.json that lists it (dependencies, devDependencies or peerDependencies). The engine finds
 * and reads the package.json files (DiskContext.projectFile, once per folder); this reads them.
 */
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

/** The range the nearest package.json that lists `name` declares for it (from the file's folder up), if any. */
export async function declaredRange(file: SourceFile, name: string, context: DiskContext | undefined): Promise<string | undefined> {
  const pkg = await context?.projectFile(file, 'package.json', (f) => rangeIn(f, name) !== undefined);
  return pkg && rangeIn(pkg, name);
}

/** The major version a range such as `^7.2.0`, `~6.1`, `7.x`, `>=7.0.0 <8` or `7` allows at least; undefined when it says none. */
export function majorOf(range: string | undefined): number | undefined {
  const m = range ? /(?:^|[\s^~=>v])(\d+)(?:\.|\s|$|x|\*)/.exec(range.trim().replace(/^npm:.+@/, '')) : null;
  return m ? Number(m[1]) : undefined;
}
