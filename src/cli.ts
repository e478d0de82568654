/**
 * The command line: `kmsfix scan` and `kmsfix fix`. Parses flags, runs the engine, prints
 * reports, asks before writing when a person is at the terminal, writes atomically.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { run } from './engine/run.js';
import { writeAtomic } from './engine/write.js';
import type { FileError, FileOutcome } from './engine/pipeline.js';
import { colorDiff, fileDiff, fullText } from './report/diff.js';
import { fixJson, scanJson } from './report/json.js';
import { allErrors, allTables, formatError, summarize } from './report/summary.js';
import { colors, summaryLine, tableLine } from './report/text.js';
import type { FixOptions, KeyStrategy } from './types.js';

export interface Io {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** stdin and stdout are both terminals. */
  interactive: boolean;
  /** stdout is a terminal (colours). */
  color: boolean;
  ask(question: string): Promise<string>;
}

const processIo: Io = {
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
  color: !!process.stdout.isTTY && !process.env.NO_COLOR,
  ask: async (q) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(q);
    } finally {
      rl.close();
    }
  },
};

export const HELP = `kmsfix: find DynamoDB tables not encrypted with a customer-managed KMS key, and fix the code.

Usage:
  kmsfix scan [PATH...]   every DynamoDB table found, with its encryption status (PATH defaults to ".")
  kmsfix fix  [PATH...]   prints a unified diff of every change, then writes

Options:
  --dry-run               fix: print the diff, write nothing (exit 1 if something would change)
  --patch FILE            fix: write the unified diff to FILE, touch no source file
                          (\`git apply FILE\` from this directory produces what fix would write)
  --yes                   fix: never ask (fix asks "Apply N changes? [y/N]" only on a terminal)
  --key-strategy per-table|shared
                          one new key per table (default), or one key per template
  --kms-key-arn VALUE     use this existing key for every fixed table; generate no key
  --accept-aws-managed    count the AWS managed key (alias/aws/dynamodb) as compliant
  --format text|json      output format (default: text)
  --version, --help

Exit codes:
  scan  0 all compliant, 1 some table non-compliant, 2 a file could not be read or parsed, or bad usage
  fix   0 done; with --dry-run 1 if it would change something; 2 on errors (other files are still processed)
`;

class UsageError extends Error {}

function version(): string {
  const require = createRequire(import.meta.url);
  for (const p of ['../package.json', '../../package.json']) {
    try {
      return (require(p) as { version: string }).version;
    } catch {
      /* next */
    }
  }
  return 'unknown';
}

interface Parsed {
  command: 'scan' | 'fix';
  paths: string[];
  dryRun: boolean;
  patch?: string;
  yes: boolean;
  format: 'text' | 'json';
  options: FixOptions;
}

function parse(argv: string[]): Parsed | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'dry-run': { type: 'boolean' },
      patch: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'key-strategy': { type: 'string' },
      'kms-key-arn': { type: 'string' },
      'accept-aws-managed': { type: 'boolean' },
      format: { type: 'string' },
      version: { type: 'boolean', short: 'V' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...paths] = positionals;
  if (command !== 'scan' && command !== 'fix') {
    throw new UsageError(command ? `unknown command '${command}' (expected scan or fix)` : 'missing command (scan or fix)');
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const keyStrategy = values['key-strategy'] ?? 'per-table';
  if (keyStrategy !== 'per-table' && keyStrategy !== 'shared') {
    throw new UsageError(`--key-strategy must be per-table or shared, not '${keyStrategy}'`);
  }
  const arn = values['kms-key-arn'];
  if (arn !== undefined && (arn.trim() === '' || /(^|[:/])alias\/aws\/dynamodb$/.test(arn.trim()))) {
    throw new UsageError('--kms-key-arn must name a customer-managed key, not empty and not alias/aws/dynamodb');
  }
  if (command === 'scan') {
    for (const f of ['dry-run', 'patch', 'yes', 'key-strategy', 'kms-key-arn'] as const) {
      if (values[f] !== undefined) throw new UsageError(`--${f} is an option of fix, not scan`);
    }
  }
  if (values['dry-run'] && values.patch) throw new UsageError('--dry-run and --patch cannot be combined');
  return {
    command,
    paths,
    dryRun: !!values['dry-run'],
    patch: values.patch,
    yes: !!values.yes,
    format,
    options: {
      keyStrategy: keyStrategy as KeyStrategy,
      kmsKeyArn: arn,
      acceptAwsManaged: !!values['accept-aws-managed'],
    },
  };
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.err(`kmsfix: ${(err as Error).message}\nRun 'kmsfix --help' for usage.\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  if (parsed === 'version') {
    io.out(`kmsfix ${version()}\n`);
    return 0;
  }
  const result = await run(parsed.paths, { ...parsed.options, cwd: io.cwd, mode: parsed.command });
  return parsed.command === 'scan' ? scan(parsed, result.outcomes, result.errors, io) : fix(parsed, result.outcomes, result.errors, io);
}

function scan(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io): number {
  const summary = summarize(outcomes, errors);
  if (p.format === 'json') {
    io.out(JSON.stringify(scanJson(outcomes, errors), null, 2) + '\n');
  } else {
    const c = colors(io.color);
    for (const t of allTables(outcomes)) io.out(tableLine(t, c) + '\n');
    for (const e of allErrors(outcomes, errors)) io.err(`error: ${formatError(e)}\n`);
    io.out(summaryLine(summary) + '\n');
  }
  return summary.errors > 0 ? 2 : summary.nonCompliant > 0 ? 1 : 0;
}

async function fix(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io): Promise<number> {
  const changed = outcomes.filter((o) => o.newText !== undefined);
  const diffs = changed.map((o) => ({ outcome: o, diff: fileDiff(o) }));
  const patch = diffs.map((d) => d.diff).join('');
  const fixedCount = allTables(outcomes).filter((t) => t.fixed).length;
  const c = colors(io.color);
  const text = p.format === 'text';

  let write = !p.dryRun && !p.patch && changed.length > 0;
  if (p.patch) await fs.writeFile(path.resolve(io.cwd, p.patch), patch);
  if (text && !p.patch && patch) io.out(io.color ? colorDiff(patch, c) : patch);
  if (write && io.interactive && !p.yes && text) {
    const answer = await io.ask(`Apply ${fixedCount} change${fixedCount === 1 ? '' : 's'}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.err('Nothing written.\n');
      write = false;
    }
  }
  const written = new Set<FileOutcome>();
  if (write) {
    for (const o of changed) {
      try {
        await writeAtomic(o.file.absPath, fullText(o, o.newText!));
        written.add(o);
      } catch (err) {
        o.error = { file: o.file.path, message: `cannot write: ${(err as Error).message}` };
      }
    }
  }
  const allErrs = allErrors(outcomes, errors);
  if (text) {
    for (const t of allTables(outcomes)) if (!t.compliant && !t.fixed) io.err(`not fixed: ${tableLine(t, c)}\n`);
    for (const e of allErrs) io.err(`error: ${formatError(e)}\n`);
    const verb = p.patch ? `patch written to ${p.patch}` : write ? `${written.size} file${written.size === 1 ? '' : 's'} written` : p.dryRun ? 'dry run, nothing written' : 'nothing written';
    io.err(summaryLine(summarize(outcomes, errors), `; ${fixedCount} fixed in ${changed.length} file${changed.length === 1 ? '' : 's'}, ${verb}`) + '\n');
  } else {
    const files = diffs.map((d) => ({ file: d.outcome.file.path, diff: d.diff, written: written.has(d.outcome) }));
    io.out(JSON.stringify(fixJson(outcomes, errors, files), null, 2) + '\n');
  }
  if (allErrs.length > 0) return 2;
  if (p.dryRun && changed.length > 0) return 1;
  return 0;
}
