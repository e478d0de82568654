/**
 * Package versions, read from the installed packages themselves: kmsfix's own (`--version`) and
 * those of the parsers whose results are cached (src/io/cache.ts users name their files after them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The version of the package whose entry point is `entry` (its nearest package.json), or 'unknown'. */
export function packageVersion(entry: string): string {
  for (let dir = path.dirname(entry); ; ) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string; name?: string };
      if (pkg.name && pkg.version) return pkg.version;
    } catch {
      // No package.json here: climb.
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
