/**
 * Texts kept on disk instead of in memory, and read back in the caller's order: what a fix that
 * writes as it goes still has to print or write at its end (the JSON report's tables and diffs, the
 * patches of --patch and --patch-dir), in the run's order whatever order its files settled in.
 * Memory holds three values per text, listed by key.
 *
 * The file is this run's own in the system's temp folder, opened exclusively, readable by its owner
 * only, and unlinked as soon as it is open where the system allows it (Linux, macOS): it is gone
 * with the process, whatever ends it. Elsewhere `discard` removes it. When it cannot be made or
 * written (no writable temp folder, a full disk), the texts from then on are kept in memory, as
 * they were before there was a spool: slower to grow flat, never lost.
 */
import { closeSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lazyRequire } from '../core/lazy.js';
import { writeAll } from './write.js';
import type { FileOutcome } from '../core/result.js';

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** Where a text is in the file; or the text itself, when it could not be written there. */
interface Stored {
  at: number;
  length: number;
  text?: string;
}

/**
 * One key's texts: where each is in the file, and its order, as parallel lists of numbers (a fix of
 * 35,000 files kept one object a text before, each with a hidden class of its own: 5 MB at 8x the
 * bench's corpus); `texts` holds those kept in memory, by index.
 */
interface Kept {
  at: number[];
  length: number[];
  order: number[];
  texts?: Map<number, string>;
}

export class OrderedSpool {
  private file: { fd: number; path: string; unlinked: boolean; bytes: number } | undefined;
  /** The file could not be made or written: texts are kept in memory. */
  private inMemory = false;
  /** Each key's texts, in the order they were kept. */
  private readonly entries = new Map<string, Kept>();

  /** Keeps `text` under `key`, at `order`. */
  append(key: string, order: number, text: string): void {
    const stored = this.store(text);
    let kept = this.entries.get(key);
    if (!kept) this.entries.set(key, (kept = { at: [], length: [], order: [] }));
    if (stored.text !== undefined) (kept.texts ??= new Map()).set(kept.at.length, stored.text);
    kept.at.push(stored.at);
    kept.length.push(stored.length);
    kept.order.push(order);
  }

  /** Writes `text` to the file (or keeps it, when the file cannot be written), and says where it is: `read` gives it back. */
  store(text: string): Stored {
    const file = this.inMemory ? undefined : (this.file ?? this.open());
    if (file) {
      const bytes = Buffer.from(text);
      try {
        writeAll(file.fd, bytes);
        const at = file.bytes;
        file.bytes += bytes.length;
        return { at, length: bytes.length };
      } catch {
        // What was written of it is never read: the next texts go to memory too.
        this.inMemory = true;
      }
    }
    return { at: -1, length: 0, text };
  }

  /** Whether the texts kept so far all went to the file. */
  get onDisk(): boolean {
    return this.file !== undefined && !this.inMemory;
  }

  /** Whether some text is kept under `key`. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The texts kept under `key`, by order (ties: in the order they were kept). */
  *texts(key: string): Generator<string> {
    const kept = this.entries.get(key);
    if (!kept) return;
    const indexes = kept.order.map((_, i) => i).sort((a, b) => kept.order[a] - kept.order[b] || a - b);
    for (const i of indexes) yield this.read({ at: kept.at[i], length: kept.length[i], text: kept.texts?.get(i) });
  }

  /** Closes and removes the file. */
  discard(): void {
    this.entries.clear();
    if (!this.file) return;
    const { fd, path: file, unlinked } = this.file;
    this.file = undefined;
    closeSync(fd);
    if (!unlinked) rmSync(file, { force: true });
  }

  private open(): OrderedSpool['file'] {
    try {
      const file = path.join(os.tmpdir(), `kmsfix-${process.pid}-${crypto().randomBytes(6).toString('hex')}.spool`);
      const fd = openSync(file, 'wx+', 0o600);
      let unlinked = false;
      try {
        unlinkSync(file);
        unlinked = true;
      } catch {
        // Not while it is open (some Windows file systems): removed by discard.
      }
      this.file = { fd, path: file, unlinked, bytes: 0 };
    } catch {
      this.inMemory = true;
    }
    return this.file;
  }

  /** A text stored (`store`), read back. */
  read(e: Stored): string {
    if (e.text !== undefined) return e.text;
    const buffer = Buffer.allocUnsafe(e.length);
    for (let n = 0; n < e.length; ) {
      const got = readSync(this.file!.fd, buffer, n, e.length - n, e.at + n);
      if (got === 0) throw new Error('the spool file ended early');
      n += got;
    }
    return buffer.toString('utf8');
  }
}

/**
 * Texts of files kept on disk by outcome, for a fix that needs them after its run (src/io/stream.ts,
 * a stream that holds): the new text each changed file is written with once the prompt or
 * --commit's checks allow it, each changed file's diff, and each file's tables (as JSON).
 */
type TextKind = 'content' | 'diff' | 'tables';

export class FileTexts {
  private readonly spool = new OrderedSpool();
  /** Per outcome, where each of its texts is (no key strings or lists: a held fix keeps one of these per file of the tree). */
  private readonly stored = new Map<FileOutcome, Partial<Record<TextKind, Stored>>>();

  /** Keeps `text` as what `o` is written with (`content`), its diff, or its tables. */
  keep(o: FileOutcome, kind: TextKind, text: string): void {
    const at = this.spool.store(text);
    const kept = this.stored.get(o);
    if (kept) kept[kind] = at;
    else this.stored.set(o, { [kind]: at });
  }

  /** The text kept for `o` (undefined: none). */
  get(o: FileOutcome, kind: TextKind): string | undefined {
    const at = this.stored.get(o)?.[kind];
    return at === undefined ? undefined : this.spool.read(at);
  }

  discard(): void {
    this.stored.clear();
    this.spool.discard();
  }
}
