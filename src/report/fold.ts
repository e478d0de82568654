/**
 * The text report of a fix in place that writes as it goes (src/io/stream.ts), kept small: once a
 * file is settled (unchanged, or its change written or refused), what the report would only count
 * is counted here and let go; what it prints stays, in the run's order: the tables it names ("not
 * fixed:" lines, --fix-parameterised notes) and the files with an error. So the run's result does not
 * grow with the tree (issue 16: memory flat), and the report is the one the whole result would give
 * (test/cli/streamed-report.test.ts). The JSON report lists every table, so it folds nothing.
 */
import type { FileError, FileOutcome, TableReport } from '../core/result.js';
import type { Summary } from './summary.js';

/** What --fix-parameterised tells of a table it fixed (src/rule/evaluate.ts words it; cli.ts prints it as a note). */
export const PARAMETERISED_NOTE = /Fixed with --fix-parameterised: (.*)$/;

/** The counts of the tables and files let go: a Summary's (errors stay in their outcomes), and what a fix adds. */
export interface Tally extends Omit<Summary, 'errors' | 'notScanned'> {
  notScanned: number;
  planned: number;
  /** Planned and in the output (written). */
  fixed: number;
}

export function emptyTally(): Tally {
  return { files: 0, tables: 0, compliant: 0, nonCompliant: 0, fixable: 0, inTests: 0, notScanned: 0, planned: 0, fixed: 0 };
}

/**
 * A settled file: what the report keeps of it (undefined: nothing), the rest added to `tally`.
 * `written`: its change is on disk; `failed`: why its change is not (its outcome keeps it).
 */
export function fold(o: FileOutcome, written: boolean, failed: FileError | undefined, tally: Tally): FileOutcome | undefined {
  // A table the report prints: not compliant and not fixed, planned and not fixed (the exit code),
  // or fixed with --fix-parameterised (a note).
  const named = (t: TableReport) => {
    const fixed = t.planned === true && written;
    return (!t.compliant && !fixed) || (t.planned === true && !fixed) || (t.planned === true && PARAMETERISED_NOTE.test(t.message));
  };
  const kept = o.tables.filter(named);
  const keep = kept.length > 0 || o.error !== undefined || failed !== undefined;
  if (!keep) tally.files++;
  for (const t of o.tables) {
    if (named(t)) continue;
    tally.tables++;
    if (t.compliant) tally.compliant++;
    else tally.nonCompliant++;
    if (t.fixable && !t.compliant) tally.fixable++;
    if (t.testCode && !t.compliant) tally.inTests++;
    if (t.notScannedBy) {
      tally.notScanned++;
      tally.profile ??= t.notScannedBy;
    }
    if (t.planned) tally.planned++;
    if (t.planned && written) tally.fixed++;
  }
  return keep ? { ...o, tables: kept } : undefined;
}

/** A summary of the outcomes kept, with the tally of those let go added. */
export function withTally(s: Summary, tally: Tally | undefined): Summary {
  if (!tally) return s;
  const out: Summary = {
    files: s.files + tally.files,
    tables: s.tables + tally.tables,
    compliant: s.compliant + tally.compliant,
    nonCompliant: s.nonCompliant + tally.nonCompliant,
    fixable: s.fixable + tally.fixable,
    inTests: s.inTests + tally.inTests,
    errors: s.errors,
  };
  const notScanned = (s.notScanned ?? 0) + tally.notScanned;
  if (notScanned > 0) Object.assign(out, { notScanned, profile: s.profile ?? tally.profile });
  return out;
}
