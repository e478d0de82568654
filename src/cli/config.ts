/**
 * `.kmsfix.yml`: a team's defaults for kmsfix, beside its code. Each file read is governed by its
 * nearest one: below the path given, the nearest above it (src/cli/scopes.ts splits the run at each
 * folder holding one); for the path given, the nearest at or above it up to the root of its git work
 * tree (the folder holding `.git`: nearestConfig). Or one is named with `--config FILE` for all.
 * Parsed with `yaml`, validated here: every problem is reported as `file:line:column: message`.
 * Flags given on the command line override the file (src/cli/args.ts applyConfig).
 *
 * Keys are the long flags' names with `_` (or `-`) between words, plus a `key:` section for the
 * keys kmsfix generates (src/rule/keySettings.ts):
 *
 *   key_strategy: per-table | shared        key_policy: drop-in | iam
 *   kms_key_arn: VALUE                      accept_aws_managed: true | false
 *   include_tests: true | false             profile: strict | checkov | ...
 *   fix_parameterised: true | false         recreate_replicas: true | false
 *   max_file_size: MB                       exclude: [GLOB, ...]   skip_table: [PATTERN, ...]
 *   key: { tags: {K: V}, multi_region: bool, deletion_window_days: 7-30, description: TEXT, alias: TEMPLATE,
 *         retain: auto | always, deny_direct_grants: true | false }
 */
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineIndex, toPosix } from '../core/text.js';
import { PROFILES } from '../rule/peers/evaluate.js';
import { KEY_POLICY_MODES } from '../rule/keyPolicy.js';
import { KEY_RETAIN, type KeySettings, type KeyRetain, keySettingsProblems } from '../rule/keySettings.js';
import { keyArnUsage } from '../rule/keyArn.js';
import { UsageError } from './args.js';
import { didYouMean } from './suggest.js';
import { CONFIG_NAMES, configNameIn, displayPath } from '../io/discover.js';
import { realish } from '../io/outputs.js';

/** What a configuration file sets; absent keys are not set (the flag's default applies). */
export interface ConfigValues {
  key_strategy?: string;
  key_policy?: string;
  kms_key_arn?: string;
  accept_aws_managed?: boolean;
  include_tests?: boolean;
  fix_parameterised?: boolean;
  recreate_replicas?: boolean;
  profile?: string;
  max_file_size?: number;
  exclude?: string[];
  skip_table?: string[];
}

export interface Config {
  /** The file, as shown in messages (relative to cwd when below it). */
  file: string;
  /** Its folder (absolute): the base of its `exclude` globs. */
  dir: string;
  values: ConfigValues;
  key?: KeySettings;
}

/**
 * A problem of a configuration file, where it is: kept as parts (the file, line and column), never
 * parsed back out of its text (a folder may be named `svc:9:9: x`). Its text: `file:line:column: message`.
 */
export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export const problemText = (p: ConfigProblem): string =>
  p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}:${p.column}: ${p.message}`;

/**
 * A configuration file that cannot be used: each problem at its place (`problems`: their texts).
 * `summary` says what is wrong, and `hint` what to do.
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(
    readonly located: ConfigProblem[],
    readonly summary = 'the configuration file has errors',
    readonly hint?: string,
  ) {
    const problems = located.map(problemText);
    super(problems.join('\n'));
    this.problems = problems;
  }
}

type Kind = 'string' | 'boolean' | 'number' | 'strings';
const KEYS: Record<keyof ConfigValues, { kind: Kind; one?: readonly string[] }> = {
  key_strategy: { kind: 'string', one: ['per-table', 'shared'] },
  key_policy: { kind: 'string', one: KEY_POLICY_MODES },
  kms_key_arn: { kind: 'string' },
  accept_aws_managed: { kind: 'boolean' },
  include_tests: { kind: 'boolean' },
  fix_parameterised: { kind: 'boolean' },
  recreate_replicas: { kind: 'boolean' },
  profile: { kind: 'string', one: PROFILES },
  max_file_size: { kind: 'number' },
  exclude: { kind: 'strings' },
  skip_table: { kind: 'strings' },
};
const KEY_KEYS = ['tags', 'multi_region', 'deletion_window_days', 'description', 'alias', 'retain', 'deny_direct_grants'] as const;
const TOP_KEYS = [...Object.keys(KEYS), 'key'];

/**
 * The configuration files of a run, each with the paths it governs (in the paths' order): the one named
 * (`--config`) for all of them, else each path's nearest `.kmsfix.yml`, from the path upward to its git
 * work tree's root (nearestConfig; `undefined`: none). A file inside the scanned folders governs its own
 * folder: src/cli/scopes.ts splits it off as the run walks.
 */
export function configScopes(
  named: string | undefined,
  paths: string[],
  cwd: string,
): { configFile?: string; paths: string[]; spellings?: string[] }[] {
  if (named !== undefined) {
    const abs = path.resolve(cwd, named);
    if (!existsSync(abs)) throw new ConfigError([{ file: named, message: 'no such configuration file' }]);
    // Read as a file, a folder said `cannot read: EISDIR: illegal operation on a directory`.
    if (statSync(abs).isDirectory()) {
      const inside = CONFIG_NAMES.map((n) => path.join(abs, n)).find((f) => existsSync(f));
      const hint = inside ? ` (--config ${toPosix(path.join(named, path.basename(inside)))}?)` : '';
      throw new UsageError(`--config ${named}: is a folder; name the configuration file${hint}`);
    }
    return [{ configFile: abs, paths }];
  }
  // By configKey: one repository named twice (`payments` and `current -> payments`) is one scope, whose
  // single walk keeps each file once (src/io/discover.ts, by real path), as a run without a file does.
  const found = new Map<string | undefined, { configFile?: string; paths: string[]; spellings?: string[] }>();
  for (const p of paths) {
    const f = nearestConfig(path.resolve(cwd, p));
    const key = f === undefined ? undefined : configKey(f);
    const scope = found.get(key) ?? (f === undefined ? { paths: [] } : { configFile: f, paths: [] });
    // The spelling without a symbolic link: its folder is the base of the file's exclude globs, and the
    // walk keeps each file as met without a link (a glob relative to `current/` misses `payments/x`).
    if (f !== undefined && key === f) scope.configFile = f;
    if (f !== undefined && !(scope.spellings ??= []).includes(f)) scope.spellings.push(f);
    scope.paths.push(p);
    found.set(key, scope);
  }
  if (found.size === 0) return [{ configFile: nearestConfig(cwd), paths }];
  if (found.size > 1) refuseReadTwoWays(paths, cwd);
  return [...found.values()];
}

/**
 * A path given inside another given folder (`fix src src/r1`) is read by the outer one's walk too, which gives it
 * the file nearest it up to that folder, or the outer's own; its own search stops at its work tree's root, the walk's
 * does not. Where the two differ (src/.kmsfix.yml above the repository src/r1, which has none), its files would be
 * read, and fixed, once with each: the run is refused (exit 2), as a run over different files was before they had
 * scopes. By real path: `current/sub` with `current -> payments` is inside `payments`.
 */
function refuseReadTwoWays(paths: string[], cwd: string): void {
  const given = paths.map((p) => ({ p, abs: path.resolve(cwd, p), real: realish(path.resolve(cwd, p)) }));
  const key = (f: string | undefined) => (f === undefined ? undefined : configKey(f));
  for (const outer of given) {
    if (!statSync(outer.abs, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const inner of given) {
      const rel = path.relative(outer.real, inner.real);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      // The walk from the outer path passes work tree roots, and stops at that path.
      const walked = nearest(inner.real, (dir) => dir === outer.real) ?? nearestConfig(outer.abs);
      const own = nearestConfig(inner.abs);
      if (key(walked) === key(own)) continue;
      const which = (f: string | undefined) => (f === undefined ? 'no configuration file' : shown(f, cwd));
      throw new UsageError(
        `${inner.p} is inside ${outer.p}, whose walk reads it with ${which(walked)}, while its own search (which stops at its ` +
          `git work tree's root) finds ${which(own)}: name only one of them (or the file to use, with --config)`,
      );
    }
  }
}

/** The configuration file nearest to a path (a file's folder, or the folder): at or above it, up to its git work tree's root. */
export function nearestConfig(start: string): string | undefined {
  return nearest(start, (dir) => existsSync(path.join(dir, '.git')));
}

/** A configuration file by the real path of its folder (the file itself may be a symbolic link to a shared one): the same file reached through two spellings. */
export function configKey(file: string): string {
  return path.join(realish(path.dirname(file)), path.basename(file));
}

/** The configuration file of a folder (src/io/discover.ts configNameIn: an entry of its name, of any kind), if any. */
export function configIn(dir: string): string | undefined {
  const name = configNameIn((n) => lstatSync(path.join(dir, n), { throwIfNoEntry: false }) !== undefined);
  return name === undefined ? undefined : path.join(dir, name);
}

/** The configuration file at or above `start` (a file's folder, or the folder), up to the folder `last` says is the last one (or the filesystem root). */
function nearest(start: string, last: (dir: string) => boolean): string | undefined {
  let dir = start;
  try {
    if (!statSync(start).isDirectory()) dir = path.dirname(start);
  } catch {
    dir = path.dirname(start);
  }
  for (;;) {
    const f = configIn(dir);
    if (f !== undefined) return f;
    const up = path.dirname(dir);
    if (last(dir) || up === dir) return undefined;
    dir = up;
  }
}

function shown(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return toPosix(rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs);
}

/** Read and validate a configuration file (absolute path). */
export async function loadConfig(abs: string, cwd: string): Promise<Config> {
  const file = shown(abs, cwd);
  let text: string;
  try {
    // A FIFO or a device of the name would block the read (the run would wait for ever): only a regular file is read.
    const st = statSync(abs);
    if (!st.isFile() && !st.isDirectory())
      throw new ConfigError([{ file, message: 'is not a regular file (a FIFO, socket or device): remove or rename it' }]);
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // A folder of the name is a configuration file here all the same (configIn): said as what it is.
    if ((err as NodeJS.ErrnoException).code === 'EISDIR')
      throw new ConfigError([{ file, message: 'is a folder, not a configuration file: remove or rename it' }]);
    throw new ConfigError([{ file, message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseConfig(text.replace(/^\uFEFF/, ''), file, path.dirname(abs));
}

type Node = import('yaml').Node;

export async function parseConfig(text: string, file: string, dir: string): Promise<Config> {
  const YAML = await import('yaml');
  const lines = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const at = (node: { range?: [number, number, number] | null } | null | undefined, message: string) => {
    const { line, column } = lines.position(node?.range?.[0] ?? 0);
    problems.push({ file, line, column, message });
  };
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    const { line, column } = lines.position(e.pos[0]);
    problems.push({ file, line, column, message: `YAML: ${e.message.split('\n')[0]}` });
  }
  if (problems.length) throw new ConfigError(problems);
  const config: Config = { file, dir, values: {} };
  const root = doc.contents;
  if (root === null || (YAML.isScalar(root) && root.value === null)) return config;
  if (!YAML.isMap(root)) throw new ConfigError([{ file, line: 1, column: 1, message: 'expected a mapping of settings (key: value)' }]);

  const scalar = (n: unknown) => (YAML.isScalar(n) ? n.value : undefined);
  const check = (name: string, node: Node | null, kind: Kind, one?: readonly string[]): unknown => {
    const v = scalar(node);
    switch (kind) {
      case 'string':
        if (typeof v !== 'string' || v.trim() === '') return at(node, `${name} must be a non-empty string`);
        if (one && !one.includes(v)) return at(node, `${name} must be ${one.join(', ')}, not '${v}'${didYouMean(v, one, (k) => `'${k}'`)}`);
        return v;
      case 'boolean':
        return typeof v === 'boolean' ? v : at(node, `${name} must be true or false`);
      case 'number':
        if (name === 'max_file_size')
          return typeof v === 'number' && validMaxMb(v)
            ? v
            : at(node, `${name} must be a number of MB, finite and at least one byte (0.000001)`);
        return typeof v === 'number' && v > 0 ? v : at(node, `${name} must be a number above 0`);
      case 'strings': {
        const items = YAML.isSeq(node) ? node.items : YAML.isScalar(node) ? [node] : undefined;
        if (!items) return at(node, `${name} must be a list of strings`);
        const out: string[] = [];
        for (const item of items) {
          const s = scalar(item);
          if (typeof s !== 'string' || s.trim() === '') at(item as Node, `${name}: each item must be a non-empty string`);
          else out.push(s);
        }
        return out;
      }
    }
  };

  for (const pair of root.items) {
    const name = String(scalar(pair.key));
    const node = pair.value as Node | null;
    if (name === 'key') {
      const key = keySection(node);
      if (key) config.key = key;
      continue;
    }
    const spec = KEYS[name as keyof ConfigValues];
    if (!spec) {
      at(pair.key as Node, `unknown key '${name}'${didYouMean(name.replace(/-/g, '_'), TOP_KEYS, (k) => `'${k}'`)}`);
      continue;
    }
    const v = check(name, node, spec.kind, spec.one);
    const arnProblem = name === 'kms_key_arn' && typeof v === 'string' ? keyArnUsage(v) : undefined;
    if (arnProblem) at(node, arnProblem.replace(/^--kms-key-arn/, 'kms_key_arn'));
    else if (v !== undefined) (config.values as Record<string, unknown>)[name] = v;
    // As the flags are: one of the two was passed over without a word (the central key replaced by generated ones).
    if (
      v !== undefined &&
      (name === 'key_policy' || name === 'kms_key_arn') &&
      config.values.key_policy !== undefined &&
      config.values.kms_key_arn !== undefined
    )
      at(pair.key as Node, 'key_policy and kms_key_arn cannot be combined: with kms_key_arn no key is generated (remove key_policy)');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;

  function keySection(node: Node | null): KeySettings | undefined {
    if (!YAML.isMap(node)) {
      at(node, 'key must be a mapping (tags, multi_region, deletion_window_days, description, alias, retain, deny_direct_grants)');
      return undefined;
    }
    const out: KeySettings = {};
    for (const pair of node.items) {
      const name = String(scalar(pair.key));
      const value = pair.value as Node | null;
      const one: KeySettings = {};
      const placed = new Set<string>();
      switch (name) {
        case 'tags':
          if (!YAML.isMap(value)) {
            at(value, 'key.tags must be a mapping of tag names to values');
            continue;
          }
          one.tags = {};
          for (const t of value.items) {
            const v = scalar(t.value);
            if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
              at(t.value as Node, `key.tags.${String(scalar(t.key))} must be a string`);
              continue;
            }
            const k = String(scalar(t.key));
            one.tags[k] = String(v);
            // Each tag's problems at its own line (a line break in one value among many).
            for (const p of keySettingsProblems({ tags: { [k]: String(v) } })) {
              at(t.key as Node, `key.tags: ${p}`);
              placed.add(p);
            }
          }
          break;
        case 'multi_region': {
          const v = check('key.multi_region', value, 'boolean');
          if (typeof v === 'boolean') one.multiRegion = v;
          break;
        }
        case 'deny_direct_grants': {
          const v = check('key.deny_direct_grants', value, 'boolean');
          if (typeof v === 'boolean') one.denyDirectGrants = v;
          break;
        }
        case 'deletion_window_days': {
          const v = scalar(value);
          if (typeof v !== 'number') at(value, 'key.deletion_window_days must be a number of days from 7 to 30');
          else one.deletionWindowDays = v;
          break;
        }
        case 'description':
        case 'alias': {
          const v = check(`key.${name}`, value, 'string');
          if (typeof v === 'string') one[name] = v;
          break;
        }
        case 'retain': {
          const v = check('key.retain', value, 'string', KEY_RETAIN);
          if (typeof v === 'string') one.retain = v as KeyRetain;
          break;
        }
        default:
          at(pair.key as Node, `unknown key 'key.${name}'${didYouMean(name.replace(/-/g, '_'), KEY_KEYS, (k) => `'key.${k}'`)}`);
          continue;
      }
      for (const p of keySettingsProblems(one)) if (!placed.has(p)) at(value, `key.${name}: ${p}`);
      Object.assign(out, one);
    }
    return out;
  }
}

/** A file size limit in MB, as the flag and the configuration file take it: finite, and at least one byte. */
export function validMaxMb(mb: number): boolean {
  return Number.isFinite(mb) && mb * 1024 * 1024 >= 1;
}

/**
 * The configuration files inside the scanned folders that a run with `--config FILE` does not apply
 * (display paths): the file named replaces every other (src/cli/config.ts configScopes), so a team's file
 * in a subfolder (`services/a/.kmsfix.yml`, its `skip_table`) is passed over: said in a note.
 */
export function nestedConfigs(configs: readonly string[], configFile: string | undefined, cwd: string): string[] {
  if (configs.length === 0) return [];
  const inUse = configFile === undefined ? undefined : realish(configFile);
  return configs.filter((c) => c !== configFile && realish(c) !== inUse).map((c) => displayPath(c, cwd));
}

/** What nestedConfigs found, for a note: the files, the one applied instead, and how to apply them. */
export function nestedConfigsText(nested: string[], p: { command: string; configFile?: string }, cwd: string): string {
  const many = nested.length > 1;
  const files = nested.slice(0, 5).join(', ') + (nested.length > 5 ? `, and ${nested.length - 5} more` : '');
  const inUse = p.configFile === undefined ? undefined : displayPath(p.configFile, cwd);
  const folder = path.posix.dirname(nested[0]);
  return (
    `${files} ${many ? 'are' : 'is'} inside the scanned folders and not applied (--config ${inUse} is applied instead): ` +
    `to apply ${many ? 'them' : 'it'}, run without --config (each file then governs its folder), or kmsfix ${p.command} ${folder}`
  );
}
