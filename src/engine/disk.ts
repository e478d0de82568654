/**
 * What the engine reads for a format beside its inputs (DiskContext): the other files of a group's
 * folders and the project files a format asks for. From disk in a run (src/io: one reader, its
 * checks and caches), from the in-memory files in processMemory (memory.ts).
 */
import { type Dirent, existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { DiskContext, Format, SourceFile } from '../core/types.js';
import { type ProjectFileSource, diskProjectFiles, nearestProjectFile } from '../io/project.js';
import { FolderReads, type SiblingRead, type SiblingSource, diskSiblings } from '../io/siblings.js';
import type { SharedReads } from '../io/read.js';

export interface Disk {
  siblings: SiblingSource;
  /** The bytes of the folder being read, shared with the run's reader of candidates (src/io/siblings.ts FolderReads). */
  reads?: SharedReads;
  projectFiles: ProjectFileSource;
  /** Other folders' group files (DiskContext.folder): read as siblings are, with a cache of their own. */
  folders?: SiblingSource;
  /**
   * The listings `folders` keeps for a run that writes nothing (runDisk's `writes` false: src/io/siblings.ts): a folder
   * listed there is not looked for again.
   */
  folderListings?: Map<string, string[]>;
  /** DiskContext.folderAnswers: present, and shared by the run's contexts, when the run writes nothing (as `folderListings`). */
  folderAnswers?: object;
  /**
   * Resolves once the run's writes under way are done (RunOptions.writesSettled): another folder's
   * files are read after it, whole as written, never halfway through a group's renames.
   */
  settled?: () => Promise<void>;
  /**
   * Folders DiskContext.folder found missing in this run: asked again (a Terraform module's var-file
   * folders, once per file of the module), they are not looked for again. A run creates no folder.
   */
  missing?: Set<string>;
  /** The names in folders DiskContext.folder was asked about from (with `missing`: a run creates no folder). */
  listings?: Map<string, Set<string>>;
  /** The run's tree files (DiskContext.treeFiles) of a name. */
  treeFiles?: (name: string) => SourceFile[];
  /**
   * A folder's entries, each a file or a folder, sorted by name (DiskContext.folderFiles, subfolders, and `listings`
   * above): listed once per run and thread; none for a folder that cannot be listed.
   */
  entries?: (dir: string) => { name: string; folder: boolean }[];
  /** What formats derive from the run's files, each value made once (DiskContext.once): kept as long as the disk. */
  derived?: Map<string, unknown>;
  /** A folder's real path (DiskContext.realFolder), asked once per run and thread; undefined for one not there. */
  real?: (dir: string) => string | undefined;
}

/** A candidate of the run that a format may ask for across the scanned trees (FormatEntry.treeFile): its display and absolute paths. */
export interface TreeFile {
  path: string;
  absPath: string;
}

/**
 * The disk of a run (one per run and thread: its caches live as long); `tree`: the run's tree files; `writes`: whether
 * the run may write (a fix; false for a scan, whose other folders are then listed once each); `listed`: the folders
 * the run's walk listed (src/io/discover.ts Discovered.listed), taken as they were listed when the run writes nothing.
 */
export function runDisk(
  maxBytes?: number,
  settled?: () => Promise<void>,
  tree: TreeFile[] = [],
  writes = true,
  listed?: Map<string, Dirent[]>,
): Disk {
  const reads = new FolderReads();
  const projectFiles = diskProjectFiles(maxBytes);
  const folderListings = writes ? undefined : new Map<string, string[]>();
  return {
    siblings: diskSiblings(maxBytes, false, reads),
    reads,
    projectFiles,
    folders: diskSiblings(maxBytes, true, undefined, folderListings),
    ...(folderListings ? { folderListings, folderAnswers: {} } : {}),
    missing: new Set(),
    listings: new Map(),
    ...(settled ? { settled } : {}),
    // Read through the project files' reader: its checks, and its cache.
    treeFiles: (name) =>
      tree
        .filter((t) => path.posix.basename(t.path) === name)
        .flatMap((t) => projectFiles(path.dirname(t.absPath), path.posix.dirname(t.path), name) ?? []),
    entries: folderEntries(writes ? undefined : listed),
    derived: new Map(),
    real: realFolders(),
  };
}

/** Folders' real paths (Disk.real), each asked once. */
function realFolders(): NonNullable<Disk['real']> {
  const known = new Map<string, string | undefined>();
  return (dir: string) => {
    if (!known.has(dir)) {
      let real: string | undefined;
      try {
        real = process.platform === 'win32' ? realpathSync(dir) : realpathSync.native(dir);
      } catch {
        real = undefined;
      }
      known.set(dir, real);
    }
    return known.get(dir);
  };
}

/**
 * A folder's entries (Disk.entries), each folder listed once: a folder the walk listed (`walked`) is not listed again
 * (a Pulumi program's folder, for its stack files; a SAM template's, for its samconfig files: one readdir each, 3% of
 * a dense scan, docs/performance.md, sixty-third session).
 */
function folderEntries(walked?: Map<string, Dirent[]>): NonNullable<Disk['entries']> {
  const listed = new Map<string, { name: string; folder: boolean }[]>();
  return (dir: string) => {
    let found = listed.get(dir);
    if (!found) {
      try {
        found = (walked?.get(dir) ?? readdirSync(dir, { withFileTypes: true }))
          .map((e) => ({ name: e.name, folder: e.isDirectory() }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        found = [];
      }
      walked?.delete(dir);
      listed.set(dir, found);
    }
    return found;
  };
}

/**
 * The DiskContext of some files of one format: their siblings (read on the first call only, and
 * handed to `onSiblings` for the write's checks) and the project files they ask for.
 */
export function contextFor(disk: Disk, files: SourceFile[], format: Format, onSiblings?: (read: SiblingRead) => void): DiskContext {
  let read: SiblingRead | undefined;
  return {
    siblings: async () => {
      read ??= disk.siblings(files, format);
      onSiblings?.(read);
      return read.files;
    },
    projectFile: async (from, name, accept) => nearestProjectFile(disk.projectFiles, from, name, accept),
    folder: async (from, rel) => {
      const base = path.dirname(from.absPath);
      // A folder named in the listing of the asking file's own folder (a Terraform module's var-file
      // folders, eight names asked for by every file of the module): one listing, not a stat each.
      // Names compared ignoring case: on a case-insensitive disk `Env` is `env` (the stat below decides).
      if (disk.missing && isName(rel) && !entriesOf(disk, base).has(rel.toLowerCase())) return undefined;
      // The folder's files are the siblings of a file no folder holds (a name no file has).
      const none = '\0';
      const at: SourceFile = {
        path: path.posix.normalize(path.posix.join(path.posix.dirname(from.path), rel, none)),
        absPath: path.join(base, rel, none),
        text: '',
      };
      const dir = path.dirname(at.absPath);
      if (disk.missing?.has(dir)) return undefined;
      // A folder that is not there (most var-file folders a Terraform module is asked about): no listing's error to build.
      if (disk.missing && !disk.folderListings?.has(dir) && !existsSync(dir)) {
        disk.missing.add(dir);
        return undefined;
      }
      await disk.settled?.();
      try {
        return (disk.folders ?? disk.siblings)([at], format).files;
      } catch (e) {
        // siblings.ts words the listing's failure, with the system's code in it.
        if (/\b(ENOENT|ENOTDIR)\b/.test((e as Error).message)) disk.missing?.add(dir);
        return undefined;
      }
    },
    treeFiles: async (name) => (disk.treeFiles?.(name) ?? []).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    folderFiles: async (from, rel, accept) => {
      const dir = path.join(path.dirname(from.absPath), rel);
      const names = (disk.entries?.(dir) ?? []).filter((e) => !e.folder && accept(e.name));
      // Most asks find none (a Pulumi program's stack files, a template's samconfig files): no display path made.
      if (names.length === 0) return [];
      const shown = path.posix.normalize(path.posix.join(path.posix.dirname(from.path), rel));
      // Read through the project files' reader: its checks, and its cache.
      return names.flatMap((e) => disk.projectFiles(dir, shown, e.name, true) ?? []);
    },
    subfolders: async (from, rel) =>
      (disk.entries?.(path.join(path.dirname(from.absPath), rel)) ?? []).flatMap((e) => (e.folder ? [e.name] : [])),
    once: <T>(key: string, make: () => T): T => {
      const derived = disk.derived;
      if (!derived) return make();
      if (!derived.has(key)) derived.set(key, make());
      return derived.get(key) as T;
    },
    ...(disk.folderAnswers ? { folderAnswers: disk.folderAnswers } : {}),
    ...(disk.real ? { realFolder: async (from: SourceFile, rel: string) => disk.real?.(path.join(path.dirname(from.absPath), rel)) } : {}),
  };
}

/** One folder's name (`env`), not a path (`../env`, `a/b`). */
const isName = (rel: string) => rel !== '' && rel !== '.' && rel !== '..' && !/[\\/]/.test(rel);

/** The names in `dir`, lower-cased (kept for the run; an unreadable folder has none, as existsSync would say of its children). */
function entriesOf(disk: Disk, dir: string): Set<string> {
  let names = disk.listings?.get(dir);
  if (!names) {
    names = new Set((disk.entries?.(dir) ?? []).map((e) => e.name.toLowerCase()));
    disk.listings?.set(dir, names);
  }
  return names;
}
