/**
 * The JSON report of a fix in place that writes as it goes (src/io/stream.ts), with nothing of it
 * held to the end (issue 16: memory flat whatever the tree's size). Each file, once settled, is
 * let go: its tables are printed at once, its diff (if changed) is appended to a spool file, and
 * only a file with an error is kept, without its tables, for the `errors` array. The end prints the
 * spooled diffs as the `files` array, then `errors`, `notes` and `summary`.
 *
 * The report has the same fields, the same layout (`JSON.stringify(report, null, 2)`) and the same
 * counts as the whole result's (src/report/jsonReport.ts fixJson, the path of a fix that keeps every
 * outcome); its tables and files are in the order the files settled (unchanged files at once,
 * changed ones once their chunk is written), not the run's order.
 *
 * The spool is a file of this run's own in the system's temp folder, opened exclusively, readable by
 * its owner only, and unlinked as soon as it is open where the system allows it (Linux, macOS): it
 * is gone with the process, whatever ends it.
 */
import { closeSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { writeAll } from '../io/write.js';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { lazyRequire } from '../core/lazy.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { type Tally, emptyTally, parameterisedNote } from './fold.js';
import { fixSummary, tableJson } from './jsonReport.js';
import { allErrors, countTable } from './summary.js';

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** An array element of `JSON.stringify(report, null, 2)`: at depth 2, after its separator. */
const element = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');

export class JsonFixStream {
  /** The tables let go (all of them), and the fix's counts. */
  readonly tally: Tally = emptyTally();
  /** --fix-parameterised's notes, in the order their files settled. */
  readonly notes: string[] = [];
  private tables = 0;
  private files = 0;
  private spool: { fd: number; path: string; unlinked: boolean } | undefined;

  /** `inPlace`: the fix writes its files (else a preview: `fix --dry-run`, `--check`, nothing written). */
  constructor(
    private readonly out: (text: string) => void,
    private readonly inPlace = true,
  ) {}

  /**
   * A settled file: its tables printed (`fixed` when its change is in the output, `delivered`;
   * `written` when that output is the file itself), its diff spooled. What the run keeps of it: the
   * outcome without tables when it has an error (`failed` is added to it by the caller), else nothing.
   */
  settle(o: FileOutcome, delivered: boolean, failed: FileError | undefined, diff: string | undefined): FileOutcome | undefined {
    const written = delivered && this.inPlace;
    for (const t of o.tables) {
      const fixed = t.planned === true && delivered;
      countTable(t, this.tally);
      if (t.planned) this.tally.planned++;
      if (fixed) this.tally.fixed++;
      const note = parameterisedNote(t);
      if (note !== undefined) this.notes.push(note);
      this.out(
        (this.tables++ === 0 ? '{\n  "version": 1,\n  "tables": [\n    ' : ',\n    ') +
          element(tableJson({ ...t, fixed, written: fixed && written }, true)),
      );
    }
    if (diff !== undefined) this.spoolFile({ file: o.file.path, diff, written });
    if (o.error === undefined && failed === undefined) {
      this.tally.files++;
      return undefined;
    }
    return { ...o, tables: [] };
  }

  /**
   * The rest of the report: the spooled files, the errors (of the run, and of the files kept), the
   * notes and the summary. `changed`/`written`: files changed and written in all. The spool is removed.
   */
  end(kept: FileOutcome[], errors: FileError[], notes: string[], changed: number, written: number): void {
    const head = this.tables === 0 ? '{\n  "version": 1,\n  "tables": [],\n  "files": ' : '\n  ],\n  "files": ';
    if (this.files === 0) this.out(`${head}[]`);
    else {
      this.out(`${head}[\n    `);
      this.copySpool();
      this.out('\n  ]');
    }
    const rest = {
      errors: allErrors(kept, errors),
      notes,
      summary: fixSummary(kept, errors, this.tally, { planned: this.tally.planned, fixed: this.tally.fixed, changed, written }),
    };
    this.out(`,\n${JSON.stringify(rest, null, 2).slice(2)}\n`);
  }

  /** Closes and removes the spool (after end, or when the run failed). */
  discard(): void {
    if (!this.spool) return;
    const { fd, path: file, unlinked } = this.spool;
    this.spool = undefined;
    closeSync(fd);
    if (!unlinked) rmSync(file, { force: true });
  }

  private spoolFile(entry: { file: string; diff: string; written: boolean }): void {
    if (!this.spool) {
      const file = path.join(os.tmpdir(), `kmsfix-${process.pid}-${crypto().randomBytes(6).toString('hex')}.files.json`);
      const fd = openSync(file, 'wx+', 0o600);
      let unlinked = false;
      try {
        unlinkSync(file);
        unlinked = true;
      } catch {
        // Not while it is open (some Windows file systems): removed by discard.
      }
      this.spool = { fd, path: file, unlinked };
    }
    writeAll(this.spool.fd, (this.files++ === 0 ? '' : ',\n    ') + element(entry));
  }

  private copySpool(): void {
    const { fd } = this.spool!;
    const buffer = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder('utf8');
    for (let at = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, at);
      if (n === 0) break;
      at += n;
      this.out(decoder.write(buffer.subarray(0, n)));
    }
    const last = decoder.end();
    if (last) this.out(last);
    this.discard();
  }
}
