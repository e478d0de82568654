/**
 * The files beside a group that its plan needs without fixing them (a Terraform module's files
 * that hold no table: they declare names, data sources and providers), read from disk by the
 * engine's one reader (src/io/read.ts), never by a transform. Their stamps are kept, so that a
 * change to one of them during the run cancels the group's writes (src/io/write.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../formats/index.js';
import { toPosix } from '../core/text.js';
import type { SourceFile, Format } from '../core/types.js';
import { type BytesRead, MAX_FILE_BYTES, type SharedReads, asciiText, decodeSource, readShared, stampOf } from './read.js';
import { isTempName } from './temp.js';
import { nonUtf8Names } from './fileNames.js';
import { childPath, shownIn } from './discover.js';
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
 * The bytes of the folder a run is reading, read once for its two readers (SharedReads): a file
 * of a group's folder (a name some format reads as a group's file) that the candidates' reader
 * read is kept for the siblings' reader, and the reverse. Each read is handed over once, with the
 * stamp it was read with, which the write checks (src/io/write.ts); reads of another folder drop
 * those kept, so it holds one folder's bytes at most.
 */
export class FolderReads implements SharedReads {
  private dir: string | undefined;
  private readonly bytes = new Map<string, BytesRead>();

  take(absPath: string, maxBytes: number): BytesRead | undefined {
    const read = this.bytes.get(absPath);
    if (!read) return undefined;
    this.bytes.delete(absPath);
    return read.buf.length <= maxBytes ? read : undefined;
  }

  keep(absPath: string, read: BytesRead): void {
    const name = path.basename(absPath);
    if (!FORMATS.some((e) => e.siblingFile?.(name))) return;
    const dir = path.dirname(absPath);
    if (dir !== this.dir) {
      this.bytes.clear();
      this.dir = dir;
    }
    this.bytes.set(absPath, read);
  }
}

/** A folder's group files as read: its listing (the names the format takes), and each file read (null: a directory). */
interface Folder {
  dir: string;
  shown: string;
  /** The names the format takes, sorted, with their absolute paths. */
  names: { name: string; abs: string }[];
  reads: Map<string, { file: SourceFile; watched: Watched } | null>;
  /** Once every file is read (not re-checked): all of them in order, and each one's index. */
  all?: { files: SourceFile[]; watched: Watched[]; at: Map<string, number> };
}

/**
 * Reads siblings from disk, with the run's size limit. Throws an Error naming a sibling that cannot
 * be read. The folder last read is kept for the next file or group of that folder (a run goes
 * folder by folder: a module's files are detected one after another, then planned and verified):
 *
 * - `recheck` false (a group's own folder): listed and read once while the run stays in the folder,
 *   each file with the stamp of its one read (`shared`: the bytes the run's reader of candidates
 *   read, FolderReads). A file changed after that read is not read again:
 *   its stamp, in the group's watched files, no longer matches when the write checks it, and the
 *   group is not written (src/io/write.ts), so no write rests on a text that is not on disk.
 * - `recheck` true (other folders, DiskContext.folder, read from many folders and never watched):
 *   listed again at each call, and a kept file is reused only while its stamp is unchanged.
 *   `listings` (a run that writes nothing: a scan): each folder's listing is kept for the run, in
 *   that map, and its files still re-checked. Only the run's own writes could change what a folder
 *   holds between two calls (the renames of a fix; a scan creates no file), as DiskContext's folder
 *   entries already assume (src/engine/disk.ts); a module's callers, asked by every module folder of a
 *   tree, list the same folders above it again and again (a dense Terraform scan: ~1,400 listings of
 *   its 246 folders).
 */
export function diskSiblings(
  maxBytes = MAX_FILE_BYTES,
  recheck = false,
  shared?: SharedReads,
  listings?: Map<string, string[]>,
): SiblingSource {
  let cache: Folder | undefined;
  return (members, transform) => {
    // The usual call, first: one member, in the folder whose files were all read (each of a module's
    // files in turn): the folder's files but the member's, with nothing else looked up.
    const one = members.length === 1 && !recheck ? members[0] : undefined;
    const all = cache?.all;
    if (one && all && cache!.dir === path.dirname(one.absPath) && cache!.shown === path.posix.dirname(one.path)) {
      // Copied in two slices (each file of a 50-file module asks: a loop of pushes was ~2% of a scan).
      const i = all.at.get(one.absPath) ?? -1;
      const but = <T>(list: T[]) => (i < 0 ? list.slice() : list.slice(0, i).concat(list.slice(i + 1)));
      return { files: but(all.files), watched: but(all.watched) };
    }
    const entry = FORMATS.find((e) => e.name === transform.name);
    const wanted = (name: string) => (entry?.siblingFile ? entry.siblingFile(name) : (entry?.accepts(name) ?? false));
    const known = new Set(members.map((m) => m.absPath));
    const out: SiblingRead = { files: [], watched: [] };
    // Display paths: beside the members' own (relative to the current directory).
    const displayDir = new Map(members.map((m) => [path.dirname(m.absPath), path.posix.dirname(m.path)]));
    for (const [dir, shown] of [...displayDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const same = cache?.dir === dir && cache.shown === shown;
      if (!same || recheck) {
        let listed = listings?.get(dir);
        if (!listed) {
          try {
            listed = readdirSync(dir);
          } catch (err) {
            throw new Error(`cannot list ${shown} for the other files of the group: ${(err as Error).message}`);
          }
          listings?.set(dir, listed);
        }
        // A file of the group whose name is not UTF-8 cannot be read (src/io/fileNames.ts): the group is not
        // known whole. Looked for only where a name holds U+FFFD.
        if (listed.some((name) => name.includes('\uFFFD'))) {
          const odd = nonUtf8Names(dir).find((n) => wanted(n.name));
          if (odd)
            throw new Error(
              `cannot read ${toPosix(shownIn(shown, odd.shown))}, a file of the same group: file name is not UTF-8 (rename it)`,
            );
        }
        const names: Folder['names'] = listed
          .filter((name) => !isTempName(name) && wanted(name))
          .sort()
          .map((name) => ({ name, abs: childPath(dir, name) }));
        cache = { dir, shown, names, reads: same ? cache!.reads : new Map() };
      }
      const folder = cache!;
      for (const { name, abs } of folder.names) {
        if (known.has(abs)) continue;
        const kept = folder.reads.get(abs);
        if (kept === null) continue; // a directory named like a module file is not a file of the group
        if (kept && (!recheck || stampNow(abs) === kept.watched.stamp)) {
          out.files.push(kept.file);
          out.watched.push(kept.watched);
          continue;
        }
        const display = toPosix(shownIn(shown, name));
        // A group's own folder: a file that may be a candidate's too (SharedReads), told placed or not
        // (read.ts ReadHow); a module's file linked to a shared one is read through its link, as before.
        const read = readShared(abs, display, maxBytes, recheck ? undefined : shared, recheck ? 'follow' : 'either');
        if ('error' in read && /not a regular file \(a directory\)/.test(read.error.message)) {
          folder.reads.set(abs, null);
          continue;
        }
        if ('error' in read) throw new Error(`cannot read ${display}, a file of the same group: ${read.error.message}`);
        const decoded = decodeSource(read.buf, display, abs, asciiText(read));
        // The check before a write: a file of the group that can no longer be read cancels the group's writes.
        if ('error' in decoded && recheck) throw new Error(`cannot read ${display}, a file of the same group: ${decoded.error.message}`);
        // A run: a file read whole whose bytes are not text kmsfix reads (binary, as git-crypt leaves a tfvars file
        // in a checkout without its key; UTF-16) is handed on as such, for the format to judge. A file that cannot be
        // read at all (a FIFO, too large, no permission) stops the group, as above.
        const file: SourceFile =
          'error' in decoded ? { path: display, absPath: abs, text: '', unreadable: decoded.error.message } : decoded.file;
        const watched = { absPath: abs, path: display, stamp: read.stamp };
        folder.reads.set(abs, { file, watched });
        out.files.push(file);
        out.watched.push(watched);
      }
      if (!recheck && !folder.all && folder.names.every(({ abs }) => folder.reads.has(abs))) {
        const all: NonNullable<Folder['all']> = { files: [], watched: [], at: new Map() };
        for (const { abs } of folder.names) {
          const kept = folder.reads.get(abs);
          if (!kept) continue;
          all.at.set(abs, all.files.length);
          all.files.push(kept.file);
          all.watched.push(kept.watched);
        }
        folder.all = all;
      }
    }
    return out;
  };
}
