/**
 * The command line: `kmsfix scan` and `kmsfix fix`. Parses flags, runs the engine, prints
 * reports, asks before writing when a person is at the terminal, writes atomically.
 */
import { sarifRoot } from './report/sarif.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './io/packages.js';
import { type RunResult, ranAny, ranLarge as ranLargeRun, ranLightOnly, run } from './engine/run.js';
import { LockError, acquireFolderLock, acquireLocks, treeRoots, type Lock } from './io/lock.js';
import { OutputError, checkPatchDir, checkPatchFile, realish } from './io/outputs.js';
import type { Cleanup } from './io/temp.js';
import { headsAt } from './io/commit.js';
import { real, repoRootOf } from './io/git.js';
import { progress } from './report/progress.js';
import { Stdout } from './io/stdout.js';
import { isTerminal } from './io/terminal.js';
import { scanJson } from './report/jsonReport.js';
import { SarifStream } from './report/sarifStream.js';
import { allErrors, formatError, summarize } from './report/summary.js';
import { colors, summaryLine, tableLine } from './report/textReport.js';
import { noteLines } from './report/noteLines.js';
import { isStanding } from './rule/cautions.js';
import type { FixOptions, KeyStrategy } from './core/types.js';
import { PROFILES, type Profile } from './rule/peers/evaluate.js';
import { DEFAULT_KEY_POLICY, KEY_POLICY_MODES, type KeyPolicyMode } from './rule/keyPolicy.js';
import { DEFAULT_MAX_FILE_MB } from './io/read.js';
import type { FileError, FileOutcome } from './core/result.js';
import { type Candidate, type Exclude, displayPath } from './io/discover.js';
import { keyArnUsage } from './rule/keyArn.js';
import { UsageError, applyConfig, checkCommand, checkEmpty, checkFlags, checkHelpTopic } from './cli/args.js';
import {
  type Config,
  ConfigError,
  type ConfigProblem,
  configScopes,
  loadConfig,
  nestedConfigs,
  nestedConfigsText,
  problemText,
  validMaxMb,
} from './cli/config.js';
import {
  type Planned,
  type Scope,
  configErrors,
  mergeResults,
  messageScopes,
  planScopes,
  spelledAlso,
  unappliedConfigs,
  unreadRepositories,
} from './cli/scopes.js';
import { helpOf } from './cli/help.js';
import { didYouMean } from './cli/suggest.js';
import { captured, checkOutputFile, colorWanted } from './cli/output.js';
import { type Streamed, discardStream, fix, fixStream } from './cli/fix.js';

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
  /**
   * With --output: puts what went to stdout in place now (a fix's text report calls it before its
   * summary, so that the summary counts a report that cannot be written); the error, if any (an UnflushedError: the
   * report is written, its folder not surely on disk).
   */
  settle?(): Error | undefined;
  /**
   * Why what went to `out` is not all written (stdout failed: a full disk, a file-size limit, a closed
   * pipe; src/io/stdout.ts), or undefined. Without it (a test's Io, --output's), `out` cannot fail so.
   */
  outFailed?(): Promise<string | undefined>;
}

/** Every byte printed to stdout, and whether it was all written (src/io/stdout.ts). */
const stdout = new Stdout();

const processIo: Io = {
  cwd: process.cwd(),
  out: (t) => stdout.write(t),
  outFailed: () => stdout.failed(),
  err: (t) => process.stderr.write(t),
  // isTerminal (src/io/terminal.ts), not process.stdin.isTTY: reading that property makes stdin's stream (from a file or
  // /dev/null, an fs.ReadStream: about twenty of Node's modules, 2 ms of a one-file scan).
  interactive: isTerminal(1) && isTerminal(0),
  color: colorWanted(isTerminal(1)),
  progress: isTerminal(2),
  ask: async (q) => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    // The terminal in raw mode turns Ctrl-C into readline's SIGINT event, not a signal (and closing the interface
    // then leaves the question unsettled): Ctrl-C ends the run as the signal would, exit 130, nothing written, the
    // lock released on exit. Ctrl-D (the end of input) rejects the question: answered no.
    rl.on('SIGINT', () => {
      process.stdout.write('\n');
      process.exit(130);
    });
    try {
      return await rl.question(q);
    } catch {
      process.stdout.write('\n');
      return '';
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
  /** The configuration file applied (absolute), if any: named with --config (`configNamed`), or the nearest .kmsfix.yml. */
  configFile?: string;
  configNamed?: boolean;
  /**
   * The run's configuration scopes from the paths given (src/cli/scopes.ts), the first one's settings
   * being `options`, `exclude` and `configFile` above; `scopeOf`, the settings of a file met inside the trees.
   */
  scopes: Scope[];
  scopeOf: (configFile: string | undefined) => Promise<Omit<Scope, 'paths'>>;
}

/** The flags as parsed. */
type Flags = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof OPTIONS }>>['values'];

export const OPTIONS = {
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
  'recreate-replicas': { type: 'boolean' },
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

/** The flags scan refuses (`--x is an option of fix, not scan`); every other flag works with both commands. */
export const FIX_ONLY_FLAGS = [
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
  'recreate-replicas',
] as const;

/** The flags fix refuses. */
export const SCAN_ONLY_FLAGS = ['profile'] as const;

export async function parse(argv: string[], cwd: string): Promise<Parsed | { help: string } | 'version'> {
  checkFlags(argv, OPTIONS);
  const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  const values: Record<string, unknown> & typeof parsed.values = parsed.values;
  const positionals = parsed.positionals;
  const topic = positionals[0] === 'help' ? positionals[1] : values.help ? positionals[0] : undefined;
  checkHelpTopic(topic);
  if (positionals[0] === 'help') return { help: helpOf(positionals[1]) };
  if (values.help) return { help: helpOf(positionals[0]) };
  if (values.version) return 'version';
  const [command, ...paths] = positionals;
  checkCommand(command);
  checkEmpty(values, paths);
  if (command === 'scan') {
    for (const f of FIX_ONLY_FLAGS) {
      if (values[f] !== undefined) throw new UsageError(`--${f} is an option of fix, not scan`);
    }
  }
  if (command === 'fix' && values.profile !== undefined) {
    throw new UsageError('--profile is an option of scan: fix always writes customer-managed keys, which satisfy every profile');
  }
  // The configuration files, each with the paths it governs (src/cli/scopes.ts): their values under the flags given here.
  const flags = { ...values };
  const configured = configScopes(values.config, paths, cwd);
  const named = values.config !== undefined;
  // The file named for the whole run (--config): its problems stop it before anything is read. Else a file's
  // problems are its paths' errors (configErrors), and the others go on: folders below it with good files of
  // their own are read (src/cli/scopes.ts planScopes walks it for them); a run that reads nothing else stops
  // as one with a single file always did (execute).
  const first = await scopeOf(values, configured[0].configFile, command, cwd, named);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, not '${format}'${didYouMean(format, ['text', 'json', 'sarif'])}`);
  if (format === 'sarif' && command === 'fix' && !values['dry-run']) throw new UsageError('--format sarif goes with scan or fix --dry-run');
  const scopes: Scope[] = [spelledAlso({ ...first, paths: configured[0].paths }, configured[0].spellings ?? [])];
  /** A file met after the first: its problems, and settings the flags cannot take with it (key_policy and kms_key_arn), are its scope's errors. */
  const another = (configFile: string | undefined) =>
    scopeOf({ ...flags }, configFile, command, cwd, false).catch(async (err: unknown) => {
      if (!(err instanceof UsageError) || configFile === undefined) throw err;
      const alone = await scopeOf({ ...flags }, undefined, command, cwd, false);
      return { ...alone, configFile, problems: [{ file: displayPath(configFile, cwd), message: err.message }] };
    });
  for (const s of configured.slice(1)) scopes.push(spelledAlso({ ...(await another(s.configFile)), paths: s.paths }, s.spellings ?? []));
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
    exclude: first.exclude,
    ...(first.configFile ? { configFile: first.configFile, configNamed: named } : {}),
    options: first.options,
    scopes,
    scopeOf: another,
  };
}

/**
 * A configuration file's settings for a run (`configFile` absolute, or none): its values under the
 * flags (`values`, which it fills in), checked as the flags are. `fatal`: the run's only file, whose
 * problems stop it (ConfigError); else they are the scope's `problems`.
 */
async function scopeOf(
  values: Record<string, unknown> & Flags,
  configFile: string | undefined,
  command: 'scan' | 'fix',
  cwd: string,
  fatal: boolean,
): Promise<Omit<Scope, 'paths'>> {
  let config: Config | undefined;
  let problems: ConfigProblem[] | undefined;
  try {
    config = configFile ? await loadConfig(configFile, cwd) : undefined;
  } catch (err) {
    if (fatal || !(err instanceof ConfigError)) throw err;
    // Its paths are not read (src/cli/scopes.ts configErrors): the flags' settings stand for it.
    problems = err.located;
  }
  const notes = config ? applyConfig(values, config, command, cwd) : [];
  if (values['key-policy'] !== undefined && values['kms-key-arn'] !== undefined) {
    throw new UsageError('--key-policy and --kms-key-arn cannot be combined: with --kms-key-arn no key is generated');
  }
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
  if (!/^\d+(\.\d+)?$/.test(maxMb) || !validMaxMb(Number(maxMb)))
    throw new UsageError(`--max-file-size must be a number of MB, finite and at least one byte (0.000001), not '${maxMb}'`);
  const profile = values.profile ?? 'strict';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not '${profile}'${didYouMean(profile, PROFILES)}`);
  }
  const exclude: Exclude[] = [];
  if (values.exclude?.length) exclude.push({ patterns: values.exclude });
  if (config?.values.exclude?.length) exclude.push({ base: config.dir, patterns: config.values.exclude });
  const skipTables = [...(values['skip-table'] ?? []), ...(config?.values.skip_table ?? [])];
  return {
    ...(configFile ? { configFile } : {}),
    ...(problems ? { problems } : {}),
    ...(notes.length ? { notes } : {}),
    exclude,
    options: {
      keyStrategy: keyStrategy as KeyStrategy,
      kmsKeyArn: arn,
      keyPolicy: keyPolicy as KeyPolicyMode,
      acceptAwsManaged: !!values['accept-aws-managed'],
      includeTests: !!values['include-tests'],
      fixParameterised: !!values['fix-parameterised'],
      recreateReplicas: !!values['recreate-replicas'],
      profile: profile as Profile,
      maxFileBytes: Math.round(Number(maxMb) * 1024 * 1024),
      ...(config?.key ? { key: config.key } : {}),
      ...(skipTables.length ? { skipTables } : {}),
    },
  };
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const done: Done = {};
  const code = await command(argv, io, done);
  // stdout failed (`> report.json` on a full disk, `| head -1`): whatever the run's own code, its
  // output is cut, and nothing else may say it was written (cli/fix.ts: --patch -).
  const failed = await io.outFailed?.();
  if (failed === undefined) return code;
  const written = done.written
    ? `; the ${done.written === 1 ? 'file' : `${done.written} files`} the fix wrote stay${done.written === 1 ? 's' : ''} written`
    : '';
  io.err(`error: cannot write to standard output: ${failed}: the output is incomplete${written}\n`);
  return 2;
}

/** What a run did that an error of stdout's says: the files a fix in place wrote. */
interface Done {
  written?: number;
}

async function command(argv: string[], io: Io, done: Done): Promise<number> {
  let parsed: Awaited<ReturnType<typeof parse>>;
  try {
    parsed = await parse(argv, io.cwd);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) io.err(`${problem}\n`);
      io.err(`kmsfix: ${err.summary}; nothing was scanned\n`);
      if (err.hint) io.err(`${err.hint}\n`);
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
  const code = await execute(p, runIo, () => sink?.cancel(), done).catch((err: unknown) => {
    sink?.cancel();
    throw err;
  });
  if (sink && !sink.cancelled) {
    // Settled already (a fix's text report: its summary said so), or now.
    const early = sink.settled;
    const failed = sink.write();
    if (failed) {
      if (!early) io.err(`error: ${failed.message}\n`);
      return 2;
    }
  }
  return code;
}

/**
 * This process ran a scan or a fix that read a file (only `execute` runs one): src/cli/start.ts saves the
 * CLI's cached code after one, not after `--version` (too little code). For a kind of a few files (`ts`,
 * `json`, ...: src/cli/codeVariant.ts), only after a run of a few files (src/engine/run.ts ranLightOnly):
 * a run of many would put more code in it than the one-file runs that load it compile. For the `tree` kind
 * (the runs of folders, and of no path), after any: else a large tree's runs never had cached code and
 * compiled the CLI from its text every time (about 50 ms of CPU of a dense scan; docs/performance.md
 * "Sixty-fourth session").
 */
export function ranCommand(kind?: string): boolean {
  return kind === 'tree' ? ranAny() : ranLightOnly();
}

/**
 * This process ran a scan or fix of more than a few files (src/engine/run.ts ranLarge): src/cli/start.ts then
 * writes the `tree` kind's cached code again if the run compiled code the file lacked (about 8 ms to make it
 * again, small beside such a run; not after a light run, whose start is a target of its own).
 */
export function ranLarge(): boolean {
  return ranLargeRun();
}

async function execute(p: Parsed, io: Io, refuseOutput: () => void, done: Done): Promise<number> {
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
  // A --patch-dir run holds the lock of its folder as long: a second run into it is refused (src/io/lock.ts acquireFolderLock).
  if (inPlace || p.patchDir) {
    try {
      lock = p.patchDir
        ? acquireFolderLock(realish(path.resolve(io.cwd, p.patchDir)), p.patchDir)
        : acquireLocks(treeRoots(p.paths, io.cwd));
    } catch (err) {
      if (!(err instanceof LockError)) throw err;
      io.err(`kmsfix: ${err.message}\n`);
      return 2;
    }
  }
  let stream: Streamed | undefined;
  let sarifOut: SarifStream | undefined;
  try {
    const shown = !!io.progress && !p.quiet;
    // process.stderr is made on first use (a quiet run never writes to it).
    const bar = progress(shown, io.err, io.cwd, shown ? process.stderr.columns : undefined);
    // Each configuration file's part of the run, walked, every file validated, before a file of any is read (src/cli/scopes.ts).
    const scopes = await planScopes(p.scopes, !!p.configNamed, io.cwd, p.scopeOf, p.command === 'scan');
    // The run's one file (one for every path given) has problems and no folder below it has a good file of its own:
    // nothing is read, said as before files were split.
    if (p.scopes.length === 1 && scopes.every((s) => s.problems)) {
      refuseOutput();
      for (const s of scopes) for (const problem of s.problems ?? []) io.err(`${problemText(problem)}\n`);
      io.err('kmsfix: the configuration file has errors; nothing was scanned\n');
      return 2;
    }
    // Before anything is read or written: an --output that names a file the run would read is refused.
    if (p.output !== undefined) {
      const outputAbs = realish(path.resolve(io.cwd, p.output));
      const name = path.basename(outputAbs);
      const clash = (c: Candidate) => path.basename(c.absPath) === name && realish(c.absPath) === outputAbs;
      if (scopes.some((s) => s.discovered?.candidates.some(clash))) {
        refuseOutput();
        io.err(`kmsfix: --output ${p.output}: is a file this run would scan; the report would overwrite it (nothing was written)\n`);
        return 2;
      }
    }
    // --commit: each repository's HEAD before a file is read, the one its branch is made from (a checkout during the reads is a move).
    const started =
      inPlace && p.commit
        ? await headsAt(scopes.flatMap((s) => (s.discovered?.candidates ?? []).flatMap((c) => repoRootOf(real(c.absPath)) ?? [])))
        : undefined;
    /** With --config FILE: the configuration files inside the scanned folders that it replaces (nestedConfigs). */
    const nested = p.configNamed ? nestedConfigs(scopes[0].discovered?.configs ?? [], p.configFile, io.cwd) : [];
    // Every fix but SARIF's (one document of every result) goes through a stream (cli/fix.ts).
    // Repositories a configuration file with problems kept partly unread: no commit, patch or mail (cli/fix.ts unreadRefusal).
    const unread = unreadRepositories(scopes, io.cwd);
    const writer = p.command === 'fix' && p.format !== 'sarif' ? fixStream(p, io, inPlace, bar.done, unread) : undefined;
    stream = writer;
    // SARIF: each batch's results spooled as the run goes, the outcomes let go of their texts.
    sarifOut = p.format === 'sarif' ? new SarifStream(sarifRoot(p.paths, io.cwd)) : undefined;
    const sarifSink = sarifOut;
    // The scopes run one after another, into the same stream: each one's reads ordered after the
    // earlier ones' (`base`, the places of their candidates), its progress counted on from theirs.
    const results: RunResult[] = [];
    // --patch-dir: each error of a file with problems, to the repositories it left unread (a row each in summary.json).
    const unreadIn = new Map<FileError, string[]>();
    const said = new Set<string>();
    // Each outcome's scope, when there are several: its text lines say its profile's verdicts, its commit message its settings.
    const scopeOf = scopes.length > 1 ? new Map<FileOutcome, Planned>() : undefined;
    const total = scopes.reduce((n, s) => n + (s.discovered?.candidates.length ?? 0), 0);
    let base = 0;
    let tablesBefore = 0;
    for (const s of scopes) {
      if (!s.discovered) {
        // A file with problems reached twice (its folder split off one path given, a file in it given too): said once.
        if (s.configFile !== undefined && said.has(realish(s.configFile))) continue;
        if (s.configFile !== undefined) said.add(realish(s.configFile));
        const errors = configErrors(s, io.cwd);
        if (s.unreadRepos?.length) for (const e of errors) unreadIn.set(e, s.unreadRepos);
        results.push({ outcomes: [], errors, repos: [], notes: [] });
        continue;
      }
      const offset = base;
      const inRun = (orderOf: (o: FileOutcome) => number) => (offset === 0 ? orderOf : (o: FileOutcome) => offset + orderOf(o));
      let tables = 0;
      const result = await run(s.paths, {
        ...s.options,
        // SARIF carries each table's fix: a scan plans them too.
        planFixes: p.format === 'sarif',
        cwd: io.cwd,
        mode: p.command,
        onProgress:
          scopes.length === 1
            ? bar.update
            : (r) => {
                tables = r.tables;
                bar.update({ ...r, scanned: offset + r.scanned, candidates: total, tables: tablesBefore + r.tables });
              },
        cleanTemps: inPlace,
        ...(writer
          ? {
              onVerified: (outcomes, replace, orderOf) => writer.add(outcomes, replace, inRun(orderOf)),
              onVerifiedEnd: () => writer.finish(),
              writesSettled: () => writer.idle(),
            }
          : sarifSink
            ? { onVerified: async (outcomes, replace, orderOf) => sarifSink.add(outcomes, replace, inRun(orderOf)) }
            : {}),
        exclude: s.exclude,
        discovered: s.discovered,
      }).catch(async (err: unknown) => {
        // A run that fails still lets the chunk under way finish its renames before the lock goes.
        await stream?.idle();
        throw err;
      });
      base += s.discovered.candidates.length;
      tablesBefore += tables;
      s.discovered = undefined;
      if (scopeOf) for (const o of result.outcomes) scopeOf.set(o, s);
      results.push(result);
    }
    bar.done();
    const result = mergeResults(results);
    const notes = [
      ...(lock?.takenOver ?? []).map((t) => `took over the lock of a kmsfix run that is no longer running: ${t}`),
      ...cleanupNotes(result.cleanup),
      ...result.notes,
      ...scopes.flatMap((s) => s.notes ?? []),
      ...(nested.length > 0 ? [nestedConfigsText(nested, p, io.cwd)] : unappliedConfigs(scopes, io.cwd)),
    ];
    // Text: the notes said once per unread app folded past 10 of a kind (src/report/noteLines.ts); the summary counts them then.
    const shownNotes = noteLines(notes, p.verbose);
    if (p.format === 'text') for (const line of shownNotes.lines) io.err(line);
    const notesNote = shownNotes.folded > 0 ? `, ${notes.length} notes` : '';
    if (sarifSink) return sarif(p, result.outcomes, result.errors, io, sarifSink, notes);
    if (!stream)
      return scan(
        p,
        result.outcomes,
        result.errors,
        io,
        notes,
        (o) => {
          const s = scopeOf?.get(o);
          return s ? (s.options.profile ?? 'strict') : p.options.profile;
        },
        notesNote,
      );
    const code = await fix(
      p,
      result,
      io,
      notes,
      stream,
      version(),
      scopeOf && messageScopes(scopes, scopeOf, io.cwd),
      unread,
      unreadIn,
      started,
    );
    if (inPlace) done.written = stream.writtenCount;
    return code;
  } finally {
    // Whatever the run did not put in place: a report's spool, a patch's temp files.
    if (stream) discardStream(stream);
    sarifOut?.discard();
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
function sarif(p: Parsed, outcomes: FileOutcome[], errors: FileError[], io: Io, log: SarifStream, notes: string[]): number {
  log.end(outcomes, errors, version(), io.out, notes);
  const summary = summarize(outcomes, errors);
  if (summary.errors > 0) return 2;
  if (p.command === 'fix') return log.changed > 0 ? 1 : 0;
  return summary.nonCompliant > 0 ? 1 : 0;
}

/** `profileOf`: the profile of an outcome's configuration scope, which its text lines say the verdicts of. */
function scan(
  p: Parsed,
  outcomes: FileOutcome[],
  errors: FileError[],
  io: Io,
  notes: string[],
  profileOf: (o: FileOutcome) => Profile | undefined,
  /** `, N notes` when the notes were folded on stderr, else ''. */
  notesNote = '',
): number {
  const summary = summarize(outcomes, errors);
  if (p.format === 'json') {
    io.out(JSON.stringify(scanJson(outcomes, errors, notes), null, 2) + '\n');
  } else {
    const c = colors(io.color);
    // -q: only what needs action (non-compliant tables, a compliant table's caution, errors).
    for (const o of outcomes) {
      const line = { verbose: p.verbose, profile: profileOf(o) };
      for (const t of o.tables) if (!p.quiet || !t.compliant || t.cautionKinds?.some(isStanding)) io.out(tableLine(t, c, line) + '\n');
    }
    for (const e of allErrors(outcomes, errors)) io.err(`error: ${formatError(e)}\n`);
    if (!p.quiet) io.out(summaryLine(summary, notesNote) + '\n');
  }
  return summary.errors > 0 ? 2 : summary.nonCompliant > 0 ? 1 : 0;
}
