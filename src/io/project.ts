/**
 * Project files a format asks for (DiskContext.projectFile: e.g. the nearest package.json that
 * declares @pulumi/aws), read from disk by the engine's one reader (src/io/read.ts), never by a
 * format: the same size limit and UTF-8 and BOM checks as any input. Each folder's file is read
 * once per reader (one per run and thread); one that is missing or cannot be read counts as absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { toPosix } from '../core/text.js';
import type { SourceFile } from '../core/types.js';
import { MAX_FILE_BYTES, decodeSource, readBytes } from './read.js';

/**
 * The file `name` of a folder, or undefined; `shownDir` is the folder's display path. `unreadable`: a file there
 * whose bytes kmsfix cannot read (binary, as git-crypt leaves it; another encoding; too large) is handed on with
 * SourceFile.unreadable and no text, for the format to judge, not left out.
 */
export type ProjectFileSource = (dir: string, shownDir: string, name: string, unreadable?: boolean) => SourceFile | undefined;

/** Per source: the files named `name` from a folder up to the root, nearest first (key: folder, NUL, name). */
const upward = new WeakMap<ProjectFileSource, Map<string, SourceFile[]>>();

export function diskProjectFiles(maxBytes = MAX_FILE_BYTES): ProjectFileSource {
  const cache = new Map<string, SourceFile | null>();
  const source: ProjectFileSource = (dir, shownDir, name, unreadable = false) => {
    const abs = path.join(dir, name);
    let file = cache.get(abs);
    if (file === undefined) {
      file = null;
      // Most folders have none: a check that builds no error, before a read whose failed open would
      // (what cannot be read counts as absent, but where the caller asks for it).
      if (!existsSync(abs)) {
        cache.set(abs, file);
        return undefined;
      }
      const display = toPosix(shownDir === '.' ? name : path.posix.join(shownDir, name));
      const read = readBytes(abs, display, maxBytes);
      const decoded = 'error' in read ? read : decodeSource(read.buf, display, abs);
      file = 'error' in decoded ? { path: display, absPath: abs, text: '', unreadable: decoded.error.message } : decoded.file;
      cache.set(abs, file);
    }
    return file && (unreadable || file.unreadable === undefined) ? file : undefined;
  };
  // It reads each file once per run: so the files up from a folder are the same at every ask.
  upward.set(source, new Map());
  return source;
}

/**
 * The nearest file named `name` that `accept` takes, from the folder of `from` up to the root.
 * `from.path` gives the display paths (`..` for folders above the current directory's view).
 * `accept` sees every file found, nearest first, until it takes one (terragrunt's includes list them all).
 */
export function nearestProjectFile(
  source: ProjectFileSource,
  from: SourceFile,
  name: string,
  accept: (file: SourceFile) => boolean = () => true,
): SourceFile | undefined {
  for (const file of filesUp(source, path.dirname(from.absPath), path.posix.dirname(from.path), name)) if (accept(file)) return file;
  return undefined;
}

/**
 * The files named `name` in `dir` and every folder above it, nearest first. A Terraform module's
 * every file asks for terragrunt.hcl and atmos.yaml, a CDK stack for cdk.json and package.json: kept
 * per folder for a source that reads each file once (diskProjectFiles), so a folder's ask costs one
 * lookup, not a walk to the root (with a failed open at each level the first time).
 */
function filesUp(source: ProjectFileSource, dir: string, shown: string, name: string): SourceFile[] {
  const memo = upward.get(source);
  const key = `${dir}\0${name}`;
  const known = memo?.get(key);
  if (known) return known;
  const here = source(dir, shown, name);
  const up = path.dirname(dir);
  const above = up === dir ? [] : filesUp(source, up, path.posix.normalize(path.posix.join(shown, '..')), name);
  const files = here ? [here, ...above] : above;
  memo?.set(key, files);
  return files;
}
