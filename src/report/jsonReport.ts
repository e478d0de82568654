/** The JSON report (`--format json`): a stable, versioned shape. */
import { allErrors, allTables, summarize } from './summary.js';
import type { FileError, FileOutcome, TableReport } from '../core/result.js';

function tableJson(t: TableReport, withFixed: boolean) {
  const out: Record<string, unknown> = {
    file: t.file,
    line: t.line,
    column: t.column,
    format: t.format,
    type: t.type,
    address: t.address,
    status: t.status,
    compliant: t.compliant,
    fixable: t.fixable,
    message: t.message,
    peers: t.peers,
    suppressions: t.suppressions,
  };
  if (withFixed) {
    out.planned = t.planned === true;
    out.fixed = t.fixed === true;
    out.written = t.written === true;
  }
  return out;
}

export function scanJson(outcomes: FileOutcome[], errors: FileError[]) {
  return {
    version: 1,
    tables: allTables(outcomes).map((t) => tableJson(t, false)),
    errors: allErrors(outcomes, errors),
    summary: summarize(outcomes, errors),
  };
}

export function fixJson(
  outcomes: FileOutcome[],
  errors: FileError[],
  files: { file: string; diff: string; written: boolean }[],
  notes: string[] = [],
) {
  const tables = allTables(outcomes);
  return {
    version: 1,
    tables: tables.map((t) => tableJson(t, true)),
    files,
    errors: allErrors(outcomes, errors),
    notes,
    summary: {
      ...summarize(outcomes, errors),
      planned: tables.filter((t) => t.planned).length,
      fixed: tables.filter((t) => t.fixed).length,
      filesChanged: files.length,
      filesWritten: files.filter((f) => f.written).length,
    },
  };
}
