/**
 * Project files a format asks for (DiskContext.projectFile: e.g. the nearest package.json that
 * declares @pulumi/aws), read from disk by the engine's one reader (src/io/read.ts), never by a
 * format: the same size limit and UTF-8 and BOM checks as any input. Each folder's file is read
 * once per reader (one per run and thread); one that is missing or cannot be read counts as absent.
 */
import path from 'node:path';
import { toPosix } from '../core/text.js';
import type { SourceFile } from '../core/types.js';
import { MAX_FILE_BYTES, decodeSource, readBytes } from './read.js';

/** The file `name` of a folder, or undefined; `shownDir` is the folder's display path. */
export type ProjectFileSource = (dir: string, shownDir: string, name: string) => SourceFile | undefined;

export function diskProjectFiles(maxBytes = MAX_FILE_BYTES): ProjectFileSource {
  const cache = new Map<string, SourceFile | null>();
  return (dir, shownDir, name) => {
    const abs = path.join(dir, name);
    let file = cache.get(abs);
    if (file === undefined) {
      file = null;
      const display = toPosix(shownDir === '.' ? name : path.posix.join(shownDir, name));
      const read = readBytes(abs, display, maxBytes);
      if (!('error' in read)) {
        const decoded = decodeSource(read.buf, display, abs);
        if (!('error' in decoded)) file = decoded.file;
      }
      cache.set(abs, file);
    }
    return file ?? undefined;
  };
}

/**
 * The nearest file named `name` that `accept` takes, from the folder of `from` up to the root.
 * `from.path` gives the display paths (`..` for folders above the current directory's view).
 */
export function nearestProjectFile(
  source: ProjectFileSource,
  from: SourceFile,
  name: string,
  accept: (file: SourceFile) => boolean = () => true,
): SourceFile | undefined {
  let shown = path.posix.dirname(from.path);
  for (let dir = path.dirname(from.absPath); ; ) {
    const file = source(dir, shown, name);
    if (file && accept(file)) return file;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
    shown = path.posix.normalize(path.posix.join(shown, '..'));
  }
}
