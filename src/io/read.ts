/**
 * Reading a file from disk, the one way kmsfix does it (candidates and a group's sibling files
 * alike): never blocking on a FIFO or a device, a size limit, the substring prefilter on raw
 * bytes, then UTF-16 and UTF-32, binary (a NUL byte anywhere) and UTF-8 checks, then BOM removal. Unreadable
 * input becomes a FileError with line and column. Each read also records the file's stamp, checked
 * again just before the file is replaced (src/io/write.ts).
 */
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { LineIndex, stripBom } from '../core/text.js';
import type { SourceFile } from '../core/types.js';
import type { FileError } from '../core/result.js';
import { misplaced } from './placed.js';

/** The default input size limit (`--max-file-size`, in MB). */
export const DEFAULT_MAX_FILE_MB = 5;
export const MAX_FILE_BYTES = DEFAULT_MAX_FILE_MB * 1024 * 1024;

export type ReadResult =
  | { kind: 'file'; file: SourceFile; bom: boolean; stamp: string }
  | { kind: 'skip' }
  | { kind: 'error'; error: FileError }
  /** A symbolic link where the walk found a regular file (made one during the run): not followed, as the walk does not follow one. */
  | { kind: 'link'; error: FileError };

// ignoreBOM keeps a leading BOM in the text, so stripBom sees it and the write restores it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * What identifies one version of a file: device, inode, size, modification and change times (ns).
 * Any write to the file, a rename over it, or a chmod changes it; `touch -r` cannot restore ctime.
 */
export function stampOf(st: BigIntStats): string {
  // Joined, not a template: one flat string (a template of five numbers made a tree of pieces, about
  // 350 bytes against 80; a fix that holds its outcomes keeps one stamp per file to its end).
  return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
}

/** "a FIFO", "a directory"...: what a non-regular file is, for messages. */
export function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Offset of the first byte that is not valid UTF-8. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > buf.length) return i;
    for (let k = 1; k < n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    // The second byte's range after E0, ED, F0 and F4 (Unicode's well-formed table): no overlong form, no
    // encoded surrogate (ED A0..BF, CESU-8), nothing past U+10FFFF.
    const c = buf[i + 1];
    if ((b === 0xe0 && c < 0xa0) || (b === 0xed && c >= 0xa0) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c >= 0x90)) return i;
    i += n;
  }
  return i;
}

/** A text encoding kmsfix recognizes only to name it in an error: it reads UTF-8. */
type WideEncoding = 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** Each wide encoding's byte order mark, in the order they are checked (see wideBom). */
const MARKS: [WideEncoding, number[]][] = [
  ['utf-32le', [0xff, 0xfe, 0, 0]],
  ['utf-32be', [0, 0, 0xfe, 0xff]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/**
 * The UTF-16 or UTF-32 byte order mark a buffer starts with, if any. UTF-32 first: its little-endian mark
 * begins with UTF-16's (FF FE), and a UTF-16 text never begins with U+0000 (its NUL would read as the rest
 * of the mark). Its big-endian mark begins with a NUL: unchecked, such a file was "binary".
 */
export function wideBom(buf: Buffer): WideEncoding | undefined {
  // Every mark starts with FF, FE or 00: any other first byte (an empty file's none) answers without the search
  // (asked twice of each file read: its closures cost 13 ms of 600 Pulumi.yaml files' profile, sixty-fourth session).
  const first = buf[0];
  if (first !== 0xff && first !== 0xfe && first !== 0) return undefined;
  return MARKS.find(([, mark]) => buf.length >= mark.length && mark.every((b, i) => buf[i] === b))?.[0];
}

/**
 * UTF-16 written without a byte order mark (Windows tools' "Unicode" output): its first 32 code units all
 * ASCII characters, a zero byte beside each. Such a file was skipped without a word: the prefilter's
 * substrings are not in its bytes.
 */
function utf16Unmarked(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length, 64) & ~1;
  if (n < 4 || (buf[0] !== 0) === (buf[1] !== 0)) return undefined;
  const le = buf[1] === 0;
  for (let i = 0; i < n; i += 2) {
    const zero = le ? buf[i + 1] : buf[i];
    const c = le ? buf[i] : buf[i + 1];
    if (zero !== 0 || c === 0 || c > 0x7e) return undefined;
  }
  return le ? 'utf-16le' : 'utf-16be';
}

/**
 * A wide file's text, for the prefilter only (the file itself is an error). Node's TextDecoder has no
 * UTF-32: its code points are read by hand after the byte order mark (UTF-32 is known only by one), anything
 * past U+10FFFF or a surrogate as U+FFFD, a trailing partial unit dropped; built a chunk at a time (a 5 MB
 * file is over a million code points, too many arguments for one String.fromCodePoint).
 */
function decodeWide(buf: Buffer, encoding: WideEncoding): string {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return new TextDecoder(encoding).decode(buf);
  const le = encoding === 'utf-32le';
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 4; i + 4 <= buf.length; i += 4) {
    const c = le ? buf.readUInt32LE(i) : buf.readUInt32BE(i);
    chunk.push(c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c);
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

function wideError(path: string, encoding: WideEncoding, marked: boolean): FileError {
  const name = encoding.startsWith('utf-32') ? 'UTF-32' : 'UTF-16';
  const mark = MARKS.find(([e]) => e === encoding)![1];
  const hex = mark.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  const how = marked ? `byte order mark ${hex}` : `${encoding.endsWith('le') ? 'little' : 'big'}-endian, no byte order mark`;
  return { file: path, line: 1, column: 1, message: `${name} text (${how}): kmsfix reads UTF-8 only; convert the file to UTF-8` };
}

const SCRIPT = /\.[cm]?[jt]sx?$/i;

/**
 * `ascii`: the bytes' text when they are all ASCII (asciiText), used instead of decoding them again: for such
 * bytes UTF-8 and Latin-1 give the same string, with no BOM. Every check before the decoding is made all the same.
 */
export function decodeSource(
  buf: Buffer,
  path: string,
  absPath: string,
  ascii?: string,
): { file: SourceFile; bom: boolean } | { error: FileError } {
  const marked = wideBom(buf);
  const wide = marked ?? utf16Unmarked(buf);
  if (wide) return { error: wideError(path, wide, marked !== undefined) };
  // Anywhere in the file, not only near its start: a NUL byte is never part of a text template. A
  // TypeScript or JavaScript source may hold one in a string (go-to-k/cdk-real-drift: `${id}\0...`): it
  // is read when the whole file is UTF-8 (an MPEG transport stream, also `.ts`, is not).
  const nul = buf.indexOf(0);
  const binary = (): { error: FileError } => {
    const before = buf.subarray(0, nul).toString('utf8');
    const pos = new LineIndex(before).position(before.length);
    return { error: { file: path, ...pos, message: 'binary file (NUL byte): not a text template' } };
  };
  if (nul !== -1 && !SCRIPT.test(path)) return binary();
  let text: string;
  try {
    text = ascii ?? decoder.decode(buf);
  } catch {
    if (nul !== -1) return binary();
    const at = firstInvalidUtf8(buf);
    const pos = new LineIndex(buf.subarray(0, at).toString('utf8')).position(buf.subarray(0, at).toString('utf8').length);
    return { error: { file: path, ...pos, message: `not valid UTF-8 (byte 0x${buf[at]?.toString(16)} at offset ${at})` } };
  }
  const { text: body, bom } = stripBom(text);
  return { file: { path, absPath, text: body }, bom };
}

/**
 * How a file is opened (src/io/placed.ts says why):
 *
 * - `follow`: a symbolic link is followed (project files, other folders' files, a file reached through
 *   a link named on the command line: read, never written);
 * - `own`: a file kmsfix may write (a candidate): a link is not followed (a file the walk found
 *   regular and made a link since: `link` in the answer, never read through), and the file must be
 *   where the walk found it (not reached through a folder made a link since: an error);
 * - `either`: a group's other file, read for its plan (a module's file may link to a shared one): a
 *   link is followed, and the answer says whether the file was a regular file where the walk found
 *   it (`placed`): only such a read may be a candidate's (SharedReads).
 */
export type ReadHow = 'follow' | 'own' | 'either';

/** A file read: its bytes, its stamp, and (`own` and `either`) whether it was where the walk found it. */
export interface BytesRead {
  buf: Buffer;
  stamp: string;
  placed?: boolean;
  /** The bytes' text once asked for (asciiText), false when they are not all ASCII. */
  ascii?: string | false;
}

/**
 * The text of a read whose bytes are all ASCII, made once for the read: the candidates' prefilter (which reads
 * the bytes as Latin-1) and both readers' decoding (UTF-8) then share one string instead of making up to three
 * copies of the file (a module's file is read as a sibling first, then taken as a candidate). Undefined when a
 * byte is not ASCII: such a file is decoded as before.
 */
export function asciiText(read: BytesRead): string | undefined {
  if (read.ascii === undefined) read.ascii = isAscii(read.buf) && read.buf.toString('latin1');
  return read.ascii === false ? undefined : read.ascii;
}

/** O_NOFOLLOW where there is one (not on Windows). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A file's bytes and stamp, or why it cannot be read. Never blocks: O_NONBLOCK, and only regular files are read. */
export function readBytes(
  absPath: string,
  path: string,
  maxBytes = MAX_FILE_BYTES,
  how: ReadHow = 'follow',
): BytesRead | { error: FileError; link?: true } {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. It changes
    // nothing for a regular file, and anything else is refused below before a byte is read.
    const flags = constants.O_RDONLY | constants.O_NONBLOCK;
    let placed: boolean | undefined;
    if (how === 'follow') fd = openSync(absPath, flags);
    else
      try {
        fd = openSync(absPath, flags | NOFOLLOW);
        const at = misplaced(fd, absPath);
        if (at !== undefined && how === 'own')
          return {
            error: {
              file: path,
              message: `not where kmsfix found it: a folder on its path was moved or replaced (by a symbolic link?) during the run, and the path now leads to ${at}: not read (run kmsfix again)`,
            },
          };
        placed = at === undefined;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
        if (how === 'own') return { error: { file: path, message: 'a symbolic link (made one during the run): not followed' }, link: true };
        fd = openSync(absPath, flags);
        placed = false;
      }
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) return { error: { file: path, message: `not a regular file (${kindOf(st)}): skipped` } };
    const size = Number(st.size);
    if (size > maxBytes) {
      return {
        error: {
          file: path,
          message: `skipped: larger than ${formatMb(maxBytes)} (${formatMb(size)}; raise the limit with --max-file-size)`,
        },
      };
    }
    let buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got < size) buf = buf.subarray(0, got);
    return placed === undefined ? { buf, stamp: stampOf(st) } : { buf, stamp: stampOf(st), placed };
  } catch (err) {
    return { error: { file: path, message: `cannot read: ${describeError(err)}` } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The bytes of the folder a run is reading, shared by its two readers (src/io/siblings.ts
 * FolderReads): the candidates' reader takes a file the group's reader read already, and leaves
 * it the files it read, so a module's files are read from disk once.
 */
export interface SharedReads {
  /** A read of this file made in this run (once: it is then forgotten), within the size limit. */
  take(absPath: string, maxBytes: number): BytesRead | undefined;
  keep(absPath: string, read: BytesRead): void;
}

/**
 * readBytes, through the folder's shared reads when given: a read the other reader made is taken, a
 * new one left for it. A candidate (`own`) takes only a read of a regular file where the walk found it.
 */
export function readShared(
  absPath: string,
  path: string,
  maxBytes: number,
  shared: SharedReads | undefined,
  how: ReadHow = 'follow',
): ReturnType<typeof readBytes> {
  const taken = shared?.take(absPath, maxBytes);
  if (taken && (how !== 'own' || taken.placed)) return taken;
  const read = readBytes(absPath, path, maxBytes, how);
  if (!('error' in read)) shared?.keep(absPath, read);
  return read;
}

export async function readCandidate(
  absPath: string,
  path: string,
  explicit: boolean,
  prefilter: (raw: string) => boolean,
  maxBytes = MAX_FILE_BYTES,
  shared?: SharedReads,
  /** Reached through a symbolic link named on the command line (read, never written): followed. */
  throughLink = false,
  /**
   * Given the bytes' UTF-8 text (a BOM kept, invalid bytes as U+FFFD: `readFileSync(absPath, 'utf8')`'s string) once
   * they are read, whatever the prefilter and the decoding say: the run's project notes (src/io/cdkApps.ts) take a
   * Pulumi.yaml or cdk.json candidate's text from here instead of reading the file again.
   */
  utf8?: (text: string) => void,
): Promise<ReadResult> {
  // Synchronous: open, fstat, read, close, without a thread-pool round trip for each (reading many
  // small files was mostly waiting); the size limit is checked before anything is read.
  const read = readShared(absPath, path, maxBytes, shared, throughLink ? 'follow' : 'own');
  if ('error' in read) return 'link' in read ? { kind: 'link', error: read.error } : { kind: 'error', error: read.error };
  const { buf, stamp } = read;
  const wide = wideBom(buf) ?? utf16Unmarked(buf);
  // A UTF-16 or UTF-32 file is reported when it holds a table (its prefilter sees the decoded text), not skipped silently.
  const ascii = wide ? undefined : asciiText(read);
  const raw = wide ? decodeWide(buf, wide) : (ascii ?? buf.toString('latin1'));
  // All ASCII: its Latin-1 string is its UTF-8 one (and holds no BOM).
  utf8?.(ascii ?? buf.toString('utf8'));
  if (!explicit && !prefilter(raw)) return { kind: 'skip' };
  const decoded = decodeSource(buf, path, absPath, ascii);
  if ('error' in decoded) return { kind: 'error', error: decoded.error };
  return { kind: 'file', ...decoded, stamp };
}

/**
 * "5 MB", "5.2 MB"; under 0.1 MB, where one decimal of MB says "0.0 MB" (`--max-file-size 0.001`), "1 KB", "1.5 KB",
 * and under 1 KB "512 bytes" (whole bytes: a limit of 0.000001 MB is one byte).
 */
export function formatMb(bytes: number): string {
  const one = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const mb = bytes / 1024 / 1024;
  if (mb >= 0.1) return `${one(mb)} MB`;
  if (bytes >= 1024) return `${one(bytes / 1024)} KB`;
  const whole = Math.floor(bytes);
  return `${whole} byte${whole === 1 ? '' : 's'}`;
}

/** An fs error as a short message: "permission denied (EACCES)". */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'symbolic link loop',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EISDIR: 'is a directory',
    ENOTDIR: 'a path component is not a directory',
    EEXIST: 'already exists',
    EIO: 'input/output error',
    EFBIG: 'file too large',
  };
  if (e && typeof e.code === 'string' && reasons[e.code]) return `${reasons[e.code]} (${e.code})`;
  return e instanceof Error ? e.message : String(err);
}
