/**
 * A SAM project's environments: the parameter values `sam deploy --config-env <env>` passes, as its
 * configuration file sets them (`samconfig.toml`, `.yaml`, `.yml` or `.json`; `[<env>.deploy.parameters]`
 * `parameter_overrides`, else `[<env>.global.parameters]`'s). The SAM CLI looks for the file in the
 * template's folder (where `--template-file` points, else the working folder, where `template.yaml` is);
 * a file one or two folders above counts where an environment's `template_file` names the template.
 *
 * A table setting that is `!Ref` to a parameter one environment sets takes, in each environment, its
 * value there, else the parameter's Default (detect.ts); a condition an `Fn::If` reads is evaluated in
 * each environment (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, over parameters' values). Detection
 * records that a table reads parameters; the format then reads the file and detects again (index.ts).
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { type CMap, type CNode, child, parseJson, parseYaml, resolveAlias } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, referencedIds } from './detect.js';

export interface Environment {
  name: string;
  /** The parameter values the environment passes (`parameter_overrides`). */
  values: Map<string, string>;
}

/** The environments a configuration file names, or why it cannot be read (every parameter is then not known). */
export interface Environments {
  /** The file, as shown (`samconfig.toml`, `../samconfig.toml`). */
  file: string;
  list: Environment[];
  unreadable?: string;
}

/** `samconfig.toml` (then `.yaml`, `.yml`, `.json`), and files of the same kinds per environment (`samconfig-prod.toml`). */
const CONFIG_NAMES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml', 'samconfig.json'];
const PER_ENVIRONMENT = /^samconfig[-_.][^/]*\.(?:toml|ya?ml|json)$/;
/** The commands whose sections say an environment deploys, the first that sets `parameter_overrides` deciding. */
const DEPLOYING = ['deploy', 'sync'];

/**
 * The configuration of the template `file`: the files in its folder (`samconfig.toml`, which `sam deploy` reads,
 * and any `samconfig-<env>.toml` a `--config-file` names: every environment of each), else a file one or two
 * folders above whose environments name the template as `template_file`.
 */
export async function readEnvironments(file: SourceFile, context: DiskContext): Promise<Environments | undefined> {
  const own = await context.folderFiles(file, '.', (name) => CONFIG_NAMES.includes(name) || PER_ENVIRONMENT.test(name));
  if (own.length > 0) {
    const rank = (f: SourceFile) => {
      const i = CONFIG_NAMES.indexOf(path.posix.basename(f.path));
      return i === -1 ? CONFIG_NAMES.length : i;
    };
    own.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
    // The SAM CLI reads the first of its default names only; files per environment each.
    const read = own.filter((f, i) => rank(f) === CONFIG_NAMES.length || i === 0);
    const each = await Promise.all(read.map((f) => environmentsOf(f, file, true)));
    return merged(each as Environments[]);
  }
  for (const rel of ['..', '../..']) {
    const found = await context.folderFiles(file, rel, (name) => CONFIG_NAMES.includes(name));
    found.sort((a, b) => CONFIG_NAMES.indexOf(path.posix.basename(a.path)) - CONFIG_NAMES.indexOf(path.posix.basename(b.path)));
    const envs = found[0] && (await environmentsOf(found[0], file, false));
    if (envs) return envs;
  }
  return undefined;
}

/** Several files' environments as one: each named after its file (`samconfig-prod.toml default`); unreadable if one is. */
function merged(each: Environments[]): Environments {
  if (each.length === 1) return each[0];
  const bad = each.find((e) => e.unreadable !== undefined);
  const file = each.map((e) => e.file).join(', ');
  if (bad) return { file, list: [], unreadable: `${bad.file}: ${bad.unreadable}` };
  return { file, list: each.flatMap((e) => e.list.map((env) => ({ ...env, name: `${path.posix.basename(e.file)} ${env.name}` }))) };
}

/** The environments of `config` that deploy `template` (`own`: the file is in the template's folder). */
async function environmentsOf(config: SourceFile, template: SourceFile, own: boolean): Promise<Environments | undefined> {
  const shown = config.path;
  if (config.unreadable !== undefined) return own ? { file: shown, list: [], unreadable: config.unreadable } : undefined;
  let root: unknown;
  try {
    root = await plainOf(config);
  } catch (e) {
    return own ? { file: shown, list: [], unreadable: `it does not parse (${(e as Error).message.split('\n')[0]})` } : undefined;
  }
  if (!isObject(root)) return own ? { file: shown, list: [] } : undefined;
  const list: Environment[] = [];
  for (const [name, env] of Object.entries(root)) {
    if (!isObject(env)) continue;
    const global = parametersOf(env.global);
    const command = DEPLOYING.map((c) => parametersOf(env[c])).find((p) => p !== undefined);
    if (!command && !global) continue;
    const template_ = command?.template_file ?? command?.template ?? global?.template_file ?? global?.template;
    if (!deploysTemplate(template_, config, template, own)) continue;
    const overrides = command?.parameter_overrides ?? global?.parameter_overrides;
    list.push({ name, values: parameterOverrides(overrides) });
  }
  return own || list.length > 0 ? { file: shown, list } : undefined;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const parametersOf = (section: unknown): Record<string, unknown> | undefined =>
  isObject(section) && isObject(section.parameters) ? section.parameters : undefined;

/**
 * Does an environment's `template_file` name the template? None: the template of the config's folder (where the file
 * is the template's own). One the build writes (`.aws-sam/build/template.yaml`) is built from the folder's template.
 */
function deploysTemplate(named: unknown, config: SourceFile, template: SourceFile, own: boolean): boolean {
  if (typeof named !== 'string' || named.trim() === '') return own;
  if (/(^|[\\/])\.aws-sam[\\/]/.test(named)) return own;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(config.path), named.replace(/\\/g, '/')));
  return resolved === path.posix.normalize(template.path);
}

async function plainOf(config: SourceFile): Promise<unknown> {
  if (config.path.endsWith('.toml')) return (await import('smol-toml')).parse(config.text);
  const root = config.path.endsWith('.json') ? parseJson(config.text)[0]?.root : parseYaml(config.text)[0]?.root;
  return plain(root ?? null);
}

function plain(node: CNode | null): unknown {
  node = resolveAlias(node);
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  if (node.kind === 'map') return Object.fromEntries(node.pairs.map((p) => [p.key, plain(p.value)]));
  return null;
}

// ---------------------------------------------------------------- parameter_overrides, as the SAM CLI reads them

/** A value: double- or single-quoted (backslash escapes), or a run of characters up to a space. */
const VALUE = String.raw`("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|(?:\\.|[^ "\\])+)`;
const KEY = `([A-Za-z0-9"']+)`;
const LONG_FORM = new RegExp(`ParameterKey=${KEY},ParameterValue=${VALUE}`, 'g');
const SHORT_FORM = new RegExp(` ${KEY}=${VALUE}`, 'g');

/** `"A=1 B='x y'"`, `["A=1", "B=2"]`, or `ParameterKey=A,ParameterValue=1 ...`: the values by parameter. */
export function parameterOverrides(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  for (const item of items as string[]) {
    const text = ` ${item.trim()}`;
    // The SAM CLI takes the first form that matches anywhere in the item, for the whole item.
    const form = new RegExp(LONG_FORM.source, 'g').test(text) ? LONG_FORM : SHORT_FORM;
    for (const m of text.matchAll(new RegExp(form.source, 'g'))) out.set(unquoted(m[1]), unquoted(m[2]));
  }
  return out;
}

function unquoted(s: string): string {
  const inner = s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
  return inner.replace(/\\ /g, ' ').replace(/\\"/g, '"').replace(/\\'/g, "'");
}

// ---------------------------------------------------------------- values and conditions in each environment

/** A parameter's value in an environment: its override, else its Default (undefined: neither, the deploy fails). */
export type ParameterValue = (env: Environment, name: string) => string | undefined;

/**
 * The condition's value in the environment: true, false, or undefined where it reads anything else than
 * parameters (a pseudo parameter such as AWS::Region, another intrinsic) or a parameter without a value.
 */
export function conditionIn(
  name: string,
  conditions: CMap | undefined,
  env: Environment,
  value: ParameterValue,
  depth = 0,
): boolean | undefined {
  const node = resolveAlias(child(conditions, name) ?? null);
  return depth > 20 || !node ? undefined : truth(node, conditions, env, value, depth + 1);
}

function truth(node: CNode, conditions: CMap | undefined, env: Environment, value: ParameterValue, depth: number): boolean | undefined {
  const fn = intrinsicName(node);
  const arg = resolveAlias(intrinsicArg(node));
  const args = arg?.kind === 'seq' ? arg.items.map((i) => resolveAlias(i)) : [];
  const each = () => args.map((a) => (a ? truth(a, conditions, env, value, depth) : undefined));
  switch (fn) {
    case 'Condition':
      return arg?.kind === 'scalar' ? conditionIn(String(arg.value), conditions, env, value, depth) : undefined;
    case 'Fn::Not': {
      const [v] = each();
      return args.length === 1 && v !== undefined ? !v : undefined;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const vs = each();
      const decisive = fn !== 'Fn::And';
      if (vs.includes(decisive)) return decisive;
      return vs.length > 0 && vs.every((v) => v !== undefined) ? !decisive : undefined;
    }
    case 'Fn::Equals': {
      const [a, b] = args.map((x) => stringIn(x, env, value));
      return args.length === 2 && a !== undefined && b !== undefined ? a === b : undefined;
    }
    default:
      return undefined;
  }
}

/** A scalar, or `!Ref` to a parameter, as the string CloudFormation compares. */
function stringIn(node: CNode | null, env: Environment, value: ParameterValue): string | undefined {
  if (node?.kind === 'scalar' && !node.tag) return node.value === null ? '' : String(node.value);
  if (intrinsicName(node) !== 'Ref') return undefined;
  const name = referencedIds(node)[0];
  return name === undefined || name.startsWith('AWS::') ? undefined : value(env, name);
}
