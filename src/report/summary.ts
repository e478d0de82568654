import type { FileError, FileOutcome, TableReport } from '../core/result.js';
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
  /** The profile those were not scanned by. */
  profile?: string;
}

export function allTables(outcomes: FileOutcome[]): TableReport[] {
  return outcomes.flatMap((o) => o.tables);
}

export function allErrors(outcomes: FileOutcome[], errors: FileError[]): FileError[] {
  return [...errors, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))];
}

export function summarize(outcomes: FileOutcome[], errors: FileError[]): Summary {
  const tables = allTables(outcomes);
  const out: Summary = {
    files: outcomes.length,
    tables: tables.length,
    compliant: tables.filter((t) => t.compliant).length,
    nonCompliant: tables.filter((t) => !t.compliant).length,
    // Fixable counts among the non-compliant: under a tool's profile a table may pass that tool and
    // still be fixable by kmsfix's own rule (an AWS managed key under Trivy's).
    fixable: tables.filter((t) => t.fixable && !t.compliant).length,
    inTests: tables.filter((t) => t.testCode && !t.compliant).length,
    errors: allErrors(outcomes, errors).length,
  };
  const notScanned = tables.filter((t) => t.notScannedBy);
  if (notScanned.length > 0) Object.assign(out, { notScanned: notScanned.length, profile: notScanned[0].notScannedBy });
  return out;
}

export function formatError(e: FileError): string {
  const where = e.line ? `${e.file}:${e.line}${e.column ? ':' + e.column : ''}` : e.file;
  return `${where}: ${e.message}`;
}
