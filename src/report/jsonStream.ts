/**
 * The JSON report of a fix that writes as it goes, or of a preview (src/io/stream.ts), with nothing
 * of it held to the end (issue 16: memory flat whatever the tree's size). Each file, once settled,
 * is let go: its tables and its diff (if changed), as the report prints them, go to a spool file
 * (src/io/spool.ts: a file of the run's own in the system's temp folder; memory keeps where each
 * one is and the file's place in the run's order), and only a file with an error is kept, without
 * its tables, for the `errors` array. The end prints the report: the tables and then the files,
 * read back in the run's order.
 *
 * So the report is, byte for byte, the one the whole result gives (src/report/jsonReport.ts
 * fixJson): the same fields, layout (`JSON.stringify(report, null, 2)`), counts and order, whatever
 * order the files settled in (workers, chunks).
 */
import type { FileError, FileOutcome } from '../core/result.js';
import { OrderedSpool } from '../io/spool.js';
import type { Settled } from '../io/stream.js';
import { type Tally, emptyTally, fixNotes } from './fold.js';
import { jsonElement, jsonElements, printJsonArray } from './jsonArray.js';
import { fixSummary, tableJson } from './jsonReport.js';
import { allErrors, countTable } from './summary.js';

/** The report's `tables` and `files` elements stand 4 spaces in. */
const INDENT = 4;

export class JsonFixStream {
  /** The tables let go (all of them), and the fix's counts. */
  readonly tally: Tally = emptyTally();
  /** --fix-parameterised's and --recreate-replicas' notes, with their file's place in the run's order. */
  private readonly noted: [number, string][] = [];
  /** Each file's tables ('tables') and files entry ('files'), as the report prints them. */
  private readonly spool = new OrderedSpool();

  /** `inPlace`: the fix writes its files (else a preview: `fix --dry-run`, `--check`, nothing written). */
  constructor(
    private readonly out: (text: string) => void,
    private readonly inPlace = true,
  ) {}

  /** --fix-parameterised's and --recreate-replicas' notes, in the run's order. */
  get notes(): string[] {
    return [...this.noted].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  }

  /**
   * A settled file: its tables (`fixed` when its change is in the output, `written` when that output
   * is the file itself) and its diff spooled. What the run keeps of it: the outcome without tables
   * when it has an error (the caller adds a failure to it), else nothing.
   */
  settle(o: FileOutcome, how: Settled): FileOutcome | undefined {
    const written = how.delivered && this.inPlace;
    const tables: string[] = [];
    for (const t of o.tables) {
      const fixed = t.planned === true && how.delivered;
      countTable(t, this.tally);
      if (t.planned) this.tally.planned++;
      if (t.planned && t.keptKey !== undefined) this.tally.keptKeys = (this.tally.keptKeys ?? 0) + 1;
      if (fixed) this.tally.fixed++;
      for (const note of fixNotes(t)) this.noted.push([how.order, note]);
      tables.push(jsonElement(tableJson({ ...t, fixed, written: fixed && written }, true), INDENT));
    }
    if (tables.length > 0) this.spool.append('tables', how.order, jsonElements(tables, INDENT));
    if (how.diff !== undefined) this.spool.append('files', how.order, jsonElement({ file: o.file.path, diff: how.diff, written }, INDENT));
    if (o.error === undefined && how.error === undefined) {
      this.tally.files++;
      return undefined;
    }
    return { ...o, tables: [] };
  }

  /**
   * The report, printed: the spooled tables and files in the run's order, then the errors (of the
   * run, and of the files kept), the notes and the summary. `changed`/`written`: files changed and
   * written in all. The spool is removed.
   */
  end(kept: FileOutcome[], errors: FileError[], notes: string[], changed: number, written: number): void {
    this.out('{\n  "version": 1,\n  "tables": ');
    printJsonArray(this.spool.texts('tables'), INDENT, this.out);
    this.out(',\n  "files": ');
    printJsonArray(this.spool.texts('files'), INDENT, this.out);
    const rest = {
      errors: allErrors(kept, errors),
      notes,
      summary: fixSummary(kept, errors, this.tally, { planned: this.tally.planned, fixed: this.tally.fixed, changed, written }),
    };
    this.out(`,\n${JSON.stringify(rest, null, 2).slice(2)}\n`);
    this.discard();
  }

  /** Removes the spool (after end, or when the run failed). */
  discard(): void {
    this.spool.discard();
  }
}
