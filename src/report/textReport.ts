/** Human-readable reports: one line per table, then a summary line. */
import pc from 'picocolors';
import { failingRules } from '../rule/peers/evaluate.js';
import type { Status } from '../rule/status.js';
import type { Summary } from './summary.js';
import type { TableReport } from '../core/result.js';

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

function paint(status: Status, c: Colors): string {
  switch (status) {
    case 'customer-managed':
      return c.green(status);
    case 'aws-managed':
      return c.yellow(status);
    case 'aws-owned':
      return c.red(status);
    case 'unknown':
      return c.magenta(status);
    case 'suppressed':
      return c.dim(status);
  }
}

export function tableLine(t: TableReport, c: Colors): string {
  const fails = failingRules(t.peers);
  const peers = !t.compliant && fails.length > 0 ? `  (fails ${fails.join(', ')})` : '';
  return `${t.file}:${t.line}  ${t.address}  ${paint(t.status, c)}  ${t.message}${peers}`;
}

export function summaryLine(s: Summary, extra = ''): string {
  const files = `${s.files} file${s.files === 1 ? '' : 's'}`;
  return (
    `${s.tables} table${s.tables === 1 ? '' : 's'} in ${files}: ${s.compliant} compliant, ${s.nonCompliant} non-compliant ` +
    `(${s.fixable} fixable${s.inTests ? `, ${s.inTests} more in test code, left alone without --include-tests` : ''}), ` +
    `${s.errors} error${s.errors === 1 ? '' : 's'}${extra}`
  );
}
