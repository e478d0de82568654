/**
 * The text report of a fix in place that writes as it goes (src/io/stream.ts), kept small: once a
 * file is settled (unchanged, or its change written or refused), what the report would only count
 * is counted here and let go; what it prints stays, in the run's order: the tables it names ("not
 * fixed:" lines, the notes of src/rule/evaluate.ts FIX_NOTE) and the files with an error. So
 * the run's result does not grow with the tree (issue 16: memory flat), and the report is the one
 * the whole result would give (test/cli/streamed-report.test.ts). The JSON report lists every
 * table, so it folds nothing.
 */
import type { FileError, FileOutcome, TableReport } from '../core/result.js';
import { type TableCounts, countTable, noTables } from './summary.js';
import { FIX_NOTE, hasFixNote } from '../rule/evaluate.js';

/**
 * The notes a fix prints once for a table it planned: what a waived obstacle's flag did, and what the
 * fix changes beyond the table (TableReport.cautions).
 */
export function fixNotes(t: TableReport): string[] {
  if (!t.planned) return [];
  const said = FIX_NOTE.exec(t.message)?.[2];
  const notes = said === undefined ? [] : [said];
  if (t.cautions) notes.push(...t.cautions);
  return notes.map((n) => `${t.file}:${t.line} ${t.address}: ${n}`);
}

/** The counts of the tables and files let go (errors stay in their outcomes), and what a fix adds. */
export interface Tally extends TableCounts {
  files: number;
  planned: number;
  /** Planned and in the output (written). */
  fixed: number;
  /** Planned, and keeping the key they named (TableReport.keptKey): with every planned table so, the fix's note says so (src/cli/fix.ts). */
  keptKeys?: number;
}

export function emptyTally(): Tally {
  return { ...noTables(), files: 0, planned: 0, fixed: 0 };
}

/**
 * A settled file: what the report keeps of it (undefined: nothing), the rest added to `tally`.
 * `written`: its change is on disk; `failed`: why its change is not (its outcome keeps it).
 */
export function fold(o: FileOutcome, written: boolean, failed: FileError | undefined, tally: Tally): FileOutcome | undefined {
  // A table the report prints: not compliant and not fixed, planned and not fixed (the exit code),
  // or fixed through a waived obstacle (a note).
  const named = (t: TableReport) => {
    const fixed = t.planned === true && written;
    return (!t.compliant && !fixed) || (t.planned === true && !fixed) || hasFixNote(t);
  };
  const kept = o.tables.filter(named);
  const keep = kept.length > 0 || o.error !== undefined || failed !== undefined;
  if (!keep) tally.files++;
  for (const t of o.tables) {
    if (named(t)) continue;
    countTable(t, tally);
    if (t.planned) tally.planned++;
    if (t.planned && t.keptKey !== undefined) tally.keptKeys = (tally.keptKeys ?? 0) + 1;
    if (t.planned && written) tally.fixed++;
  }
  return keep ? { ...o, tables: kept } : undefined;
}
