/** Human-readable reports: one line per table, then a summary line. */
import type Picocolors from 'picocolors';
import { lazyRequire } from '../core/lazy.js';
import { failingRules } from '../rule/peers/evaluate.js';
import { cautionLabel, isStanding } from '../rule/cautions.js';
import type { Status } from '../rule/status.js';
import type { Summary } from './summary.js';
import type { TableReport } from '../core/result.js';

/** picocolors, required (a CommonJS package: no export analysis by the ES module loader at start-up). */
const pc = lazyRequire<typeof Picocolors>('picocolors');

export type Colors = ReturnType<typeof Picocolors.createColors>;

/** Every formatter of picocolors' `Colors` (its types.d.ts): plain() holds each. */
const FORMATTERS = [
  'reset',
  'bold',
  'dim',
  'italic',
  'underline',
  'inverse',
  'hidden',
  'strikethrough',
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'bgBlack',
  'bgRed',
  'bgGreen',
  'bgYellow',
  'bgBlue',
  'bgMagenta',
  'bgCyan',
  'bgWhite',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
  'bgBlackBright',
  'bgRedBright',
  'bgGreenBright',
  'bgYellowBright',
  'bgBlueBright',
  'bgMagentaBright',
  'bgCyanBright',
  'bgWhiteBright',
] as const satisfies readonly Exclude<keyof Colors, 'isColorSupported'>[];

let noColors: Colors | undefined;

/**
 * What `createColors(false)` gives (every formatter `String`), made without loading picocolors: its top level
 * reads `process.stdout.isTTY`, which makes Node's stdout stream (net, the streams, a pipe's handle) in every run
 * whose output is not coloured, about a tenth of a one-file scan's instructions (docs/performance.md,
 * sixty-fourth session). kmsfix writes stdout with `fs.writeSync` (src/io/stdout.ts) and never needs that stream
 * then. test/report/text-report.test.ts checks it against picocolors' own.
 */
export function plainColors(): Colors {
  if (noColors) return noColors;
  const c = { isColorSupported: false } as Record<string, unknown>;
  for (const name of FORMATTERS) c[name] = String;
  noColors = c as unknown as Colors;
  return noColors;
}

export function colors(enabled: boolean): Colors {
  return enabled ? pc().createColors(true) : plainColors();
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

export interface LineOptions {
  /** The whole message and the peer rules that fire (default: the short reason). */
  verbose?: boolean;
  /** A peer tool's profile: the line shows that tool's verdict, not kmsfix's status. */
  profile?: string;
  /** The whole message, without the peer rules (fix's "not fixed" lines: the reason is what to do). */
  full?: boolean;
}

/** Under a tool's profile: what that tool says of the table. */
function verdict(t: TableReport, profile: string, c: Colors): string {
  if (t.notScannedBy) return c.magenta(`not scanned by ${profile}`);
  if (t.status === 'suppressed' && t.compliant) return c.dim(`suppressed for ${profile}`);
  return t.compliant ? c.green(`passes ${profile}`) : c.red(`fails ${profile}`);
}

/** What the short line adds to the reason: why a non-compliant table is not fixed, or that a compliant one has a caution. */
function shortNote(t: TableReport): string {
  // A caution about a compliant table as it is (its key not kept): its label, the rest under --verbose.
  const standing = t.compliant && !t.fixed ? (t.cautionKinds?.filter(isStanding) ?? []) : [];
  if (standing.length > 0) return `; caution: ${standing.map(cautionLabel).join(', ')} (--verbose says what to do)`;
  if (t.compliant || t.fixed || t.notScannedBy) return '';
  if (t.testCode) return '; test code, left alone (--include-tests fixes it)';
  if (!t.fixable && (t.blocker !== undefined || t.status === 'unknown' || t.message.includes('Not fixable automatically')))
    return '; not fixable automatically (--verbose says what to do)';
  return '';
}

/**
 * A file name as text output shows it: as it is, or, where it holds a control character (a tab or a newline that
 * would split its row), quoted with JSON's escapes (`"we\tird.yaml"`), as the JSON report writes it (session 62's
 * adversarial review, M6).
 */
export function shownFile(file: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters to escape
  return /[\x00-\x1f\x7f]/.test(file) ? JSON.stringify(file) : file;
}

/**
 * A message or address as one row shows it: a line break and the indentation around it (code quoted across lines, a
 * multi-line Terraform expression or heredoc: `is the expression \`(\n  var.a\n  ? true : false\n)\``) become one
 * space, so that each table stays one line for grep and for a reader of 300 repositories' output (session 64's
 * workflow review). JSON and SARIF keep the message as it is.
 */
function oneLine(s: string): string {
  return s.includes('\n') ? s.replace(/[ \t]*\r?\n\s*/g, ' ') : s;
}

/**
 * One table: `file:line  address  status  reason`. By default the short reason; with `verbose`, the
 * whole message and the peer rules that fire. Under a tool's profile the status is that tool's verdict.
 */
export function tableLine(t: TableReport, c: Colors, o: LineOptions = {}): string {
  const profile = o.profile && o.profile !== 'strict' ? o.profile : undefined;
  const status = profile ? verdict(t, profile, c) : paint(t.status, c);
  const address = oneLine(t.address);
  const message = oneLine(t.message);
  if (o.full && !o.verbose) return `${shownFile(t.file)}:${t.line}  ${address}  ${status}  ${message}`;
  if (!o.verbose) {
    const why = profile && t.notScannedBy ? `${oneLine(t.reason ?? t.message)} (kmsfix: ${t.status})` : oneLine(t.reason ?? t.message);
    return `${shownFile(t.file)}:${t.line}  ${address}  ${status}  ${why}${shortNote(t)}`;
  }
  const fails = failingRules(t.peers);
  const peers = fails.length > 0 ? `  (fails ${fails.join(', ')})` : '';
  return `${shownFile(t.file)}:${t.line}  ${address}  ${status}  ${message}${peers}`;
}

export function summaryLine(s: Summary, extra = ''): string {
  const files = `${s.files} file${s.files === 1 ? '' : 's'}`;
  // Files setting different profiles: each, with its count, side by side (nested in the brackets they read
  // `(4 fixable, 2 not scanned (1 by cfn-nag, 1 by cfn-guard))`).
  const notScanned = !s.notScanned
    ? ''
    : s.notScannedBy
      ? Object.entries(s.notScannedBy)
          .map(([p, n]) => `, ${n} not scanned by ${p}`)
          .join('')
      : `, ${s.notScanned} not scanned by ${s.profile}`;
  return (
    `${s.tables} table${s.tables === 1 ? '' : 's'} in ${files}: ${s.compliant} compliant, ${s.nonCompliant} non-compliant ` +
    `(${s.fixable} fixable${notScanned}${s.inTests ? `, ${s.inTests} more in test code, left alone without --include-tests` : ''}), ` +
    `${s.errors} error${s.errors === 1 ? '' : 's'}${extra}`
  );
}
