/**
 * Command-line helpers around node:util parseArgs: unknown flags and commands with a suggestion,
 * and a configuration file's values under the flags (flags given on the command line win).
 */
import type { Config } from './config.js';
import { displayPath } from '../io/discover.js';
import { didYouMean } from './suggest.js';

export class UsageError extends Error {}

export const COMMANDS = ['scan', 'fix', 'help'] as const;

/** Other scanners' flags for what kmsfix does under another name (Checkov, Trivy, KICS). */
const FOREIGN: Record<string, string> = {
  'skip-check': 'kmsfix checks one rule: leave tables out with --skip-table PATTERN (their address), or paths with --exclude GLOB',
  'skip-path': 'use --exclude GLOB',
  'skip-dirs': 'use --exclude GLOB',
  'skip-files': 'use --exclude GLOB',
  'exclude-paths': 'use --exclude GLOB',
  'output-file': 'use --output FILE',
};

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Refuse an unknown flag before parseArgs does (its message has no suggestion): `--exlude` gets
 * "unknown option --exlude (did you mean --exclude?)". Values of string options are skipped.
 */
export function checkFlags(argv: string[], options: OptionSpec): void {
  const longs = Object.keys(options);
  const shorts = new Map(Object.entries(options).flatMap(([k, o]) => (o.short ? [[o.short, k] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0];
      const spec = options[name];
      if (!spec && FOREIGN[name]) throw new UsageError(`unknown option --${name}: ${FOREIGN[name]}`);
      if (!spec) throw new UsageError(`unknown option --${name}${didYouMean(name, longs, (k) => `--${k}`)}`);
      if (spec.type === 'string' && !a.includes('=')) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const [j, ch] of [...a.slice(1)].entries()) {
        const long = shorts.get(ch);
        if (!long) throw new UsageError(`unknown option -${ch} (short options: ${[...shorts.keys()].map((k) => `-${k}`).join(' ')})`);
        if (options[long].type === 'string') {
          if (j === a.length - 2) i++;
          break;
        }
      }
    }
  }
}

/** `frobnicate` → "unknown command 'frobnicate' (expected scan or fix)", with a suggestion when close. */
export function checkCommand(command: string | undefined): asserts command is 'scan' | 'fix' {
  if (command === 'scan' || command === 'fix') return;
  if (!command) throw new UsageError('missing command (scan or fix)');
  const hint = didYouMean(command, COMMANDS, (k) => `'${k}'`).replace(/^ \((.*)\)$/, '; $1');
  throw new UsageError(`unknown command '${command}' (expected scan, fix or help${hint})`);
}

/**
 * `kmsfix help nope`, `kmsfix nope --help`: refused as `kmsfix nope` is (they printed the general help
 * with exit 0); `help` with no command, or a known one, gives its help.
 */
export function checkHelpTopic(topic: string | undefined): void {
  if (topic === undefined || (COMMANDS as readonly string[]).includes(topic)) return;
  checkCommand(topic);
}

/** Config keys that are options of one command only: set in the file, they apply to that command. */
const FIX_ONLY = new Set(['key_strategy', 'key_policy', 'kms_key_arn', 'fix_parameterised', 'recreate_replicas']);
const SCAN_ONLY = new Set(['profile']);

/**
 * Fill in the flags not given on the command line from the configuration file. A value of the other
 * command's (e.g. `profile` for fix) is left out; lists (`exclude`, `skip_table`) add to the flags'.
 * Returns the notes to say: a file's `kms_key_arn` (an existing key, the org's) is kept over a command line's
 * `--key-policy`, which concerns generated keys only (an existing key has its own policy): dropped, the folder's
 * tables got new keys instead, exit 0 without a word (README's bulk script passes `--key-policy iam` to every
 * repository). `--kms-key-arn` on the command line still replaces the file's (the flag names a key itself).
 */
export function applyConfig(values: Record<string, unknown>, config: Config, command: 'scan' | 'fix', cwd: string): string[] {
  const notes: string[] = [];
  if (
    command === 'fix' &&
    config.values.kms_key_arn !== undefined &&
    values['key-policy'] !== undefined &&
    values['kms-key-arn'] === undefined
  ) {
    const folder = displayPath(config.dir, cwd);
    notes.push(
      `--key-policy does not apply to ${folder === '.' ? "this folder's" : `${folder}'s`} tables: ${config.file} names an existing key ` +
        '(kms_key_arn), which keeps its own key policy',
    );
    delete values['key-policy'];
  }
  for (const [key, value] of Object.entries(config.values)) {
    if (command === 'scan' && FIX_ONLY.has(key)) continue;
    if (command === 'fix' && SCAN_ONLY.has(key)) continue;
    const flag = key.replace(/_/g, '-');
    if (Array.isArray(value)) continue; // lists are kept apart: their globs are relative to the file's folder
    // --kms-key-arn given on the command line replaces a key_policy from the file (no key is generated).
    if (key === 'key_policy' && values['kms-key-arn'] !== undefined) continue;
    if (values[flag] === undefined) values[flag] = typeof value === 'number' ? String(value) : value;
  }
  return notes;
}

/** What each flag that takes a path (or a glob of paths) needs, said when its value is empty. */
const PATH_FLAGS = {
  patch: 'a file name, or - for stdout',
  'patch-dir': "a folder's name",
  output: 'a file name',
  config: "the configuration file's name",
  exclude: 'a glob',
} as const;

/**
 * An empty path, as an unset variable gives (`--patch "$OUT"`, `fix "$DIR"`), is refused: taken as it
 * came, `--patch ""` and `--patch-dir ""` wrote nothing and exited 0 (a CI step passed green without its
 * patch), and `fix ""` fixed the current folder in place.
 */
export function checkEmpty(values: Record<string, unknown>, paths: string[]): void {
  for (const [flag, needs] of Object.entries(PATH_FLAGS)) {
    const v = values[flag];
    if (v === '' || (Array.isArray(v) && v.includes('')))
      throw new UsageError(`--${flag} is empty: give ${needs} (is a shell variable unset?)`);
  }
  const k = paths.indexOf('');
  if (k !== -1)
    throw new UsageError(
      `path argument ${k + 1} is empty: name a file or folder, or . for the current folder (is a shell variable unset?)`,
    );
}
