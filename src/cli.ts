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
import { PatchDirWriter } from './report/patchdir.js';
import { commitRepositories, commitRefusals } from './report/commit.js';
import { mailNow } from './report/commitMessage.js';
import { progress } from './report/progress.js';
import { SpooledOutput, writeGroups, writeOutputAtomic } from './io/write.js';
import { FixStream } from './io/stream.js';
import { OrderedSpool } from './io/spool.js';
import { colorDiff, fileDiff, fullText, outsideCwd } from './report/diff.js';
import { fixJson, scanJson } from './report/jsonReport.js';
import { SarifStream } from './report/sarifStream.js';
import { allErrors, allTables, formatError, summarize } from './report/summary.js';
import { type Tally, emptyTally, fold, parameterisedNote } from './report/fold.js';
import { JsonFixStream } from './report/jsonStream.js';
import { colors, summaryLine, tableLine } from './report/textReport.js';
import type { FixOptions, KeyStrategy } from './core/types.js';
import { PROFILES, type Profile } from './rule/peers/evaluate.js';
import { DEFAULT_KEY_POLICY, KEY_POLICY_MODES, type KeyPolicyMode } from './rule/keyPolicy.js';
import { DEFAULT_MAX_FILE_MB } from './io/read.js';
import type { FileError, FileOutcome } from './core/result.js';
import type { Exclude } from './io/discover.js';
import { keyArnUsage } from './rule/keyArn.js';
import { UsageError, applyConfig, checkCommand, checkFlags } from './cli/args.js';
import { ConfigError, findConfig, loadConfig } from './cli/config.js';
import { helpOf } from './cli/help.js';
import { didYouMean } from './cli/suggest.js';
import { captured, checkOutputFile, colorWanted } from './cli/output.js';

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
  color: colorWanted(!!process.stdout.isTTY),
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

export { HELP } from './cli/help.js';

/** kmsfix's own version: the package.json above this file (dist/src or dist/bundle). */
function version(): string {
  return packageVersion(fileURLToPath(import.meta.url));
}

export interface Parsed {
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
  /** --output FILE: the report (stdout) goes there. */
  output?: string;
  verbose: boolean;
  noColor: boolean;
  /** --exclude and the configuration file's exclude. */
  exclude: Exclude[];
}

const OPTIONS = {
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
  config: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'skip-table': { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function parse(argv: string[], cwd: string): Promise<Parsed | { help: string } | 'version'> {
  checkFlags(argv, OPTIONS);
  const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  const values: Record<string, unknown> & typeof parsed.values = parsed.values;
  const positionals = parsed.positionals;
  if (positionals[0] === 'help') return { help: helpOf(positionals[1]) };
  if (values.help) return { help: helpOf(positionals[0]) };
  if (values.version) return 'version';
  const [command, ...paths] = positionals;
  checkCommand(command);
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
  if (command === 'fix' && values.profile !== undefined) {
    throw new UsageError('--profile is an option of scan: fix always writes customer-managed keys, which satisfy every profile');
  }
  // The configuration file: its values under the flags given here.
  const configFile = findConfig(values.config, paths, cwd);
  const config = configFile ? await loadConfig(configFile, cwd) : undefined;
  if (config) applyConfig(values, config, command);
  if (values['key-policy'] !== undefined && values['kms-key-arn'] !== undefined) {
    throw new UsageError('--key-policy and --kms-key-arn cannot be combined: with --kms-key-arn no key is generated');
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, not '${format}'${didYouMean(format, ['text', 'json', 'sarif'])}`);
  if (format === 'sarif' && command === 'fix' && !values['dry-run']) throw new UsageError('--format sarif goes with scan or fix --dry-run');
  const keyStrategy = values['key-strategy'] ?? 'per-table';
  if (keyStrategy !== 'per-table' && keyStrategy !== 'shared') {
    throw new UsageError(`--key-strategy must be per-table or shared, not '${keyStrategy}'`);
  }
  const arn = values['kms-key-arn'];
  const arnProblem = arn === undefined ? undefined : keyArnUsage(arn);
  if (arnProblem) throw new UsageError(arnProblem);
  const keyPolicy = values['key-policy'] ?? DEFAULT_KEY_POLICY;
  if (!(KEY_POLICY_MODES as readonly string[]).includes(keyPolicy)) {
    throw new UsageError(`--key-policy must be ${KEY_POLICY_MODES.join(' or ')}, not '${keyPolicy}'`);
  }
  const maxMb = values['max-file-size'] ?? String(DEFAULT_MAX_FILE_MB);
  if (!/^\d+(\.\d+)?$/.test(maxMb) || Number(maxMb) <= 0)
    throw new UsageError(`--max-file-size must be a number of MB above 0, not '${maxMb}'`);
  const profile = values.profile ?? 'strict';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not '${profile}'${didYouMean(profile, PROFILES)}`);
  }
  if (values['dry-run'] && values.patch) throw new UsageError('--dry-run and --patch cannot be combined');
  const outputs = (['dry-run', 'patch', 'patch-dir', 'check'] as const).filter((f) => values[f] !== undefined);
  if (outputs.length > 1) throw new UsageError(`--${outputs[0]} and --${outputs[1]} cannot be combined`);
  if (values.commit && outputs.length) throw new UsageError(`--commit goes with a fix in place, not --${outputs[0]}`);
  if (values.commit && values.force)
    throw new UsageError('--commit and --force cannot be combined: a commit holds only files without uncommitted changes');
  if (values.patch === '-' && format !== 'text') throw new UsageError(`--patch - and --format ${format} would both write to stdout`);
  if (values.output !== undefined && values.patch !== undefined && values.patch !== '-') {
    throw new UsageError('--output and --patch FILE cannot be combined (--patch - --output FILE writes the patch to FILE)');
  }
  const exclude: Exclude[] = [];
  if (values.exclude?.length) exclude.push({ patterns: values.exclude });
  if (config?.values.exclude?.length) exclude.push({ base: config.dir, patterns: config.values.exclude });
  const skipTables = [...(values['skip-table'] ?? []), ...(config?.values.skip_table ?? [])];
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
    output: values.output,
    verbose: !!values.verbose,
    noColor: !!values['no-color'],
    exclude,
    options: {
      keyStrategy: keyStrategy as KeyStrategy,
      kmsKeyArn: arn,
      keyPolicy: keyPolicy as KeyPolicyMode,
      acceptAwsManaged: !!values['accept-aws-managed'],
      includeTests: !!values['include-tests'],
      fixParameterised: !!values['fix-parameterised'],
      profile: profile as Profile,
      maxFileBytes: Math.round(Number(maxMb) * 1024 * 1024),
      ...(config?.key ? { key: config.key } : {}),
      ...(skipTables.length ? { skipTables } : {}),
    },
  };
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed: Awaited<ReturnType<typeof parse>>;
  try {
    parsed = await parse(argv, io.cwd);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) io.err(`${problem}\n`);
      io.err('kmsfix: the configuration file has errors; nothing was scanned\n');
      return 2;
    }
    const message = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? (err as Error).message.split('. ')[0]
      : (err as Error).message;
    io.err(`kmsfix: ${message}\nRun 'kmsfix help' for usage.\n`);
    return 2;
  }
  if (parsed === 'version') {
    io.out(`kmsfix ${version()}\n`);
    return 0;
  }
  if ('help' in parsed) {
    io.out(parsed.help);
    return 0;
  }
  const p = parsed;
  // --output FILE: what would go to stdout goes to the file, put in place at the end (atomically).
  const sink = p.output === undefined ? undefined : captured(io, p.output, io.cwd);
  const runIo: Io = { ...(sink?.io ?? io), color: !p.noColor && !sink && io.color };
  try {
    if (p.output !== undefined) checkOutputFile(p.output, p.paths, io.cwd);
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    io.err(`kmsfix: ${err.message}\n`);
    return 2;
  }
  const code = await execute(p, runIo, () => sink?.cancel()).catch((err: unknown) => {
    sink?.cancel();
    throw err;
  });
  if (sink && !sink.cancelled) {
    const failed = sink.write();
    if (failed) {
      io.err(`error: ${failed}\n`);
      return 2;
    }
  }
  return code;
}

let commandRan = false;

/** This process ran a scan or a fix (src/cli/start.ts saves the CLI's cached code after one, not after `--version`). */
export function ranCommand(): boolean {
  return commandRan;
}

async function execute(p: Parsed, io: Io, refuseOutput: () => void): Promise<number> {
  commandRan = true;
  const inPlace = p.command === 'fix' && !p.dryRun && !p.patch && !p.patchDir && !p.check;
  // Outputs that cannot be written are refused before the run, with exit 2.
  try {
    if (p.patch && p.patch !== '-') checkPatchFile(p.patch, p.paths, io.cwd);
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
  let stream: Streamed | undefined;
  let sarifOut: SarifStream | undefined;
  try {
    const bar = progress(!!io.progress && !p.quiet, io.err, io.cwd, process.stderr.columns);
    // Without a prompt, a fix in place writes each chunk of verified groups as it goes (io/stream.ts);
    // not with --commit, which refuses a whole repository before anything of it is written.
    const prompt = io.interactive && !p.yes && p.format === 'text';
    const outputAbs = p.output === undefined ? undefined : realish(path.resolve(io.cwd, p.output));
    /** Whether --output names a file this run read (with a stream, checked as each file settles: the result may not keep them all). */
    let clash = false;
    // A preview (--dry-run, --check) goes as it does too, without the writes; not SARIF, one document of every result.
    const preview = p.command === 'fix' && (p.dryRun || p.check) && p.format !== 'sarif';
    // So do --patch and --patch-dir with the text report (the JSON report holds each file's diff).
    const patching = p.command === 'fix' && (p.patch !== undefined || p.patchDir !== undefined) && p.format === 'text';
    const seen = (o: FileOutcome) => {
      if (outputAbs !== undefined && !clash) clash = realish(o.file.absPath) === outputAbs;
    };
    const writer =
      (inPlace && !prompt && !p.commit) || preview
        ? fixStream(p, io, inPlace, bar.done, seen)
        : patching
          ? patchStream(p, io, seen)
          : undefined;
    stream = writer;
    // SARIF: each batch's results spooled as the run goes, the outcomes let go of their texts.
    sarifOut = p.format === 'sarif' ? new SarifStream() : undefined;
    const sarifSink = sarifOut;
    const result = await run(p.paths, {
      ...p.options,
      // SARIF carries each table's fix: a scan plans them too.
      planFixes: p.format === 'sarif',
      cwd: io.cwd,
      mode: p.command,
      onProgress: bar.update,
      cleanTemps: inPlace,
      ...(writer
        ? {
            onVerified: (outcomes, replace, orderOf) => writer.add(outcomes, replace, orderOf),
            onVerifiedEnd: () => writer.finish(),
            writesSettled: () => writer.idle(),
          }
        : sarifSink
          ? { onVerified: async (outcomes, replace, orderOf) => sarifSink.add(outcomes, replace, orderOf) }
          : {}),
      exclude: p.exclude,
    }).catch(async (err: unknown) => {
      // A run that fails still lets the chunk under way finish its renames before the lock goes.
      await stream?.idle();
      throw err;
    });
    bar.done();
    const notes = [
      ...(lock?.takenOver ?? []).map((t) => `took over the lock of a kmsfix run that is no longer running: ${t}`),
      ...cleanupNotes(result.cleanup),
    ];
    if (p.format === 'text') for (const n of notes) io.err(`note: ${n}\n`);
    if (outputAbs !== undefined) {
      if (!stream) clash = result.outcomes.some((o) => realish(o.file.absPath) === outputAbs);
      if (clash) {
        refuseOutput();
        io.err(`kmsfix: --output ${p.output}: is a file this run scanned; the report would overwrite it\n`);
        return 2;
      }
    }
    if (sarifSink) return sarif(p, result.outcomes, result.errors, io, sarifSink);
    return p.command === 'scan' ? scan(p, result.outcomes, result.errors, io) : await fix(p, result, io, notes, stream);
  } finally {
    // Whatever the run did not put in place: a JSON report's spool, a patch's temp files.
    stream?.json?.discard();
    stream?.patches?.spool?.discard();
    stream?.preview?.discard();
    sarifOut?.discard();
    stream?.patches?.dir?.discard();
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
function sarif(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io, log: SarifStream): number {
  log.end(outcomes, errors, version(), io.out);
  const summary = summarize(outcomes, errors);
  if (summary.errors > 0) return 2;
  if (p.command === 'fix') return log.changed > 0 ? 1 : 0;
  return summary.nonCompliant > 0 ? 1 : 0;
}

function scan(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io): number {
  const summary = summarize(outcomes, errors);
  if (p.format === 'json') {
    io.out(JSON.stringify(scanJson(outcomes, errors), null, 2) + '\n');
  } else {
    const c = colors(io.color);
    const line = { verbose: p.verbose, profile: p.options.profile };
    // -q: only what needs action (non-compliant tables, errors).
    for (const t of allTables(outcomes)) if (!p.quiet || !t.compliant) io.out(tableLine(t, c, line) + '\n');
    for (const e of allErrors(outcomes, errors)) io.err(`error: ${formatError(e)}\n`);
    if (!p.quiet) io.out(summaryLine(summary) + '\n');
  }
  return summary.errors > 0 ? 2 : summary.nonCompliant > 0 ? 1 : 0;
}

/**
 * A fix in place written as it goes, or a preview, and what its report keeps of the files let go: a
 * text report's tally, the JSON report's spool, a text preview's spool, or the patches' spools.
 */
type Streamed = FixStream & { tally?: Tally; json?: JsonFixStream; patches?: Patches; preview?: OrderedSpool };

/** The diffs of `--patch` and `--patch-dir` kept on disk as the run goes, written in the run's order at its end. */
interface Patches {
  /** --patch: under 'patch'. */
  spool?: OrderedSpool;
  dir?: PatchDirWriter;
}

/** Why a changed file is not in `--patch`'s patch. */
function outsidePatch(o: FileOutcome): FileError {
  return {
    file: o.file.path,
    message:
      'outside the current directory: left out of the patch (git apply works only below the folder it runs in; run kmsfix from a folder that holds it, or use --patch-dir)',
  };
}

/**
 * The writer of `--patch` and `--patch-dir` (text report): each chunk's diffs are kept on disk
 * (src/io/spool.ts), for the patch or their repository's patch in DIR, and its files' texts are let
 * go. The outcomes are kept without texts: whether the change is delivered is known once the
 * patches are written (fix).
 */
function patchStream(p: Parsed, io: Io, seen: (o: FileOutcome) => void): Streamed {
  const patches: Patches = {
    ...(p.patchDir ? { dir: new PatchDirWriter(p.patchDir, p.paths, io.cwd) } : {}),
    ...(p.patch ? { spool: new OrderedSpool() } : {}),
  };
  const stream: Streamed = new FixStream(
    p.force,
    {
      show(changed, orders) {
        patches.dir?.add(changed, orders);
        for (const [k, o] of changed.entries())
          if (patches.spool && !outsideCwd(o.file.path)) patches.spool.append('patch', orders[k], fileDiff(o));
        return undefined;
      },
      content: (o) => fullText(o, o.newText!),
      refuse: (changed) => new Map(p.patch ? changed.filter((o) => outsideCwd(o.file.path)).map((o) => [o, outsidePatch(o)]) : []),
      settle(o) {
        seen(o);
        return o;
      },
    },
    false,
  );
  stream.patches = patches;
  return stream;
}

/** --patch's diffs kept as the run went, in the run's order: to stdout (`-`), or to the file, atomically. */
function writeSpooled(patch: string, spool: OrderedSpool, io: Io): void {
  if (patch === '-') {
    for (const d of spool.texts('patch')) io.out(d);
    return;
  }
  const out = new SpooledOutput(path.resolve(io.cwd, patch), patch);
  for (const d of spool.texts('patch')) out.write(d);
  out.commit();
}

/** The changed files a stream kept, in the run's order (the stream has them in the order they settled, which workers may change). */
function inRunOrder(result: RunResult, kept: FileOutcome[]): FileOutcome[] {
  const order = new Map(result.outcomes.map((o, i) => [o, i]));
  return [...kept].sort((a, b) => order.get(a)! - order.get(b)!);
}

/**
 * The writer of a fix in place without a prompt, or of a preview (`inPlace` false: --dry-run,
 * --check): the diff of each chunk printed before it is written (the progress line erased first),
 * or, for a preview, kept on disk and printed at the end in the run's order (--check: the files'
 * paths), or handed to the JSON report. Each file settled is folded: for the text report
 * (report/fold.ts), the result keeps only what the report prints, and `tally` counts the rest; the
 * JSON report spools its tables and diff (report/jsonStream.ts). `seen`: every file settled, before
 * it is folded.
 */
function fixStream(p: Parsed, io: Io, inPlace: boolean, clearProgress: () => void, seen: (o: FileOutcome) => void): Streamed {
  const c = colors(io.color);
  const tally = p.format === 'text' ? emptyTally() : undefined;
  const json = p.format === 'json' ? new JsonFixStream(io.out, inPlace) : undefined;
  // A text preview prints at the end, in the run's order, as it did when it kept every text.
  const preview = !json && !inPlace && (p.check || !p.quiet) ? new OrderedSpool() : undefined;
  const stream: Streamed = new FixStream(
    p.force,
    {
      show(changed, orders) {
        if (json) return changed.map((o) => fileDiff(o));
        if (preview) for (const [k, o] of changed.entries()) preview.append('out', orders[k], p.check ? `${o.file.path}\n` : fileDiff(o));
        else if (!p.quiet) {
          clearProgress();
          const d = changed.map((o) => fileDiff(o)).join('');
          io.out(io.color ? colorDiff(d, c) : d);
        }
        return undefined;
      },
      content: (o) => fullText(o, o.newText!),
      settle(o, how) {
        seen(o);
        if (json) return json.settle(o, how);
        return tally ? fold(o, how.delivered, how.error, tally) : o;
      },
    },
    inPlace,
  );
  stream.tally = tally;
  stream.json = json;
  stream.preview = preview;
  return stream;
}

async function fix(p: Parsed, result: RunResult, io: Io, notes: string[], stream?: Streamed): Promise<number> {
  const { outcomes } = result;
  const text = p.format === 'text';
  // A parameter no longer controls what --fix-parameterised wrote explicitly: said once per table (src/rule/evaluate.ts words it).
  for (const t of allTables(outcomes)) {
    const note = parameterisedNote(t);
    if (note === undefined) continue;
    notes.push(note);
    if (text) io.err(`note: ${note}\n`);
  }
  if (stream && !stream.patches) return streamed(p, result, io, notes, stream);
  // --patch and --patch-dir written as the run went: the outcomes are kept, without texts.
  const patches = stream?.patches;
  const changedSet = new Set(stream?.changed);
  const isChanged = patches ? (o: FileOutcome) => changedSet.has(o) : (o: FileOutcome) => o.newText !== undefined;
  const changed = patches ? inRunOrder(result, stream!.changed) : outcomes.filter(isChanged);
  const c = colors(io.color);
  const inPlace = !p.dryRun && !p.patch && !p.patchDir && !p.check;
  const planned = allTables(outcomes).filter((t) => t.planned).length;
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
    if (patches) for (const [o, e] of stream!.failed) failed.set(o, e);
    else
      for (const o of changed) {
        if (outsideCwd(o.file.path)) failed.set(o, outsidePatch(o));
        else inPatch.push(o);
      }
    try {
      if (patches) writeSpooled(p.patch, patches.spool!, io);
      else if (p.patch === '-') io.out(diffs(inPatch));
      else writeOutputAtomic(path.resolve(io.cwd, p.patch), diffs(inPatch), p.patch);
      for (const o of patches ? stream!.delivered : inPatch) delivered.add(o);
    } catch (err) {
      errors.push({ file: p.patch, message: (err as Error).message });
    }
  }
  if (p.patchDir) {
    const writer = patches?.dir ?? new PatchDirWriter(p.patchDir, p.paths, io.cwd);
    try {
      checkPatchDir(p.patchDir, p.paths, io.cwd, new Set(outcomes.map((o) => realish(o.file.absPath))));
      if (!patches)
        writer.add(
          changed,
          changed.map((_, i) => i),
        );
      const r = await writer.finish(outcomes, errors, result.repos, isChanged, { ...p.options, version: version(), date: mailNow() });
      for (const o of r.delivered) delivered.add(o);
      errors.push(...r.unwritten);
      if (text) io.out(r.table);
    } catch (err) {
      if (!(err instanceof OutputError)) throw err;
      errors.push({ file: p.patchDir, message: err.message });
    } finally {
      writer.discard();
    }
  }
  if (text && p.check) for (const o of changed) io.out(`${o.file.path}\n`);
  if (text && (p.dryRun || inPlace) && !p.quiet && changed.length > 0) {
    const d = diffs(changed);
    io.out(io.color ? colorDiff(d, c) : d);
  }
  if (p.dryRun || p.check) for (const o of changed) delivered.add(o);

  let write = inPlace && changed.length > 0;
  let declined = false;
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
      write = false;
      declined = true;
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
    diffOf: (o) => fileDiff(o),
    declined,
  });
}

/**
 * The report of a fix in place that wrote as it went, or of a preview (FixStream): its diffs were
 * printed already (text), or its tables and diffs (JSON). The result holds only what the report
 * prints, and the stream's tally counts the rest.
 */
function streamed(p: Parsed, result: RunResult, io: Io, notes: string[], stream: Streamed): number {
  if (stream.preview) {
    const c = colors(io.color);
    for (const t of stream.preview.texts('out')) io.out(io.color && !p.check ? colorDiff(t, c) : t);
    stream.preview.discard();
  }
  const tally = stream.tally ?? stream.json?.tally;
  const planned = allTables(result.outcomes).filter((t) => t.planned).length + (tally?.planned ?? 0);
  const changed = inRunOrder(result, stream.changed);
  return report(p, io, notes, {
    outcomes: delivery(result.outcomes, stream.delivered, stream.failed, stream.inPlace),
    errors: result.errors,
    changed,
    delivered: stream.delivered,
    written: stream.written,
    planned,
    write: stream.attempted,
    diffOf: () => '',
    folded: tally ? { tally, changed: stream.changedCount, written: stream.writtenCount, json: stream.json } : undefined,
  });
}

/**
 * The outcomes as this run's output left them: planned is what the verified fix holds; fixed, what
 * the output holds (the disk for a fix in place, then also written); a file whose output failed has
 * that error. New values: the run's outcomes stay as the engine made them.
 */
function delivery(
  outcomes: FileOutcome[],
  delivered: ReadonlySet<FileOutcome>,
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
    delivered: ReadonlySet<FileOutcome>;
    written: ReadonlySet<FileOutcome>;
    planned: number;
    write: boolean;
    /** Each changed file's diff (JSON report). */
    diffOf: (o: FileOutcome) => string;
    /** The user answered no at the prompt. */
    declined?: boolean;
    /**
     * A streamed fix: what was let go of the outcomes (report/fold.ts, report/jsonStream.ts), the
     * files changed and written in all, and the JSON report printed so far.
     */
    folded?: { tally: Tally; changed: number; written: number; json?: JsonFixStream };
  },
): number {
  const { outcomes, errors, changed, delivered, written, planned, write, declined, folded } = r;
  const c = colors(io.color);
  const text = p.format === 'text';
  const fixed = allTables(outcomes).filter((t) => t.fixed).length + (folded?.tally.fixed ?? 0);
  const changedCount = folded?.changed ?? changed.length;
  const writtenCount = folded?.written ?? written.size;
  const allErrs = allErrors(outcomes, errors);
  if (text) {
    for (const t of allTables(outcomes))
      if (!t.compliant && !t.fixed) io.err(`not fixed: ${tableLine(t, c, { verbose: p.verbose, full: true })}\n`);
    for (const e of allErrs) io.err(`error: ${formatError(e)}\n`);
    const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
    const patchName = p.patch === '-' ? 'stdout' : p.patch;
    const verb = p.patchDir
      ? `patches written to ${p.patchDir}`
      : p.check
        ? 'check, nothing written'
        : p.patch
          ? delivered.size > 0 || changed.length === 0
            ? `patch written to ${patchName}`
            : 'no patch written'
          : write
            ? `${files(writtenCount)} written`
            : p.dryRun
              ? 'dry run, nothing written'
              : declined
                ? 'nothing written (answered no)'
                : 'nothing written';
    // Says what the output holds: a dry run, a check or a "no" at the prompt fixed nothing.
    const done =
      p.dryRun || p.check
        ? `${planned} would be fixed in ${files(changedCount)}`
        : fixed === planned
          ? `${planned} fixed in ${files(changedCount)}`
          : `${planned} planned in ${files(changedCount)}, ${fixed} fixed`;
    io.err(summaryLine(summarize(outcomes, errors, folded?.tally), `; ${done}, ${verb}`) + '\n');
  } else if (folded?.json) {
    folded.json.end(outcomes, errors, [...notes, ...folded.json.notes], changedCount, writtenCount);
  } else {
    const files = changed.map((o) => ({ file: o.file.path, diff: r.diffOf(o), written: written.has(o) }));
    io.out(JSON.stringify(fixJson(outcomes, errors, files, notes), null, 2) + '\n');
  }
  if (allErrs.length > 0) return 2;
  // A fixable table left unfixed is an error's doing, unless the user said no at the prompt.
  if (write && fixed < planned) return 2;
  if ((p.dryRun || p.check) && changedCount > 0) return 1;
  return 0;
}
