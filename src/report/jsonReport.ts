/** The JSON report (`--format json`): a stable, versioned shape. */
import { type TableCounts, allErrors, allTables, summarize } from './summary.js';
import type { FileError, FileOutcome, TableReport } from '../core/result.js';

export function tableJson(t: TableReport, withFixed: boolean) {
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
  if (t.cautions) out.cautions = t.cautions;
  if (t.through) out.through = t.through;
  if (withFixed) {
    out.planned = t.planned === true;
    out.fixed = t.fixed === true;
    out.written = t.written === true;
  }
  return out;
}

/** `notes`: what the run says beside its tables and errors (a CDK app in a language kmsfix does not read), as a fix's report has them. */
export function scanJson(outcomes: FileOutcome[], errors: FileError[], notes: string[] = []) {
  return {
    version: 1,
    tables: allTables(outcomes).map((t) => tableJson(t, false)),
    errors: allErrors(outcomes, errors),
    notes,
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
    summary: fixSummary(outcomes, errors, undefined, {
      planned: tables.filter((t) => t.planned).length,
      fixed: tables.filter((t) => t.fixed).length,
      changed: files.length,
      written: files.filter((f) => f.written).length,
    }),
  };
}

/** A fix's summary: the scan's counts (with those `counted` and let go, src/report/jsonStream.ts), then the fix's. */
export function fixSummary(
  outcomes: FileOutcome[],
  errors: FileError[],
  counted: (TableCounts & { files: number }) | undefined,
  fix: { planned: number; fixed: number; changed: number; written: number },
) {
  return {
    ...summarize(outcomes, errors, counted),
    planned: fix.planned,
    fixed: fix.fixed,
    filesChanged: fix.changed,
    filesWritten: fix.written,
  };
}
