/**
 * The paths git tracks, read from a work tree's index (`.git/index`), for discovery: .gitignore
 * applies to untracked files only, so a tracked file a pattern matches (a CDK app's `lib/` under a
 * Python template's `lib/` rule, force-added) is read as git shows it. Read only when a .gitignore
 * rule leaves a path out, once per work tree; without git itself (no process is started).
 *
 * Index versions 2, 3 and 4 (path prefix compression); a sparse index's folder entries count for
 * everything below them. Anything else (an unknown version, a split index's shared part, a damaged
 * file) gives no answer, and the path stays ignored as before.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Tracked {
  /** Tracked files and sparse folder entries, `/`-separated, relative to the work tree. */
  files: Set<string>;
  /** Every folder holding a tracked path, `/`-separated, relative to the work tree. */
  dirs: Set<string>;
}

/** The index file of a work tree: `.git/index`, or, where `.git` is a file (`gitdir: ...`: a worktree, a submodule), the index of that folder. */
function indexPath(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return path.join(dotGit, 'index');
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    return m ? path.join(path.resolve(root, m[1]), 'index') : undefined;
  } catch {
    return undefined;
  }
}

/** The paths an index lists, or undefined when it cannot be read as one. */
export function parseIndex(buf: Buffer): string[] | undefined {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = buf.readUInt32BE(8);
  const paths: string[] = [];
  let p = 12;
  // Version 4: the previous path, one char a byte (latin1), as its prefix is counted in bytes.
  let previous = '';
  for (let i = 0; i < count; i++) {
    const start = p;
    if (p + 62 > buf.length) return undefined;
    const flags = buf.readUInt16BE(p + 60);
    p += 62;
    if (version >= 3 && flags & 0x4000) p += 2;
    let name: string;
    if (version === 4) {
      // The number of bytes to drop from the previous path (git's offset varint), then the rest of this one.
      let byte = buf[p++];
      let drop = byte & 0x7f;
      while (byte & 0x80) {
        if (p >= buf.length) return undefined;
        byte = buf[p++];
        drop = ((drop + 1) << 7) | (byte & 0x7f);
      }
      const end = buf.indexOf(0, p);
      if (end < 0 || drop > previous.length) return undefined;
      previous = previous.slice(0, previous.length - drop) + buf.toString('latin1', p, end);
      name = /[\u0080-\u00ff]/.test(previous) ? Buffer.from(previous, 'latin1').toString('utf8') : previous;
      p = end + 1;
    } else {
      // The name's length is in the flags (0xfff: that long or longer, then up to its NUL).
      const length = flags & 0xfff;
      const end = length < 0xfff ? p + length : buf.indexOf(0, p);
      if (end < 0 || end > buf.length) return undefined;
      name = buf.toString('utf8', p, end);
      // NUL padding to a multiple of 8 bytes from the entry's start (at least one NUL).
      p = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    if (p > buf.length) return undefined;
    paths.push(name.charCodeAt(name.length - 1) === 47 ? name.slice(0, -1) : name);
  }
  return paths;
}

const cache = new Map<string, Tracked | null>();

/** What the work tree at `root` (a folder holding `.git`) tracks; undefined when its index cannot be read. */
export function trackedIn(root: string): Tracked | undefined {
  let t = cache.get(root);
  if (t === undefined) {
    t = null;
    const file = indexPath(root);
    let paths: string[] | undefined;
    try {
      paths = file ? parseIndex(readFileSync(file)) : undefined;
    } catch {
      paths = undefined;
    }
    if (paths) {
      const dirs = new Set<string>();
      for (const f of paths)
        for (let k = f.lastIndexOf('/'); k > 0 && !dirs.has(f.slice(0, k)); k = f.lastIndexOf('/', k - 1)) dirs.add(f.slice(0, k));
      t = { files: new Set(paths), dirs };
    }
    cache.set(root, t);
  }
  return t ?? undefined;
}
