/**
 * The files beside a group that its plan needs without fixing them (a Terraform module's files
 * that hold no table: they declare names, data sources and providers), read from disk by the
 * engine's one reader (src/io/read.ts), never by a transform. Their stamps are kept, so that a
 * change to one of them during the run cancels the group's writes (src/io/write.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../formats/index.js';
import { toPosix } from '../core/text.js';
import type { SourceFile, Format } from '../core/types.js';
import { MAX_FILE_BYTES, decodeSource, readBytes, stampOf } from './read.js';
import { statSync } from 'node:fs';
import { isTempName } from './temp.js';
import type { Watched } from '../core/result.js';

export interface SiblingRead {
  files: SourceFile[];
  watched: Watched[];
}

/** How the siblings of some files are found: from disk (a run), or none (in memory). */
export type SiblingSource = (files: SourceFile[], transform: Format) => SiblingRead;

export const NO_SIBLINGS: SiblingSource = () => ({ files: [], watched: [] });

function stampNow(abs: string): string | undefined {
  try {
    return stampOf(statSync(abs, { bigint: true }));
  } catch {
    return undefined;
  }
}

/**
 * Reads siblings from disk, with the run's size limit. Throws an Error naming a sibling that cannot
 * be read. The files of the last folder read are kept, for the next file or group of that folder
 * (a run goes folder by folder), checked against their stamps.
 */
export function diskSiblings(maxBytes = MAX_FILE_BYTES): SiblingSource {
  let cache: { dir: string; reads: Map<string, { file: SourceFile; watched: Watched }> } | undefined;
  return (members, transform) => {
    const entry = FORMATS.find((e) => e.name === transform.name);
    const wanted = (name: string) => (entry?.siblingFile ? entry.siblingFile(name) : (entry?.accepts(name) ?? false));
    const known = new Set(members.map((m) => m.absPath));
    const out: SiblingRead = { files: [], watched: [] };
    // Display paths: beside the members' own (relative to the current directory).
    const displayDir = new Map(members.map((m) => [path.dirname(m.absPath), path.posix.dirname(m.path)]));
    for (const [dir, shown] of [...displayDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (err) {
        throw new Error(`cannot list ${shown} for the other files of the group: ${(err as Error).message}`);
      }
      if (cache?.dir !== dir) cache = { dir, reads: new Map() };
      for (const name of names) {
        const abs = path.join(dir, name);
        if (isTempName(name) || known.has(abs) || !wanted(name)) continue;
        const display = toPosix(shown === '.' ? name : `${shown}/${name}`);
        const kept = cache.reads.get(abs);
        if (kept && kept.watched.path === display && stampNow(abs) === kept.watched.stamp) {
          out.files.push(kept.file);
          out.watched.push(kept.watched);
          continue;
        }
        const read = readBytes(abs, display, maxBytes);
        // A directory named like a template is not a file of the group.
        if ('error' in read && /not a regular file \(a directory\)/.test(read.error.message)) continue;
        if ('error' in read) throw new Error(`cannot read ${display}, a file of the same group: ${read.error.message}`);
        const decoded = decodeSource(read.buf, display, abs);
        if ('error' in decoded) throw new Error(`cannot read ${display}, a file of the same group: ${decoded.error.message}`);
        const watched = { absPath: abs, path: display, stamp: read.stamp };
        cache.reads.set(abs, { file: decoded.file, watched });
        out.files.push(decoded.file);
        out.watched.push(watched);
      }
    }
    return out;
  };
}
