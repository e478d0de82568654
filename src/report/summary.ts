import type { FileError, FileOutcome, TableReport } from '../core/result.js';
import { shownFile } from './textReport.js';
/** Counting a run's results, for every reporter. */

export interface Summary {
  files: number;
  tables: number;
  compliant: number;
  nonCompliant: number;
  fixable: number;
  /** Tables left alone because they are in test code (fixed with --include-tests). */
  inTests: number;
  errors: number;
  /** Under a peer tool's profile: tables that tool does not scan (counted non-compliant); set only when some are. */
  notScanned?: number;
  /** The profile those were not scanned by (a run split by configuration file whose files set different ones: each, by ', '). */
  profile?: string;
  /** Set only when the tables not scanned are under more than one profile: how many under each, in the run's order. */
  notScannedBy?: Record<string, number>;
}

export function allTables(outcomes: FileOutcome[]): TableReport[] {
  return outcomes.flatMap((o) => o.tables);
}

export function allErrors(outcomes: FileOutcome[], errors: FileError[]): FileError[] {
  return [...errors, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))];
}

/** A summary's counts of tables: what each one means is said in countTable only. */
export interface TableCounts {
  tables: number;
  compliant: number;
  nonCompliant: number;
  fixable: number;
  inTests: number;
  notScanned: number;
  /** The profile of the first table not scanned. */
  profile?: string;
  /** The tables not scanned under each profile, when a table under another than the first's is met (files setting different ones). */
  byProfile?: Record<string, number>;
}

export function noTables(): TableCounts {
  return { tables: 0, compliant: 0, nonCompliant: 0, fixable: 0, inTests: 0, notScanned: 0 };
}

/** Count one table. */
export function countTable(t: TableReport, c: TableCounts): void {
  c.tables++;
  if (t.compliant) c.compliant++;
  else c.nonCompliant++;
  // Fixable counts among the non-compliant: under a tool's profile a table may pass that tool and
  // still be fixable by kmsfix's own rule (an AWS managed key under Trivy's).
  if (t.fixable && !t.compliant) c.fixable++;
  if (t.testCode && !t.compliant) c.inTests++;
  if (t.notScannedBy) {
    c.notScanned++;
    c.profile ??= t.notScannedBy;
    // Another profile than the first's: each one's count from here on (a run of one profile keeps none).
    if (c.byProfile || t.notScannedBy !== c.profile) {
      c.byProfile ??= { [c.profile]: c.notScanned - 1 };
      c.byProfile[t.notScannedBy] = (c.byProfile[t.notScannedBy] ?? 0) + 1;
    }
  }
}

/**
 * The summary of a run's outcomes and errors; `counted`: files and tables already counted and let
 * go (a streamed text fix, src/report/fold.ts), added in.
 */
export function summarize(outcomes: FileOutcome[], errors: FileError[], counted?: TableCounts & { files: number }): Summary {
  const c = noTables();
  for (const t of allTables(outcomes)) countTable(t, c);
  const out: Summary = {
    files: outcomes.length + (counted?.files ?? 0),
    tables: c.tables + (counted?.tables ?? 0),
    compliant: c.compliant + (counted?.compliant ?? 0),
    nonCompliant: c.nonCompliant + (counted?.nonCompliant ?? 0),
    fixable: c.fixable + (counted?.fixable ?? 0),
    inTests: c.inTests + (counted?.inTests ?? 0),
    errors: allErrors(outcomes, errors).length,
  };
  const notScanned = c.notScanned + (counted?.notScanned ?? 0);
  if (notScanned > 0) Object.assign(out, { notScanned, ...profiles(counted, c) });
  return out;
}

/**
 * The profiles the tables not scanned were under, from the counts let go first (`counted`) and then the rest: one
 * profile, named; several (a run split by configuration file whose files set different ones), each, with its count.
 */
function profiles(...counts: (TableCounts | undefined)[]): Pick<Summary, 'profile' | 'notScannedBy'> {
  const by: Record<string, number> = {};
  for (const c of counts) {
    if (!c?.notScanned) continue;
    for (const [p, n] of Object.entries(c.byProfile ?? { [c.profile!]: c.notScanned })) by[p] = (by[p] ?? 0) + n;
  }
  const names = Object.keys(by);
  return names.length === 1 ? { profile: names[0] } : { profile: names.join(', '), notScannedBy: by };
}

export function formatError(e: FileError): string {
  const file = shownFile(e.file);
  const where = e.line ? `${file}:${e.line}${e.column ? ':' + e.column : ''}` : file;
  return `${where}: ${e.message}`;
}
