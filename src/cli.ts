/**
 * The command line: `kmsfix scan` and `kmsfix fix`. Parses flags, runs the engine, prints
 * reports, asks before writing when a person is at the terminal, writes atomically.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './io/packages.js';
import { run, type RunResult } from './engine/run.js';
import { LockError, acquireLocks, treeRoots, type Lock } from './io/lock.js';
import { OutputError, checkPatchDir, checkPatchFile, realish } from './io/outputs.js';
import type { Cleanup } from './io/temp.js';
import { guardWrites } from './io/guard.js';
import { writePatchDir } from './report/patchdir.js';
import { commitRepositories, commitRefusals } from './report/commit.js';
import { mailNow } from './report/commitMessage.js';
import { progress } from './report/progress.js';
import { writeGroups, writeOutputAtomic } from './io/write.js';
import { colorDiff, fileDiff, fullText, outsideCwd } from './report/diff.js';
import { fixJson, scanJson } from './report/jsonReport.js';
import { sarifLog } from './report/sarif.js';
import { allErrors, allTables, formatError, summarize } from './report/summary.js';
import { colors, summaryLine, tableLine } from './report/textReport.js';
import type { FixOptions, KeyStrategy } from './core/types.js';
import { PROFILES, type Profile } from './rule/peers/evaluate.js';
import { DEFAULT_KEY_POLICY, KEY_POLICY_MODES, type KeyPolicyMode } from './rule/keyPolicy.js';
import { DEFAULT_MAX_FILE_MB } from './io/read.js';
import type { FileError, FileOutcome } from './core/result.js';

export interface Io {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** stdin and stdout are both terminals. */
  interactive: boolean;
  /** stdout is a terminal (colours). */
  color: boolean;
  /** stderr is a terminal (progress display). */
  progress?: boolean;
  ask(question: string): Promise<string>;
}

const processIo: Io = {
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
  color: !!process.stdout.isTTY && !process.env.NO_COLOR,
  progress: !!process.stderr.isTTY,
  ask: async (q) => {
    const { createInterface } = await import('node:readline/promises');
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
  --patch-dir DIR         fix: one patch per git repository under the paths, DIR/<repository>.patch
                          (\`git apply\` at that repository's root), DIR/<repository>.mbox (\`git am\`: one
                          commit with a message for reviewers), and DIR/summary.json; touch no source file
  --check                 fix: write nothing, list the files fix would change, exit 1 if any (for CI)
  --force                 fix: also write files that have uncommitted changes in their git work tree
  --commit                fix: then, in each git repository written to, one commit on a new branch
                          kmsfix/dynamodb-cmk with a message for reviewers (never pushed)
  --quiet, -q             no progress display on stderr; fix: no diff on stdout (the summary stays)
  --yes                   fix: never ask (fix asks "Apply N changes? [y/N]" only on a terminal)
  --key-strategy per-table|shared
                          one new key per table (default), or one key per template
  --kms-key-arn VALUE     use this existing key for every fixed table; generate no key
  --key-policy drop-in|iam
                          the policy of generated keys: drop-in (default) lets every principal of the
                          account use the key through DynamoDB only, like aws/dynamodb (no IAM change);
                          iam leaves all use to IAM policies (each app role then needs kms: permissions)
  --accept-aws-managed    count the AWS managed key (alias/aws/dynamodb) as compliant
  --include-tests         also fix tables in test code (below test/, tests/, __tests__/, and
                          *.test.ts / *.spec.ts files), which are otherwise reported, not changed
  --fix-parameterised     fix: also fix tables whose encryption a template parameter's default decides
                          (SSEEnabled: !Ref EnableSSE with Default: false): the table's settings are
                          written explicitly and the parameter no longer controls them
  --profile strict|checkov|trivy|kics|cfn-nag|cfn-guard|aws-config
                          scan: whose rules decide compliance and the exit code (default strict:
                          a customer-managed key; a tool's profile follows that tool's own rules)
  --max-file-size MB      read files up to this size (default ${DEFAULT_MAX_FILE_MB}); fix writes no file larger,
                          so that later runs with the same limit can read what it wrote
  --format text|json|sarif
                          output format (default: text); sarif (2.1.0, for GitHub code scanning)
                          with scan or fix --dry-run
  --version, --help

Exit codes:
  scan  0 all compliant, 1 some table non-compliant, 2 a file could not be read or parsed, or bad usage
  fix   0 done; with --dry-run 1 if it would change something; 2 on errors (other files are still processed)
`;

class UsageError extends Error {}

/** kmsfix's own version: the package.json above this file (dist/src or dist/bundle). */
function version(): string {
  return packageVersion(fileURLToPath(import.meta.url));
}

interface Parsed {
  command: 'scan' | 'fix';
  paths: string[];
  dryRun: boolean;
  patch?: string;
  patchDir?: string;
  check: boolean;
  commit: boolean;
  force: boolean;
  quiet: boolean;
  yes: boolean;
  format: 'text' | 'json' | 'sarif';
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
      'patch-dir': { type: 'string' },
      check: { type: 'boolean' },
      commit: { type: 'boolean' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      yes: { type: 'boolean', short: 'y' },
      'key-strategy': { type: 'string' },
      'kms-key-arn': { type: 'string' },
      'key-policy': { type: 'string' },
      'accept-aws-managed': { type: 'boolean' },
      'include-tests': { type: 'boolean' },
      'fix-parameterised': { type: 'boolean' },
      'max-file-size': { type: 'string' },
      format: { type: 'string' },
      profile: { type: 'string' },
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
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  if (format === 'sarif' && command === 'fix' && !values['dry-run']) throw new UsageError('--format sarif goes with scan or fix --dry-run');
  const keyStrategy = values['key-strategy'] ?? 'per-table';
  if (keyStrategy !== 'per-table' && keyStrategy !== 'shared') {
    throw new UsageError(`--key-strategy must be per-table or shared, not '${keyStrategy}'`);
  }
  const arn = values['kms-key-arn'];
  if (arn !== undefined && (arn.trim() === '' || /(^|[:/])alias\/aws\/dynamodb$/.test(arn.trim()))) {
    throw new UsageError('--kms-key-arn must name a customer-managed key, not empty and not alias/aws/dynamodb');
  }
  const keyPolicy = values['key-policy'] ?? DEFAULT_KEY_POLICY;
  if (!(KEY_POLICY_MODES as readonly string[]).includes(keyPolicy)) {
    throw new UsageError(`--key-policy must be ${KEY_POLICY_MODES.join(' or ')}, not '${keyPolicy}'`);
  }
  if (values['key-policy'] !== undefined && arn !== undefined) {
    throw new UsageError('--key-policy and --kms-key-arn cannot be combined: with --kms-key-arn no key is generated');
  }
  const maxMb = values['max-file-size'] ?? String(DEFAULT_MAX_FILE_MB);
  if (!/^\d+(\.\d+)?$/.test(maxMb) || Number(maxMb) <= 0)
    throw new UsageError(`--max-file-size must be a number of MB above 0, not '${maxMb}'`);
  const profile = values.profile ?? 'strict';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not '${profile}'`);
  }
  if (command === 'fix' && values.profile !== undefined) {
    throw new UsageError('--profile is an option of scan: fix always writes customer-managed keys, which satisfy every profile');
  }
  if (command === 'scan') {
    for (const f of [
      'dry-run',
      'patch',
      'patch-dir',
      'check',
      'commit',
      'force',
      'yes',
      'key-strategy',
      'kms-key-arn',
      'key-policy',
      'fix-parameterised',
    ] as const) {
      if (values[f] !== undefined) throw new UsageError(`--${f} is an option of fix, not scan`);
    }
  }
  if (values['dry-run'] && values.patch) throw new UsageError('--dry-run and --patch cannot be combined');
  const outputs = (['dry-run', 'patch', 'patch-dir', 'check'] as const).filter((f) => values[f] !== undefined);
  if (outputs.length > 1) throw new UsageError(`--${outputs[0]} and --${outputs[1]} cannot be combined`);
  if (values.commit && outputs.length) throw new UsageError(`--commit goes with a fix in place, not --${outputs[0]}`);
  if (values.commit && values.force)
    throw new UsageError('--commit and --force cannot be combined: a commit holds only files without uncommitted changes');
  return {
    command,
    paths,
    dryRun: !!values['dry-run'],
    patch: values.patch,
    patchDir: values['patch-dir'],
    check: !!values.check,
    commit: !!values.commit,
    force: !!values.force,
    quiet: !!values.quiet,
    yes: !!values.yes,
    format,
    options: {
      keyStrategy: keyStrategy as KeyStrategy,
      kmsKeyArn: arn,
      keyPolicy: keyPolicy as KeyPolicyMode,
      acceptAwsManaged: !!values['accept-aws-managed'],
      includeTests: !!values['include-tests'],
      fixParameterised: !!values['fix-parameterised'],
      profile: profile as Profile,
      maxFileBytes: Math.round(Number(maxMb) * 1024 * 1024),
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
  const p = parsed;
  const inPlace = p.command === 'fix' && !p.dryRun && !p.patch && !p.patchDir && !p.check;
  // Outputs that cannot be written are refused before the run, with exit 2.
  try {
    if (p.patch) checkPatchFile(p.patch, p.paths, io.cwd);
    if (p.patchDir) checkPatchDir(p.patchDir, p.paths, io.cwd);
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    io.err(`kmsfix: ${err.message}\n`);
    return 2;
  }
  // A fix in place holds the lock of its trees from before it reads until it has written.
  let lock: Lock | undefined;
  if (inPlace) {
    try {
      lock = acquireLocks(treeRoots(p.paths, io.cwd));
    } catch (err) {
      if (!(err instanceof LockError)) throw err;
      io.err(`kmsfix: ${err.message}\n`);
      return 2;
    }
  }
  try {
    const bar = progress(!!io.progress && !p.quiet, io.err, io.cwd, process.stderr.columns);
    const result = await run(p.paths, {
      ...p.options,
      // SARIF carries each table's fix: a scan plans them too.
      planFixes: p.format === 'sarif',
      cwd: io.cwd,
      mode: p.command,
      onProgress: bar.update,
      cleanTemps: inPlace,
    });
    bar.done();
    const notes = [
      ...(lock?.takenOver ?? []).map((t) => `took over the lock of a kmsfix run that is no longer running: ${t}`),
      ...cleanupNotes(result.cleanup),
    ];
    if (p.format === 'text') for (const n of notes) io.err(`note: ${n}\n`);
    if (p.format === 'sarif') return sarif(p, result.outcomes, result.errors, io);
    return p.command === 'scan' ? scan(p, result.outcomes, result.errors, io) : await fix(p, result, io, notes);
  } finally {
    lock?.release();
  }
}

function cleanupNotes(c: Cleanup | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  if (c.completed.length) out.push(`completed the write of a group that an interrupted kmsfix run had begun: ${c.completed.join(', ')}`);
  const temps = c.removed.filter((t) => !t.endsWith('.journal')).length;
  if (temps) out.push(`removed ${temps} temp file${temps === 1 ? '' : 's'} left by an interrupted kmsfix run`);
  return out;
}

/** SARIF for scan and fix --dry-run: same exit codes as their text and JSON forms. */
function sarif(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io): number {
  io.out(JSON.stringify(sarifLog(outcomes, errors, version()), null, 2) + '\n');
  const summary = summarize(outcomes, errors);
  if (summary.errors > 0) return 2;
  if (p.command === 'fix') return outcomes.some((o) => o.newText !== undefined) ? 1 : 0;
  return summary.nonCompliant > 0 ? 1 : 0;
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

async function fix(p: Parsed, result: RunResult, io: Io, notes: string[]): Promise<number> {
  const { outcomes } = result;
  const changed = outcomes.filter((o) => o.newText !== undefined);
  const c = colors(io.color);
  const text = p.format === 'text';
  const inPlace = !p.dryRun && !p.patch && !p.patchDir && !p.check;
  const planned = allTables(outcomes).filter((t) => t.planned).length;
  // A parameter no longer controls what --fix-parameterised wrote explicitly: said once per table (src/rule/evaluate.ts words it).
  for (const t of allTables(outcomes)) {
    const said = t.planned ? /Fixed with --fix-parameterised: (.*)$/.exec(t.message)?.[1] : undefined;
    if (said === undefined) continue;
    const note = `${t.file}:${t.line} ${t.address}: ${said}`;
    notes.push(note);
    if (text) io.err(`note: ${note}\n`);
  }
  /** The files whose change is in this run's output: written in place, or in the patch written. */
  const delivered = new Set<FileOutcome>();
  const written = new Set<FileOutcome>();
  /** What writing the output added: errors of the run, and errors of files (their change not delivered). */
  const errors = [...result.errors];
  const failed = new Map<FileOutcome, FileError>();
  // Each diff is built only when something shows or writes it (not for `fix --yes --quiet`).
  const diffs = (list: FileOutcome[]) => list.map((o) => fileDiff(o)).join('');

  if (p.patch) {
    const inPatch: FileOutcome[] = [];
    for (const o of changed) {
      if (outsideCwd(o.file.path)) {
        failed.set(o, {
          file: o.file.path,
          message:
            'outside the current directory: left out of the patch (git apply works only below the folder it runs in; run kmsfix from a folder that holds it, or use --patch-dir)',
        });
      } else inPatch.push(o);
    }
    try {
      await writeOutputAtomic(path.resolve(io.cwd, p.patch), diffs(inPatch), p.patch);
      for (const o of inPatch) delivered.add(o);
    } catch (err) {
      errors.push({ file: p.patch, message: (err as Error).message });
    }
  }
  if (p.patchDir) {
    try {
      checkPatchDir(p.patchDir, p.paths, io.cwd, new Set(outcomes.map((o) => realish(o.file.absPath))));
      const r = await writePatchDir(p.patchDir, p.paths, io.cwd, outcomes, errors, result.repos, {
        ...p.options,
        version: version(),
        date: mailNow(),
      });
      for (const o of r.delivered) delivered.add(o);
      errors.push(...r.unwritten);
      if (text) io.out(r.table);
    } catch (err) {
      if (!(err instanceof OutputError)) throw err;
      errors.push({ file: p.patchDir, message: err.message });
    }
  }
  if (text && p.check) for (const o of changed) io.out(`${o.file.path}\n`);
  if (text && (p.dryRun || inPlace) && !p.quiet && changed.length > 0) {
    const d = diffs(changed);
    io.out(io.color ? colorDiff(d, c) : d);
  }
  if (p.dryRun || p.check) for (const o of changed) delivered.add(o);

  let write = inPlace && changed.length > 0;
  const guarded = write ? await guardWrites(changed, p.force) : { allowed: [], refused: new Map<FileOutcome, FileError>() };
  for (const [o, e] of guarded.refused) failed.set(o, e);
  let allowed = guarded.allowed;
  if (p.commit && write) {
    const c = await commitRefusals(allowed, guarded.refused);
    for (const [o, e] of c.refused) failed.set(o, e);
    allowed = c.allowed;
  }
  write = allowed.length > 0;
  if (write && io.interactive && !p.yes && text) {
    const count = allowed.flatMap((o) => o.tables).filter((t) => t.planned).length;
    const answer = await io.ask(`Apply ${count} change${count === 1 ? '' : 's'}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.err('Nothing written.\n');
      write = false;
    }
  }
  if (write) {
    const byGroup = new Map<string, FileOutcome[]>();
    allowed.forEach((o, i) => {
      const key = o.group ?? `\0file${i}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), o]);
    });
    const groups = [...byGroup.values()].map((members) => ({
      members,
      write: {
        files: members.map((o) => ({ absPath: o.file.absPath, path: o.file.path, content: fullText(o, o.newText!), stamp: o.stamp })),
        watch: members[0].watched,
      },
    }));
    const outcome = await writeGroups(groups.map((g) => g.write));
    for (const g of groups) {
      g.write.files.forEach((f, i) => {
        const o = g.members[i];
        const err = outcome.get(f);
        if (err) failed.set(o, { file: o.file.path, message: err.message });
        else {
          written.add(o);
          delivered.add(o);
        }
      });
    }
  }
  if (p.commit && written.size > 0) {
    const r = await commitRepositories(outcomes, written, { ...p.options, version: version() }, io.cwd);
    errors.push(...r.errors);
    for (const line of r.notes) {
      if (text) io.err(`${line}\n`);
      notes.push(line);
    }
  }
  return report(p, io, notes, {
    outcomes: delivery(outcomes, delivered, failed, inPlace),
    errors,
    changed,
    delivered,
    written,
    planned,
    write,
  });
}

/**
 * The outcomes as this run's output left them: planned is what the verified fix holds; fixed, what
 * the output holds (the disk for a fix in place, then also written); a file whose output failed has
 * that error. New values: the run's outcomes stay as the engine made them.
 */
function delivery(
  outcomes: FileOutcome[],
  delivered: Set<FileOutcome>,
  failed: Map<FileOutcome, FileError>,
  inPlace: boolean,
): FileOutcome[] {
  return outcomes.map((o) => ({
    ...o,
    ...(failed.has(o) ? { error: failed.get(o) } : {}),
    tables: o.tables.map((t) => {
      const fixed = t.planned === true && delivered.has(o);
      return inPlace ? { ...t, fixed, written: fixed } : { ...t, fixed };
    }),
  }));
}

/** The text or JSON report of a fix, and its exit code. */
function report(
  p: Parsed,
  io: Io,
  notes: string[],
  r: {
    outcomes: FileOutcome[];
    errors: FileError[];
    changed: FileOutcome[];
    delivered: Set<FileOutcome>;
    written: Set<FileOutcome>;
    planned: number;
    write: boolean;
  },
): number {
  const { outcomes, errors, changed, delivered, written, planned, write } = r;
  const c = colors(io.color);
  const text = p.format === 'text';
  const fixed = allTables(outcomes).filter((t) => t.fixed).length;
  const allErrs = allErrors(outcomes, errors);
  if (text) {
    for (const t of allTables(outcomes)) if (!t.compliant && !t.fixed) io.err(`not fixed: ${tableLine(t, c)}\n`);
    for (const e of allErrs) io.err(`error: ${formatError(e)}\n`);
    const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
    const verb = p.patchDir
      ? `patches written to ${p.patchDir}`
      : p.check
        ? 'check, nothing written'
        : p.patch
          ? delivered.size > 0 || changed.length === 0
            ? `patch written to ${p.patch}`
            : 'no patch written'
          : write
            ? `${files(written.size)} written`
            : p.dryRun
              ? 'dry run, nothing written'
              : 'nothing written';
    const done =
      fixed === planned ? `${planned} fixed in ${files(changed.length)}` : `${planned} planned in ${files(changed.length)}, ${fixed} fixed`;
    io.err(summaryLine(summarize(outcomes, errors), `; ${done}, ${verb}`) + '\n');
  } else {
    const files = changed.map((o) => ({ file: o.file.path, diff: fileDiff(o), written: written.has(o) }));
    io.out(JSON.stringify(fixJson(outcomes, errors, files, notes), null, 2) + '\n');
  }
  if (allErrs.length > 0) return 2;
  // A fixable table left unfixed is an error's doing, unless the user said no at the prompt.
  if (write && allTables(outcomes).some((t) => t.planned && !t.fixed)) return 2;
  if ((p.dryRun || p.check) && changed.length > 0) return 1;
  return 0;
}
