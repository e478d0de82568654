/**
 * A SAM project's environments: the parameter values `sam deploy --config-env <env>` passes, as its
 * configuration file sets them (`samconfig.toml`, `.yaml` or `.yml`: the SAM CLI reads no JSON one;
 * `[<env>.deploy.parameters]` `parameter_overrides`, else `[<env>.global.parameters]`'s). The SAM CLI
 * looks for the file in the template's folder (where `--template-file` points, else the working folder,
 * whose `template.yaml` it deploys); a file one or two folders above counts where an environment's
 * `template_file` names the template.
 *
 * A table setting that is `!Ref` to a parameter one environment sets takes, in each environment, its
 * value there, else the parameter's Default (settings.ts); a condition an `Fn::If` reads is evaluated in
 * each environment (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, over parameters' values and Fn::FindInMap
 * lookups in the template's Mappings, mapLookup), and in every deploy where there is none. Detection
 * records that a table reads parameters; the format then reads the file and detects again (index.ts).
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { type StackParameters, templateFileOf, terraformStacks } from '../../core/terraformStacks.js';
import { type CMap, type CNode, child, MERGE_KEY, parseYaml, resolveAlias } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, referencedIds } from './intrinsics.js';

export interface Environment {
  name: string;
  /** The parameter values the environment passes (`parameter_overrides`). */
  values: Map<string, string>;
  /**
   * Parameters passed a value the deployer computes, which kmsfix does not evaluate (Copilot's
   * addons.parameters.yml `!Ref Env`, `!GetAtt ...`): by name, what is passed as written. Such a parameter is not known.
   */
  computed?: Map<string, string>;
}

/** The environments a configuration file names, or why it cannot be read (every parameter is then not known). */
export interface Environments {
  /** The file, as shown (`samconfig.toml`, `../samconfig.toml`). */
  file: string;
  list: Environment[];
  unreadable?: string;
}

/** `samconfig.toml` (then `.yaml`, `.yml`), and files of the same kinds per environment (`samconfig-prod.toml`). */
const CONFIG_NAMES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'];
const PER_ENVIRONMENT = /^samconfig[-_.][^/]*\.(?:toml|ya?ml)$/;
/** The template `sam deploy` takes from its folder when no `template_file` names one. */
const DEFAULT_TEMPLATES = ['template.yaml', 'template.yml', 'template.json'];
/** A template of the folder deployed otherwise (`-t other.yaml`, or a nested stack's): with its Defaults too. */
const AS_NESTED: Environment = {
  name: 'its Defaults (another template of the folder: `sam deploy -t`, or a nested stack)',
  values: new Map(),
};

/**
 * The SAM configuration files that may deploy the template `file`, in the order the SAM CLI would weigh them: in its
 * folder (`own`), the first of the default names only and every `samconfig-<env>.toml`; then the first of the default
 * names one and two folders above (whose environments deploy it only where they name it as `template_file`).
 * readEnvironments and the deploy roles (deployRoles.ts) read the same files.
 */
export async function samConfigurations(file: SourceFile, context: DiskContext): Promise<{ config: SourceFile; own: boolean }[]> {
  const out: { config: SourceFile; own: boolean }[] = [];
  const own = await context.folderFiles(file, '.', (name) => CONFIG_NAMES.includes(name) || PER_ENVIRONMENT.test(name));
  const rank = (f: SourceFile) => {
    const i = CONFIG_NAMES.indexOf(path.posix.basename(f.path));
    return i === -1 ? CONFIG_NAMES.length : i;
  };
  own.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
  // The SAM CLI reads the first of its default names only; files per environment each.
  for (const [i, f] of own.entries()) if (rank(f) === CONFIG_NAMES.length || i === 0) out.push({ config: f, own: true });
  for (const rel of ['..', '../..']) {
    const above = await context.folderFiles(file, rel, (name) => CONFIG_NAMES.includes(name));
    above.sort((a, b) => rank(a) - rank(b));
    if (above[0]) out.push({ config: above[0], own: false });
  }
  return out;
}

/**
 * The configuration of the template `file`: the files in its folder (`samconfig.toml`, which `sam deploy` reads,
 * and any `samconfig-<env>.toml` a `--config-file` names: every environment of each), and the files one or two
 * folders above whose environments name the template as `template_file`.
 */
export async function readEnvironments(file: SourceFile, context: DiskContext): Promise<Environments | undefined> {
  if (COPILOT_ADDON.test(file.path)) return copilotParameters(file, context);
  const stacks = await terraformStackEnvironments(file, context);
  if (stacks) return stacks;
  const found: (Environments & { named?: boolean })[] = [];
  for (const { config, own } of await samConfigurations(file, context)) {
    const envs = await environmentsOf(config, file, own, context);
    if (own || envs.list.length > 0) found.push(envs);
  }
  if (found.length === 0) return undefined;
  // A template the folder's configurations do not deploy by default (not template.yaml): also with its Defaults.
  const named = found.some((e) => e.list.length > 0) && !DEFAULT_TEMPLATES.includes(path.posix.basename(file.path));
  const all = merged(found);
  return named && !all.unreadable && !found.some((e) => e.named) ? { ...all, list: [...all.list, AS_NESTED] } : all;
}

/**
 * The Terraform stacks that deploy this template file (real-world round 38, F3): an `aws_cloudformation_stack` of a
 * `.tf` file in the template's folder or the one above whose `template_body = file("${path.module}/<template>")`
 * (or `templatefile(...)`) names it. Each is a deploy with the `parameters` it passes (core/terraformStacks.ts); a
 * `parameters` kmsfix cannot read (`var.params`) leaves every parameter not known. Undefined where no stack names it.
 */
async function terraformStackEnvironments(file: SourceFile, context: DiskContext): Promise<Environments | undefined> {
  const found: { stack: StackParameters; tf: string }[] = [];
  const target = path.posix.normalize(file.path);
  for (const rel of ['.', '..']) {
    for (const tf of await context.folderFiles(file, rel, (name) => name.endsWith('.tf'))) {
      if (tf.unreadable !== undefined) continue;
      for (const s of terraformStacks(tf.text)) {
        const named = templateFileOf(s.templateBody);
        if (named !== undefined && path.posix.normalize(path.posix.join(path.posix.dirname(tf.path), named)) === target)
          found.push({ stack: s.parameters, tf: tf.path });
      }
    }
  }
  if (found.length === 0) return undefined;
  const shown = [...new Set(found.map((f) => f.tf))].join(', ');
  const bad = found.find((f) => f.stack.unreadable !== undefined);
  if (bad) return { file: shown, list: [], unreadable: bad.stack.unreadable };
  return {
    file: shown,
    list: found.map((f) => ({ name: `${f.stack.stack} (${f.tf})`, values: f.stack.values, computed: f.stack.computed })),
  };
}

/** Several files' environments as one: each named after its file (`samconfig-prod.toml default`); unreadable if one is. */
function merged(each: (Environments & { named?: boolean })[]): Environments {
  if (each.length === 1) return each[0];
  const bad = each.find((e) => e.unreadable !== undefined);
  const file = each.map((e) => e.file).join(', ');
  if (bad) return { file, list: [], unreadable: `${bad.file}: ${bad.unreadable}` };
  return { file, list: each.flatMap((e) => e.list.map((env) => ({ ...env, name: `${path.posix.basename(e.file)} ${env.name}` }))) };
}

/**
 * The environments of `config` that deploy `template` (`own`: the file is in the template's folder): each
 * environment's `deploy` section (or `sync`'s, where there is no deploy section or it passes overrides of its
 * own: `sam sync` deploys too), its `parameter_overrides` there, else its `global` section's. `named`: an
 * environment names the template as its `template_file`.
 */
async function environmentsOf(
  config: SourceFile,
  template: SourceFile,
  own: boolean,
  context: DiskContext,
): Promise<Environments & { named?: boolean }> {
  const shown = config.path;
  const unreadable = (why: string) => ({ file: shown, list: [], ...(own ? { unreadable: why } : {}) });
  if (config.unreadable !== undefined) return unreadable(config.unreadable);
  let root: unknown;
  try {
    root = await plainOf(config);
  } catch (e) {
    return unreadable(`it does not parse (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObject(root)) return { file: shown, list: [] };
  const list: Environment[] = [];
  let named = false;
  for (const [name, env] of Object.entries(root)) {
    if (!isObject(env)) continue;
    const global = parametersOf(env.global);
    const deploy = parametersOf(env.deploy);
    const sync = parametersOf(env.sync);
    const commands: [string, Record<string, unknown>][] = [];
    if (deploy) commands.push([name, deploy]);
    if (sync && (!deploy || 'parameter_overrides' in sync)) commands.push([deploy ? `${name} (sam sync)` : name, sync]);
    if (commands.length === 0 && global) commands.push([name, {}]);
    for (const [label, section] of commands) {
      const chosen = section.template_file ?? section.template ?? global?.template_file ?? global?.template;
      const deploys = deploysTemplate(chosen, config, template, own);
      if (!deploys) continue;
      if (deploys === 'named') named = true;
      // A command's own `parameter_overrides` (null too: none) replaces the global one.
      const overrides = 'parameter_overrides' in section ? section.parameter_overrides : global?.parameter_overrides;
      const values = await parameterValues(overrides, config, context);
      if (typeof values === 'string') return unreadable(values);
      list.push({ name: label, values });
    }
  }
  return { file: shown, list, ...(named ? { named } : {}) };
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const parametersOf = (section: unknown): Record<string, unknown> | undefined =>
  isObject(section) && isObject(section.parameters) ? section.parameters : undefined;

/**
 * Does an environment's `template_file` name the template ('named')? None: the folder's template, where the file is
 * the template's own (true; the caller adds the Defaults for a template of another name). One the build writes
 * (`.aws-sam/build/template.yaml`) is built from the folder's template.
 */
export function deploysTemplate(chosen: unknown, config: SourceFile, template: SourceFile, own: boolean): boolean | 'named' {
  if (typeof chosen !== 'string' || chosen.trim() === '') return own;
  const named = chosen.trim().replace(/\\/g, '/');
  if (/(^|\/)\.aws-sam\//.test(named)) return own;
  const resolved = path.posix.isAbsolute(named)
    ? path.posix.normalize(named) === path.posix.normalize(template.absPath.replace(/\\/g, '/'))
    : path.posix.normalize(path.posix.join(path.posix.dirname(config.path), named)) === path.posix.normalize(template.path);
  return resolved ? 'named' : false;
}

/** Each configuration or parameter file's data, read once per run and thread (every template of its folder asks). */
const read = new WeakMap<SourceFile, Promise<unknown>>();

export function plainOf(config: SourceFile): Promise<unknown> {
  let data = read.get(config);
  if (!data) {
    data = config.path.endsWith('.toml')
      ? import('smol-toml').then((toml) => toml.parse(config.text))
      : Promise.resolve().then(() => plain(parseYaml(config.text)[0]?.root ?? null, new Map()));
    read.set(config, data);
  }
  return data;
}

/**
 * A YAML node as plain data, as the SAM CLI's reader (ruamel.yaml) gives it: merge keys (`<<: *common`) merged
 * under the mapping's own keys, and an alias the same object as its anchor's (built once, never copied: a file
 * of nested aliases stays its own size).
 */
function plain(node: CNode | null, built: Map<CNode, unknown>): unknown {
  node = resolveAlias(node);
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  const done = built.get(node);
  if (done !== undefined) return done;
  if (node.kind === 'seq') {
    const out: unknown[] = [];
    built.set(node, out);
    for (const item of node.items) out.push(plain(item, built));
    return out;
  }
  if (node.kind !== 'map') return null;
  const out: Record<string, unknown> = {};
  built.set(node, out);
  const merges = node.pairs
    .filter((p) => p.key === '<<')
    .flatMap((p) => {
      const v = plain(p.value, built);
      return Array.isArray(v) ? v : [v];
    });
  for (const m of merges) if (isObject(m)) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
  for (const p of node.pairs) if (p.key !== '<<') out[p.key] = plain(p.value, built);
  return out;
}

// ---------------------------------------------------------------- Copilot's addons.parameters.yml

/** A file of a Copilot workload's or environment's addons folder (`copilot/<svc>/addons/x.yml`, `copilot/environments/addons/`). */
const COPILOT_ADDON = /(?:^|\/)copilot\/[^/]+\/addons\/[^/]+\.ya?ml$/;
const COPILOT_PARAMETER_FILES = ['addons.parameters.yml', 'addons.parameters.yaml'];
/** What Copilot passes every addon, whatever addons.parameters.yml says (it refuses a file that declares them). */
const COPILOT_RESERVED: [string, string][] = [
  ['App', "the application's name"],
  ['Env', "the environment's name"],
  ['Name', "the workload's name"],
];

/**
 * A Copilot addon's parameters: Copilot merges the addons folder's templates into one nested stack of the
 * workload's (or environment's) stack, and passes it App, Env and Name, and the `Parameters:` map of the folder's
 * `addons.parameters.yml` (or `.yaml`; both is an error), each value written into the parent stack's
 * `AWS::CloudFormation::Stack` Parameters as it is: a literal, or an expression of the parent stack (`!Ref Env`,
 * `!GetAtt EnvControllerAction.Outputs`), which kmsfix does not evaluate (aws/copilot-cli
 * internal/pkg/addon/addons.go: parameterFileNames, Addons.Parameters, validateReservedParameters). One deploy
 * (every Copilot environment gets the same file); undefined where the folder has no such file: then the
 * parameters' Defaults decide, as for any nested stack.
 */
async function copilotParameters(file: SourceFile, context: DiskContext): Promise<Environments | undefined> {
  if (COPILOT_PARAMETER_FILES.includes(path.posix.basename(file.path))) return undefined;
  const files = await context.folderFiles(file, '.', (name) => COPILOT_PARAMETER_FILES.includes(name));
  if (files.length === 0) return undefined;
  const shown = files.map((f) => f.path).join(', ');
  if (files.length > 1) return { file: shown, list: [], unreadable: 'Copilot refuses both files in one addons folder' };
  const [config] = files;
  if (config.unreadable !== undefined) return { file: shown, list: [], unreadable: config.unreadable };
  let root: CNode | null | undefined;
  try {
    root = resolveAlias(parseYaml(config.text)[0]?.root ?? null);
  } catch (e) {
    return { file: shown, list: [], unreadable: `it does not parse (${(e as Error).message.split('\n')[0]})` };
  }
  const params = resolveAlias(child(root, 'Parameters') ?? null);
  if (params?.kind !== 'map') return { file: shown, list: [], unreadable: "it has no 'Parameters' map (Copilot refuses it)" };
  const values = new Map<string, string>();
  const computed = new Map<string, string>(COPILOT_RESERVED.map(([name, why]) => [name, `Copilot's addons stack (${why})`]));
  for (const p of params.pairs) {
    const v = resolveAlias(p.value);
    if (v?.kind === 'scalar' && !v.tag) values.set(p.key, v.value === null ? '' : String(v.value));
    else if (v) computed.set(p.key, `${config.path} as \`${v.tag ? `${v.tag} ` : ''}${config.text.slice(v.start, v.end)}\``);
  }
  return { file: shown, list: [{ name: 'every Copilot environment', values, computed }] };
}

// ---------------------------------------------------------------- parameter_overrides, as the SAM CLI reads them

/**
 * `parameter_overrides` in any form the SAM CLI takes (samcli/cli/types.py): a string (`"A=1 B='x y'"`, or
 * `ParameterKey=A,ParameterValue=1 ...`), a mapping (`A = "1"`; a list value joined with commas, null an empty
 * string), `$include` and `file://params.yaml` (read beside the file that names it), and lists of any of these.
 * A string why, where kmsfix cannot read one (a file it cannot find or parse).
 */
export async function parameterValues(
  value: unknown,
  from: SourceFile,
  context: DiskContext,
  depth = 0,
  budget = { files: MAX_PARAMETER_FILES },
): Promise<Map<string, string> | string> {
  const out = new Map<string, string>();
  const items = Array.isArray(value) ? value.flat(Infinity) : [value];
  for (const item of items) {
    if (typeof item === 'string' && item.startsWith('file://')) {
      if (depth >= 4) return `${item} nests too deep`;
      if (--budget.files < 0) return `${from.path} names more than ${MAX_PARAMETER_FILES} parameter files`;
      const read = await includedFile(item.slice(7), from, context);
      if (typeof read === 'string') return read;
      const nested = await parameterValues(read.value, read.file, context, depth + 1, budget);
      if (typeof nested === 'string') return nested;
      for (const [k, v] of nested) out.set(k, v);
    } else if (typeof item === 'string') for (const [k, v] of parameterOverrides(item)) out.set(k, v);
    else if (isObject(item))
      for (const [k, v] of Object.entries(item)) {
        if (k === '$include') {
          if (depth >= 4) return `${from.path}'s $include nests too deep`;
          const nested = await parameterValues(v, from, context, depth + 1, budget);
          if (typeof nested === 'string') return nested;
          for (const [nk, nv] of nested) out.set(nk, nv);
        } else
          out.set(
            unquoted(k),
            unquoted(
              v === null || v === undefined
                ? ''
                : Array.isArray(v)
                  ? v
                      .filter((x) => x !== null && x !== '')
                      .map((x) => pyString(x).trim())
                      .join(',')
                  : pyString(v),
            ),
          );
      }
  }
  return out;
}

/** How many `file://` parameter files one environment's overrides may read (nested ones included). */
const MAX_PARAMETER_FILES = 16;

/** A value as Python's str() writes it (the SAM CLI's): True, False. */
const pyString = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : String(v));

/** A `file://` parameters file, relative to the file naming it: its plain data, or why kmsfix cannot read it. */
async function includedFile(ref: string, from: SourceFile, context: DiskContext): Promise<{ value: unknown; file: SourceFile } | string> {
  const rel = ref.replace(/\\/g, '/');
  if (path.posix.isAbsolute(rel) || !/\.(?:toml|ya?ml)$/.test(rel)) return `file://${ref}, which kmsfix does not read`;
  const [file] = await context.folderFiles(from, path.posix.dirname(rel), (name) => name === path.posix.basename(rel));
  if (!file) return `file://${ref}, which kmsfix does not find beside ${from.path}`;
  if (file.unreadable !== undefined) return `${file.path}, which kmsfix cannot read (${file.unreadable})`;
  try {
    return { value: await plainOf(file), file };
  } catch (e) {
    return `${file.path}, which does not parse (${(e as Error).message.split('\n')[0]})`;
  }
}

/** A value: double- or single-quoted (backslash escapes), or a run of characters up to a space. */
const VALUE = String.raw`("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|(?:\\.|[^ "\\])+)`;
const KEY = `([A-Za-z0-9"']+)`;
const LONG_FORM = new RegExp(`ParameterKey=${KEY},ParameterValue=${VALUE}`, 'g');
const SHORT_FORM = new RegExp(` ${KEY}=${VALUE}`, 'g');

/** One string of `parameter_overrides`: `"A=1 B='x y'"`, or `ParameterKey=A,ParameterValue=1 ...`: the values by parameter. */
export function parameterOverrides(item: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = ` ${item.trim()}`;
  // The SAM CLI takes the first form that matches anywhere in the item, for the whole item.
  const form = new RegExp(LONG_FORM.source, 'g').test(text) ? LONG_FORM : SHORT_FORM;
  for (const m of text.matchAll(new RegExp(form.source, 'g'))) out.set(unquoted(m[1]), unquoted(m[2]));
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
 * What a condition reads where it is evaluated (one environment of a SAM configuration, or every deploy where
 * there is none): the template's Conditions and Mappings, and the values each parameter may take there (one, its
 * value in the environment; several, its AllowedValues; undefined where any value may be passed).
 */
export interface ConditionInputs {
  conditions?: CMap;
  mappings?: CMap;
  values: (name: string) => string[] | undefined;
}

/**
 * The condition's value: true, false, or undefined where it reads what kmsfix does not know (a parameter
 * without a value or AllowedValues, a pseudo parameter such as AWS::Region compared as itself, another
 * intrinsic), or where the values it may take make it true in some deploys and false in others.
 */
export function conditionIn(name: string, inputs: ConditionInputs, depth = 0): boolean | undefined {
  // Each condition once per evaluation: conditions naming one another twice over (`!And [Condition A,
  // Condition A]`, twenty deep) would otherwise be read 2^20 times; one naming itself is not known.
  const memo = (memos.get(inputs) ?? memos.set(inputs, new Map()).get(inputs))!;
  if (memo.has(name)) return memo.get(name);
  memo.set(name, undefined);
  const node = resolveAlias(child(inputs.conditions, name) ?? null);
  const value = depth > 20 || !node ? undefined : truth(node, inputs, depth + 1);
  memo.set(name, value);
  return value;
}

/** The conditions read so far in each evaluation (its inputs). */
const memos = new WeakMap<ConditionInputs, Map<string, boolean | undefined>>();

function truth(node: CNode, inputs: ConditionInputs, depth: number): boolean | undefined {
  const fn = intrinsicName(node);
  const arg = resolveAlias(intrinsicArg(node));
  const args = arg?.kind === 'seq' ? arg.items.map((i) => resolveAlias(i)) : [];
  const each = () => args.map((a) => (a ? truth(a, inputs, depth) : undefined));
  switch (fn) {
    case 'Condition':
      return arg?.kind === 'scalar' ? conditionIn(String(arg.value), inputs, depth) : undefined;
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
      // Each side may take several values (a parameter's AllowedValues, a lookup by Region): equal whichever
      // each takes, or unequal whichever; else not known. Read apart, two lookups by the same Region may only
      // leave the condition not known where it is decided: never decided where it is not.
      const [a, b] = args.map((x) => stringsIn(x, inputs, depth));
      if (args.length !== 2 || !a?.length || !b?.length) return undefined;
      const equal = a.flatMap((x) => b.map((y) => x === y));
      return equal.every((e) => e) ? true : equal.some((e) => e) ? undefined : false;
    }
    default:
      return undefined;
  }
}

/** How many values a value may take before kmsfix stops listing them (a Mapping of every Region is ~35). */
const MAX_VALUES = 256;

/**
 * The strings a value may be, as CloudFormation compares them: a scalar, `!Ref` to a parameter (its values),
 * or `Fn::FindInMap` (mapLookup, where every outcome is a string); undefined where kmsfix cannot list them.
 */
function stringsIn(node: CNode | null | undefined, inputs: ConditionInputs, depth: number): string[] | undefined {
  if (node?.kind === 'scalar' && !node.tag) return [node.value === null ? '' : String(node.value)];
  const fn = intrinsicName(node);
  if (fn === 'Fn::FindInMap') {
    const found = depth > 20 ? undefined : mapLookup(resolveAlias(intrinsicArg(node!)), inputs, depth + 1);
    return found && !found.other ? [...found.values] : undefined;
  }
  if (fn !== 'Ref') return undefined;
  const name = referencedIds(node)[0];
  return name === undefined || name.startsWith('AWS::') ? undefined : inputs.values(name);
}

/** What a lookup may give: the strings, and whether some outcome is not a string kmsfix reads (`other`). */
export interface MapLookup {
  values: Set<string>;
  other: boolean;
}

/**
 * `Fn::FindInMap [MapName, TopKey, SecondKey]` (AWS::LanguageExtensions' fourth argument `{DefaultValue: x}`
 * too): the values it may give. The one reader of a lookup, for conditions (stringsIn) and for a table's
 * `KMSMasterKeyId` (settings.ts). A name or key written as a literal, or one whose values kmsfix lists (a
 * parameter's AllowedValues, or its value in an environment), picks those entries; any other (a pseudo
 * parameter such as AWS::Region or AWS::AccountId, a parameter without AllowedValues) may be any key the level
 * holds: a deploy that looks up a key the Mapping lacks fails (or gives the DefaultValue), so the values
 * present are the outcomes. An outcome kmsfix does not read as a string (a level that is not a plain mapping,
 * a null entry, a value that is a list, a map or a function, a DefaultValue it cannot list) sets `other`: a
 * condition is then not known, and a key looked up is not known to be the AWS managed one. Undefined where the
 * lookup is not one (no Mappings, the wrong number of arguments), gives too many values to list, or no deploy
 * finds a value (each fails).
 */
export function mapLookup(arg: CNode | null, inputs: ConditionInputs, depth = 0): MapLookup | undefined {
  if (arg?.kind !== 'seq' || arg.items.length < 3 || arg.items.length > 4 || !inputs.mappings) return undefined;
  const fallback = arg.items.length === 4 ? child(resolveAlias(arg.items[3]), 'DefaultValue') : undefined;
  if (fallback === null || (arg.items.length === 4 && fallback === undefined)) return undefined;
  const out: MapLookup = { values: new Set(), other: false };
  let levels: CNode[] = [inputs.mappings];
  let missed = false;
  for (const key of arg.items.slice(0, 3)) {
    const picked = resolveAlias(key);
    const named = stringsIn(picked, inputs, depth);
    const next: CNode[] = [];
    for (const level of levels) {
      if (level.kind !== 'map' || level.pairs.some((p) => p.key === MERGE_KEY)) {
        out.other = true;
        continue;
      }
      // A key of any value may also be one the level lacks: the DefaultValue, where there is one.
      if (!named) missed = true;
      const keys = named ?? level.pairs.map((p) => p.key);
      for (const k of keys) {
        const found = resolveAlias(child(level, k));
        if (found === undefined) missed = true;
        else if (found === null) out.other = true;
        else next.push(found);
      }
    }
    if (next.length > MAX_VALUES) return undefined;
    levels = next;
  }
  for (const v of levels) {
    if (v.kind !== 'scalar' || v.tag) out.other = true;
    else out.values.add(v.value === null ? '' : String(v.value));
  }
  if (missed && fallback !== undefined) {
    const d = stringsIn(fallback, inputs, depth);
    if (!d) out.other = true;
    else for (const v of d) out.values.add(v);
  }
  return out.values.size > 0 || out.other ? out : undefined;
}
