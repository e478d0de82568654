/**
 * The files beside a group that its plan needs without fixing them (a Terraform module's files
 * that hold no table: they declare names, data sources and providers), read from disk by the
 * engine's one reader (src/engine/read.ts), never by a transform. Their stamps are kept, so that a
 * change to one of them during the run cancels the group's writes (src/engine/write.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { TRANSFORMS } from '../../transforms/index.js';
import { toPosix } from '../text.js';
import type { SourceFile, Transform } from '../types.js';
import type { FileOutcome } from './pipeline.js';
import { MAX_FILE_BYTES, decodeSource, readBytes } from './read.js';
import { isTempName } from './temp.js';
import type { Watched } from './write.js';

export interface SiblingRead {
  files: SourceFile[];
  watched: Watched[];
}

/** How a group's siblings are found: from disk (a run), or none (in memory). */
export type SiblingSource = (members: FileOutcome[], transform: Transform) => SiblingRead;

export const NO_SIBLINGS: SiblingSource = () => ({ files: [], watched: [] });

/** Reads siblings from disk, with the run's size limit. Throws an Error naming a sibling that cannot be read. */
export function diskSiblings(maxBytes = MAX_FILE_BYTES): SiblingSource {
  return (members, transform) => {
    const entry = TRANSFORMS.find((e) => e.name === transform.name);
    const known = new Set(members.map((m) => m.file.absPath));
    const out: SiblingRead = { files: [], watched: [] };
    // Display paths: beside the members' own (relative to the current directory).
    const displayDir = new Map(members.map((m) => [path.dirname(m.file.absPath), path.posix.dirname(m.file.path)]));
    for (const [dir, shown] of [...displayDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (err) {
        throw new Error(`cannot list ${shown} for the other files of the group: ${(err as Error).message}`);
      }
      for (const name of names) {
        const abs = path.join(dir, name);
        if (isTempName(name) || known.has(abs) || !entry?.accepts(name)) continue;
        const display = toPosix(shown === '.' ? name : `${shown}/${name}`);
        const read = readBytes(abs, display, maxBytes);
        // A directory named like a template is not a file of the group.
        if ('error' in read && /not a regular file \(a directory\)/.test(read.error.message)) continue;
        if ('error' in read) throw new Error(`cannot read ${display}, a file of the same group: ${read.error.message}`);
        const decoded = decodeSource(read.buf, display, abs);
        if ('error' in decoded) throw new Error(`cannot read ${display}, a file of the same group: ${decoded.error.message}`);
        out.files.push(decoded.file);
        out.watched.push({ absPath: abs, path: display, stamp: read.stamp });
      }
    }
    return out;
  };
}
