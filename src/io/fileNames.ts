/**
 * File names that are not UTF-8 (a Latin-1 `caf\xe9.yaml` copied from an old system). Node's readdir
 * decodes every name as UTF-8, each byte it cannot decode becoming U+FFFD: the name it gives is not
 * the file's, so opening it fails (ENOENT, which reads as if the file had gone), and beside a file
 * whose name really holds U+FFFD both names decode the same, the walk keeps one and the other file is
 * never read. Such a file is not read (the paths of a run are strings from its walk to its writes and
 * its git calls): it is said, by its bytes, so that its owner renames it.
 */
import { type Dirent, readdirSync } from 'node:fs';

/**
 * The entries of `dir` as readdir gave them (`entries`, names decoded as UTF-8), each name that only
 * looks like one (its bytes are not UTF-8) put in `bad` with the name to show (shownBytes). Called
 * only for a folder where some name holds U+FFFD (a real U+FFFD is three valid bytes): the folder is
 * read again by bytes, so a folder of ordinary names costs nothing. A bad entry keeps its decoded
 * name, for the walk's filters (a format's extension, .gitignore rules); nothing opens it.
 */
export function utf8Entries(dir: string, entries: Dirent[], bad: Map<Dirent, string>): Dirent[] {
  let raw: Dirent<Buffer>[];
  try {
    raw = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch {
    return entries;
  }
  const out = entries.filter((e) => !e.name.includes('\uFFFD'));
  for (const r of raw) {
    const bytes = r.name;
    const name = bytes.toString('utf8');
    if (!name.includes('\uFFFD')) continue;
    // The Dirent given the decoded name: the walk reads names as strings.
    const e = Object.assign(r, { name }) as unknown as Dirent;
    if (!Buffer.from(name, 'utf8').equals(bytes)) bad.set(e, shownBytes(bytes));
    out.push(e);
  }
  return out;
}

/**
 * A name's bytes as text: UTF-8 where they are, each other byte as `\xNN` (`caf\xe9.yaml`), so that
 * the message names the file unambiguously and prints as it is.
 */
export function shownBytes(raw: Buffer): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const b = raw[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const seq = raw.subarray(i, i + n);
    const text = n > 0 && seq.length === n ? seq.toString('utf8') : '';
    // Decoded and encoded again to the same bytes: UTF-8 (an overlong form or a surrogate is not).
    if (text && Buffer.from(text, 'utf8').equals(seq)) {
      out += text;
      i += n;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * The names in `dir` that are not UTF-8: decoded (`name`, for a format's test of its extension) and as
 * shown (shownBytes). For the other files of a group (src/io/siblings.ts), when a name holds U+FFFD.
 */
export function nonUtf8Names(dir: string): { name: string; shown: string }[] {
  const bad = new Map<Dirent, string>();
  utf8Entries(dir, [], bad);
  return [...bad].map(([e, shown]) => ({ name: e.name, shown }));
}
