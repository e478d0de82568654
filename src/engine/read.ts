/**
 * Reading a candidate file: the substring prefilter on raw bytes, then binary and UTF-8 checks,
 * then BOM removal. Unreadable input becomes a FileError with line and column.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LineIndex, stripBom } from '../text.js';
import type { SourceFile } from '../types.js';
import type { FileError } from './pipeline.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult =
  | { kind: 'file'; file: SourceFile; bom: boolean }
  | { kind: 'skip' }
  | { kind: 'error'; error: FileError };

// ignoreBOM keeps a leading BOM in the text, so stripBom sees it and the write restores it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Offset of the first byte that is not valid UTF-8. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > buf.length) return i;
    for (let k = 1; k < n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += n;
  }
  return i;
}

export function decodeSource(
  buf: Buffer,
  path: string,
  absPath: string,
): { file: SourceFile; bom: boolean } | { error: FileError } {
  const probe = buf.subarray(0, 8192);
  const nul = probe.indexOf(0);
  if (nul !== -1) {
    const pos = new LineIndex(probe.subarray(0, nul).toString('latin1')).position(nul);
    return { error: { file: path, ...pos, message: 'binary file (NUL byte): not a text template' } };
  }
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    const pos = new LineIndex(buf.subarray(0, at).toString('utf8')).position(buf.subarray(0, at).toString('utf8').length);
    return { error: { file: path, ...pos, message: `not valid UTF-8 (byte 0x${buf[at]?.toString(16)} at offset ${at})` } };
  }
  const { text: body, bom } = stripBom(text);
  return { file: { path, absPath, text: body }, bom };
}

export async function readCandidate(
  absPath: string,
  path: string,
  explicit: boolean,
  prefilter: (raw: string) => boolean,
): Promise<ReadResult> {
  // Synchronous: open, fstat, read, close, without a thread-pool round trip for each (reading many
  // small files was mostly waiting); the size limit is checked before anything is read.
  let buf: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      return { kind: 'error', error: { file: path, message: `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` } };
    }
    buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got < size) buf = buf.subarray(0, got);
  } catch (err) {
    return { kind: 'error', error: { file: path, message: `cannot read: ${(err as Error).message}` } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!explicit && !prefilter(buf.toString('latin1'))) return { kind: 'skip' };
  const decoded = decodeSource(buf, path, absPath);
  if ('error' in decoded) return { kind: 'error', error: decoded.error };
  return { kind: 'file', ...decoded };
}
