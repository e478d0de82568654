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
}

export function allTables(outcomes: FileOutcome[]): TableReport[] {
  return outcomes.flatMap((o) => o.tables);
}

export function allErrors(outcomes: FileOutcome[], errors: FileError[]): FileError[] {
  return [...errors, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))];
}

export function summarize(outcomes: FileOutcome[], errors: FileError[]): Summary {
  const tables = allTables(outcomes);
  return {
    files: outcomes.length,
    tables: tables.length,
    compliant: tables.filter((t) => t.compliant).length,
    nonCompliant: tables.filter((t) => !t.compliant).length,
    fixable: tables.filter((t) => t.fixable).length,
    inTests: tables.filter((t) => t.testCode).length,
    errors: allErrors(outcomes, errors).length,
  };
}

export function formatError(e: FileError): string {
  const where = e.line ? `${e.file}:${e.line}${e.column ? ':' + e.column : ''}` : e.file;
  return `${where}: ${e.message}`;
}
