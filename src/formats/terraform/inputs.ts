/**
 * Tables whose encryption comes from a module's inputs (evaluate.ts), as Checkov and Trivy read them:
 * - a table whose `server_side_encryption` reads `var.x` / `local.y`: the value the module's
 *   tfvars or defaults give it, and (a module that is not a root module) the obstacle that its
 *   callers own the decision;
 * - a call of a local module (`module "orders" { source = "../../" }`): the module's tables,
 *   evaluated with the call's inputs, fixed at the call when variables feed their switch and key.
 * The module's files come through the engine (DiskContext.siblings / folder), never from the disk.
 */
import path from 'node:path';
import { calledBy, calledModule, obstaclesThrough, tableOutputs } from './callers.js';
import { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { ABSENT, type AddedInput, type Obstacle, type Setting, type Settings, type Vocabulary } from '../../rule/facts.js';
import { addGlobalTableReplica } from '../../rule/blockers.js';
import type { TfDetection, TfTable } from './detect.js';
import { boolOf, enabledSetting, keySetting, keyRawOf, moduleInputSettings, rawOf } from './settings.js';
import { PHRASES } from './words.js';
import { directVariable, evaluate, moduleEnv, tfvarsFiles, variablesRead, type Env, type Evaluated, type ModuleFile } from './evaluate.js';
import { asBool, decidedBranch, localTarget } from './expression.js';
import { choiceArguments, composedEvaluation, holdsManagedKey } from './composedKey.js';
import { maybeManagedKey } from '../../rule/composedKey.js';
import {
  awsManagedKeyDataIn,
  dataKeyOf,
  templateNamesAwsManaged,
  keyThroughLocals,
  managedKeySources,
  managedKeysIn,
  type DataArgReader,
  type DataArgReading,
} from './managedKeyData.js';
import {
  countedKeyForm,
  eachCollection,
  eachValueBase,
  encryptionAttrs,
  iteratedReplicas,
  readsEachValue,
  readsInputs,
  soleInterpolation,
  type EachCollection,
  type InputUses,
} from './inputUses.js';
import { everyEntryManaged, instanceKey, iteratedKey } from './instanceKeys.js';
import { indexedEntries } from './structured.js';
import { attr, blocks, dynamicBlocks, type HAttr, type HBlock, type HComment } from './parse.js';
import { blockComments, moduleTableSuppressions, suppressionsOf } from './suppress.js';
import type { JBlock } from './tfjson.js';
import { parseTerraform, siblingBlocks, summarize } from './topBlocks.js';
import { isRootModule } from './rootModule.js';
import { templateShape, templateSource } from './templateSources.js';
import { isModuleFileName } from './entry.js';
import { SHAPE, isOverrideFile, namesSet } from './overrides.js';
import { keyFromVarFiles, outsideAssignments, setOutside, type OutsideSetters } from './varSources.js';
import { deployingUnits } from './deployingUnits.js';
import { switchObstacles } from './callSwitches.js';
import { outsideSwitch } from './outsideSwitch.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { countedKeyCount, countedKeySetting } from './countedKeys.js';
import type { TopBlock } from './topBlocks.js';

/** Each file's parse, per file object (the engine hands the same objects to a folder's files). */
const parsed = new WeakMap<SourceFile, TfDetection | null>();

async function parseOnce(f: SourceFile): Promise<TfDetection | null> {
  let d = parsed.get(f);
  if (d === undefined) {
    try {
      d = await parseTerraform(f.path, f.text);
    } catch {
      d = null; // not ours to report here: the file is an input of its own folder
    }
    parsed.set(f, d);
  }
  return d;
}

const isModuleFile = (f: SourceFile) => isModuleFileName(f.path);
const nameOf = (f: SourceFile) => path.posix.basename(f.path);
/**
 * What evaluation reads of a module's files: a `variable`, `locals` or `output` block (the word first
 * on its line), or its JSON key; a file with none is not parsed for it. The same test as
 * `/(^|\n)\s*(variable|locals|output)\b|"(variable|locals|output)"\s*:/`, which has no fixed start to
 * search for and tried every position of the text: the words are searched for, and the line's start
 * checked behind each (test/formats/terraform/declares.test.ts compares the two).
 */
const DECLARE_WORDS = /\b(?:variable|locals|output)\b|"(?:variable|locals|output)"\s*:/g;

export function declares(text: string): boolean {
  if (!text.includes('variable') && !text.includes('locals') && !text.includes('output')) return false;
  DECLARE_WORDS.lastIndex = 0;
  for (let m = DECLARE_WORDS.exec(text); m !== null; m = DECLARE_WORDS.exec(text)) {
    if (m[0].charCodeAt(0) === 34 /* " */) return true;
    let i = m.index - 1;
    while (i >= 0 && text[i] !== '\n' && /\s/.test(text[i])) i--;
    if (i < 0 || text[i] === '\n') return true;
  }
  return false;
}

/** The files of this module folder that declare variables or locals, with their blocks (the siblings' parse is shared with fix.ts). */
async function envFiles(files: SourceFile[]): Promise<ModuleFile[]> {
  const out: ModuleFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let m = envFile.get(f);
    if (m === undefined) {
      m = isModuleFile(f) && declares(f.text) ? { path: f.path, text: f.text, tops: await siblingBlocks([f]) } : null;
      envFile.set(f, m);
    }
    if (m) out.push(m);
  }
  return out;
}

/** Each sibling's part in evaluation, per file object (the engine hands a folder's files to each of its files). */
const envFile = new WeakMap<SourceFile, ModuleFile | null>();

/** A block of a called module, with its file and that file's comments (HCL; none for `.tf.json`). */
interface ModuleBlock {
  file: SourceFile;
  block: HBlock;
  comments?: HComment[];
}

/** A called module folder's files, with their blocks (its tables are read in full). */
export async function moduleFiles(files: SourceFile[]): Promise<{ files: ModuleFile[]; blocks: ModuleBlock[] }> {
  const out: ModuleFile[] = [];
  const all: ModuleBlock[] = [];
  for (const f of files.filter(isModuleFile)) {
    const d = await parseOnce(f);
    if (!d) continue;
    out.push({ path: f.path, text: f.text, tops: summarize(d, f.text) });
    for (const b of d.hcl?.blocks ?? d.json?.blocks ?? []) all.push({ file: f, block: b, comments: d.hcl?.comments });
  }
  return { files: out, blocks: all };
}

/** An evaluated switch or key as a setting: the value, with what decided it as its source. */
function evaluatedSetting(a: HAttr, v: Extract<Evaluated, { known: true }>, key: boolean): Setting {
  const source = `${a.value.trim()}${v.why.length ? ` (${v.why.join('; ')})` : ''}`;
  // The switch keeps its value as written for the peers' rules ("true" stays a string, as a literal would).
  if (!key) return { state: 'literal', source, bool: asBool(v.value) === true, raw: v.value };
  if (v.value === null || v.value === '') return { state: 'literal', source, raw: null };
  return { state: 'literal', source, text: String(v.value), raw: String(v.value) };
}

/**
 * A switch or key that reads inputs, evaluated (`evaluated` gets its text); as written when it does not, or is not known.
 * `keys`: the module's blocks, where a key written through a counted aws_kms_key (`one(aws_kms_key.k[*].arn)`) finds its count.
 */
function settingOf(
  a: HAttr | undefined,
  key: boolean,
  env: () => Env,
  evaluated: string[],
  keys: TopBlock[] = [],
  each?: EachCollection,
): Setting {
  // `each.value.kms_key_arn` of a collection kmsfix can list, or an entry `count.index` picks: entry by entry (instanceKey).
  const instance = key && a && !a.lit ? instanceKey(a.value, each, env(), keyRawOf(a)) : undefined;
  if (instance) {
    // The module's inputs decided it (not a collection written in place: `for_each = toset(["..."])`).
    if (instance.state === 'literal' && readsInputs(`${a!.value} ${each?.base ?? ''}`)) evaluated.push(a!.value.trim());
    return instance;
  }
  if (key && a && !a.lit && keys.length > 0) {
    // Through a local, or the branch a decided choice takes (`local.k = one(aws_kms_key.k[*].arn)`).
    const target = localTarget(decidedBranch(a.value, env()), env()) ?? a.value;
    const counted = countedKeySetting(target, keys, env(), keyRawOf(a), a.value);
    if (counted) {
      if (counted.state === 'literal' && readsInputs(`${a.value} ${countedKeyCount(target, keys) ?? ''}`)) evaluated.push(a.value.trim());
      return counted;
    }
  }
  const plain = key ? keySetting(a) : enabledSetting(a);
  if (!a || a.lit || !readsInputs(a.value)) return plain;
  // A key through format/join whose pieces name the AWS managed key is read as a template string of them (composedKey.ts).
  const v = (key ? composedEvaluation(a.value, env()) : undefined) ?? evaluate(a.value, env());
  // Locals that read themselves, or a chain too long to follow: what the key is, kmsfix cannot tell (never the user's key by default).
  if (key && !v.known && v.gaveUp !== undefined)
    return { state: 'unreadable', source: `kms_key_arn = ${a.value.trim()}: ${v.gaveUp}`, raw: keyRawOf(a) };
  // A template whose known parts name the AWS managed key, whatever the others give, because of a variable's value
  // (`"arn:aws:kms:${data.aws_region.r.name}:${...}:alias/${var.alias}"`). One that names it whatever the variables
  // are (`"arn:${data.aws_partition.p.partition}:kms:...:alias/aws/dynamodb"`, through locals) is read below.
  if (key && !v.known && v.shape !== undefined && isAwsManagedKeyRef(v.shape) && !managedWithoutVariables(a.value, env())) {
    evaluated.push(a.value.trim());
    return {
      state: 'literal',
      source: `${a.value.trim()}${v.why.length ? ` (${v.why.join('; ')})` : ''}`,
      text: AWS_MANAGED_ALIAS,
      raw: keyRawOf(a),
    };
  }
  if (!v.known) {
    const every = key ? mapKey(a.value, env(), keyRawOf(a)) : undefined;
    if (every) {
      evaluated.push(a.value.trim());
      return every;
    }
    // Read again with the module's environment, where a choice's condition may be known.
    const here = key ? keySetting(a, a, env()) : plain;
    // What was read on the way is said after the value (a switch's words put the value in backticks: Setting.why).
    const out =
      here.state !== 'unreadable' && v.why.length
        ? key
          ? { ...here, source: `${here.source} (${v.why.join('; ')})` }
          : { ...here, why: v.why.join('; ') }
        : here;
    // A key read through locals: what they stand for, for awsManagedKeyData (a data source of alias/aws/dynamodb).
    // A choice the module's values decide is the branch it takes (`var.k == null ? local.default_key : var.k`).
    const branch = key ? decidedBranch(a.value, env()) : a.value;
    const target = key ? (localTarget(branch, env()) ?? (branch !== a.value ? branch.trim() : undefined)) : undefined;
    if (target !== undefined) keyThroughLocals.set(out, target);
    // Read as a key of the user's (no template of the alias, no data source, which awsManagedKeyData reads next) while
    // a local or variable it reads holds the alias (`tostring(local.k)`, `local.keys[0]`): it may be that key. A
    // composition that names the alias whatever its other pieces are (`format("arn:aws:kms:%s:%s:%s", data..., local.ddb_alias)`)
    // is read as the AWS managed key below, not as maybe.
    const held =
      key &&
      (out.state === 'reference' || out.state === 'expression') &&
      !(target !== undefined && templateNamesAwsManaged(target)) &&
      !managedWithoutVariables(a.value, env())
        ? holdsManagedKey(lookupTarget(target ?? branch, env()), env())
        : undefined;
    if (held && !dataKeyOf(target ?? out.source) && choiceArguments(target ?? out.source).length === 0)
      return maybeManagedKey(a.value.trim(), keyRawOf(a), `${held} holds it`);
    return out;
  }
  if (key ? v.value !== null && typeof v.value !== 'string' : asBool(v.value) === undefined) return plain;
  evaluated.push(a.value.trim());
  return evaluatedSetting(a, v, key);
}

/** `lookup(local.m, "k", ...)` as the entry it reads where the local holds it (localTarget), else the expression. */
function lookupTarget(expr: string, env: Env): string {
  const m = /^lookup\(\s*(local\.[\w-]+(?:\.[\w-]+)*)\s*,\s*("[^"$%\\]*")\s*(?:,[^()]*)?\)$/s.exec(expr.trim());
  return (m && localTarget(`${m[1]}[${m[2]}]`, env)) ?? expr;
}

/**
 * A key read from a map (`local.keys[terraform.workspace]`, `lookup({ ... }, terraform.workspace, "...")`, through
 * locals), every value of which is the AWS managed key: `aws-managed`, a literal (as instanceKey's), so that a
 * var-file setting the variable that picks the entry makes it `unknown` (markSetOutside). A key the module's values
 * decide picks its entry (`local.keys[var.env]`, `env` defaulting to "dev"), as a condition on it is decided; some
 * entry the AWS managed key and another not: awsManagedChoice says `unknown`, naming it (every entry counted there).
 */
function mapKey(expr: string, env: Env, raw: Setting['raw']): Setting | undefined {
  const read = localTarget(expr, env) ?? expr;
  return everyEntryManaged(indexedEntries(soleInterpolation(read) ?? read, env, true), expr, raw, 'every entry the map read may pick');
}

/** Whether the key names the AWS managed key with every variable unknown (its locals and text alone). */
function managedWithoutVariables(expr: string, env: Env): boolean {
  const bare = { vars: new Map(), locals: env.locals };
  const v = composedEvaluation(expr, bare) ?? evaluate(expr, bare);
  const text = v.known ? (typeof v.value === 'string' ? v.value : undefined) : v.shape;
  return text !== undefined && isAwsManagedKeyRef(text);
}

/** An absent key of a table whose switch a variable turned on says so (the phrase keyAbsent reads it as `{source}`). */
function sayWhyOn(s: Settings, enabledName: string): void {
  if (s.model !== 'sse' || !s.enabled || s.enabled.bool !== true || s.enabled.state !== 'literal' || !s.enabled.source.includes('('))
    return;
  if (!s.key || s.key.state === 'absent') s.key = { ...(s.key ?? ABSENT), source: `, and ${enabledName} = ${s.enabled.source}` };
}

/** The switch and key of a table's `server_side_encryption`, evaluated in `env` where they read inputs. */
function sseSettings(
  b: HBlock,
  env: () => Env,
  where?: string,
  keys: TopBlock[] = [],
): { settings: Settings; evaluated: string[]; sse?: HBlock } {
  if (dynamicBlocks(b, 'server_side_encryption').length > 0)
    return { settings: { model: 'sse', block: { state: 'expression', source: 'a dynamic block' } }, evaluated: [] };
  const sse = blocks(b, 'server_side_encryption')[0];
  if (!sse) return { settings: { model: 'sse', block: where ? { ...ABSENT, source: where } : ABSENT }, evaluated: [] };
  const evaluated: string[] = [];
  const settings: Settings = {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: settingOf(attr(sse, 'enabled'), false, env, evaluated),
    key: settingOf(attr(sse, 'kms_key_arn'), true, env, evaluated, keys, eachCollection(b)),
  };
  sayWhyOn(settings, 'server_side_encryption.enabled');
  return { settings, evaluated, sse };
}

/** A setting that is one variable (`var.kms_key_arn`), and its name. */
const VAR_REF = /^var\.([A-Za-z_][\w-]*)$/;

/**
 * A root module's switch or key whose variables a var-file or terragrunt.hcl sets (varSources.ts):
 * not known before plan (one value per environment), whatever the defaults and tfvars say. Only
 * settings evaluated to a value (literal now) are looked at. A switch so set is also read value by value
 * (outsideSwitch.ts: `env`, where each var-file's value is evaluated): where no value uses a customer-managed key, the
 * table is AWS owned or AWS managed whatever is set, and the step returned (an obstacle) keeps it from being fixed.
 */
async function markSetOutside(
  s: Settings,
  words: Vocabulary,
  attrs: { enabled?: HAttr; key?: HAttr },
  varsOf: (a: HAttr) => string[],
  outside: () => Promise<Map<string, OutsideSetters>>,
  env?: Env,
): Promise<Obstacle | undefined> {
  if (s.model !== 'sse') return undefined;
  let switched: { before: Setting; setBy: string[]; why: string; setters: Map<string, OutsideSetters> } | undefined;
  for (const which of ['enabled', 'key'] as const) {
    const a = attrs[which];
    const setting = s[which];
    // A key that is one variable without a value here (no default), set per environment by var-files: what they set.
    const one =
      which === 'key' && a && (setting?.state === 'reference' || setting?.state === 'expression') ? VAR_REF.exec(a.value.trim()) : null;
    const byFiles = one ? keyFromVarFiles(one[1], await outside()) : undefined;
    if (a && setting && byFiles) {
      const files = `${one![1]} is ${AWS_MANAGED_ALIAS} (or empty) in ${byFiles.files.join(', ')} (-var-file)`;
      const said = `${words.names.key} = ${a.value.trim()}: ${files}`;
      s.key = byFiles.all
        ? { state: 'expression', source: a.value.trim(), text: AWS_MANAGED_ALIAS, via: files, raw: setting.raw }
        : { state: 'unreadable', source: said, raw: setting.raw };
      continue;
    }
    if (!a || a.lit || setting?.state !== 'literal') continue;
    const vars = varsOf(a);
    const setters = await outside();
    const why = setOutside(vars, setters);
    if (!why) continue;
    s[which] = { state: 'unreadable', source: `${words.names[which]} = ${a.value.trim()}: ${why}`, raw: setting.raw };
    if (which === 'enabled') switched = { before: setting, setBy: vars.filter((v) => setOutside([v], setters)), why, setters };
  }
  if (!switched || !attrs.enabled) return undefined;
  const { branches, obstacle } = outsideSwitch(s, attrs.enabled, switched.before, switched.setBy, switched.why, switched.setters, env);
  s.branches = branches;
  return obstacle;
}

/** The inputs of a registry module call (registryModules.ts), evaluated in the calling module where they read its variables or locals. */
function registryInputs(t: TfTable, env: () => Env, keys: TopBlock[]): string[] {
  const s = t.encryption.settings;
  const m = t.registry;
  if (s.model !== 'sse' || !m) return [];
  const evaluated: string[] = [];
  const written = moduleInputSettings(t.block, m);
  const { enabled, key } = encryptionAttrs(t);
  const settings = m.settings(
    enabled ? settingOf(enabled, m.switchIsString === true, env, evaluated) : written.enabled,
    key ? settingOf(key, true, env, evaluated, keys, eachCollection(t.block)) : written.key,
  );
  s.enabled = settings.enabled;
  s.key = settings.key;
  sayWhyOn(s, m.enabled.input);
  return evaluated;
}

/**
 * A table's dynamic replicas whose key is the iterator's entry of a collection read from the module's inputs (`for_each =
 * var.replicas`, `local.replicas`, `{ for r in var.replicas : r.region => r }`), read entry by entry with the module's
 * values (instanceKeys.ts iteratedKey: defaults, tfvars, `optional(...)` defaults), as a table's own `for_each` is. Left
 * `unknown` where the collection is not the module's to decide: a module that is not a root module (its callers set it),
 * or variables a var-file or terragrunt sets (`setters`, varSources.ts).
 */
async function iteratedReplicaKeys(
  t: TfTable,
  text: string,
  env: () => Env,
  root: () => Promise<boolean>,
  setters: (() => Promise<Map<string, OutsideSetters>>) | undefined,
): Promise<void> {
  const items = t.encryption.replicas?.items;
  if (!items) return;
  for (const { d, key, forEach } of iteratedReplicas(t)) {
    const i = items.findIndex((r) => r.source === text.slice(d.start, d.end));
    if (i < 0) continue;
    const written = keySetting(key);
    const vars = variablesRead(forEach.value, env());
    const outside = !(await root())
      ? `read from the module's inputs (${vars.map((v) => `var.${v}`).join(', ') || forEach.value.trim()}), which its callers set: it is not a root module`
      : setters
        ? setOutside(vars, await setters())
        : undefined;
    items[i] = { ...items[i], key: iteratedKey(d, key, written, env(), outside) ?? written };
  }
}

/**
 * A registry call's obstacles that hang on its module's inputs (callSwitches.ts), decided where those say: a creation
 * switch true lifts its obstacle, and false has the call create no table (true returned: not reported, as a literal
 * false is not); replica Regions that are an empty list give way to the call's other obstacles. A value a var-file,
 * terragrunt or atmos sets (`setters`), or the callers of a module that is not a root module, leaves them as they are.
 */
async function decideSwitches(
  t: TfTable,
  env: () => Env,
  root: () => Promise<boolean>,
  setters: (() => Promise<Map<string, OutsideSetters>>) | undefined,
  tops: () => Promise<TopBlock[]>,
): Promise<boolean> {
  const obstacles = t.encryption.obstacles;
  for (const { obstacle, on } of switchObstacles(obstacles)) {
    const read = on.kind === 'create' ? await createSwitch(on.expr, on.through === 'context', env(), tops) : replicaList(on.expr, env());
    if (read === undefined) continue;
    if (read.vars.length > 0) {
      if (!(await root())) continue;
      if (setters && setOutside(read.vars, await setters())) continue;
    }
    if (on.kind === 'create' && read.value === false) return true;
    if (on.kind === 'create' && read.value === true) obstacles.splice(obstacles.indexOf(obstacle), 1);
    if (on.kind === 'replicas' && read.value === true) obstacles.splice(obstacles.indexOf(obstacle), 1, ...on.rest);
  }
  return false;
}

/**
 * A creation switch's value (`var.create_table`, `local.create`), with the variables it reads. Through a null-label
 * context (`module.this.enabled`): the `enabled` of that `module` block of cloudposse/label/null in the module, null
 * (unset, or a variable defaulting to null) meaning the context's own `enabled` (the label module's rule), true unless
 * the block passes a `context` whose `enabled` says otherwise.
 */
async function createSwitch(
  expr: string,
  context: boolean,
  env: Env,
  tops: () => Promise<TopBlock[]>,
): Promise<{ value: boolean; vars: string[] } | undefined> {
  const one = (e: string) => {
    const v = evaluate(e, env);
    return v.known ? { value: v.value === null ? null : asBool(v.value), vars: variablesRead(e, env) } : undefined;
  };
  const label = context ? /^module\.([A-Za-z_][\w-]*)\.enabled$/.exec(expr)?.[1] : undefined;
  if (!label) {
    const v = one(expr);
    return v && typeof v.value === 'boolean' ? { value: v.value, vars: v.vars } : undefined;
  }
  const block = (await tops()).find((b) => b.type === 'module' && b.labels[0] === label);
  const source = block?.attr('source')?.value ?? '';
  if (!block || !/cloudposse\/(label\/null|terraform-null-label)\b/.test(source)) return undefined;
  const enabled = block.attr('enabled')?.value;
  const own = enabled === undefined ? { value: null, vars: [] } : one(enabled);
  if (!own || own.value === undefined) return undefined;
  if (own.value !== null) return { value: own.value, vars: own.vars };
  const ctx = block.attr('context')?.value;
  if (ctx === undefined) return { value: true, vars: own.vars };
  const from = one(`${ctx.trim()}.enabled`);
  return from && typeof from.value === 'boolean' ? { value: from.value, vars: [...own.vars, ...from.vars] } : undefined;
}

/** Whether replica Regions (`var.replicas`, a local that is it) are an empty list or null as the module gives them (`value`), with the variable. */
function replicaList(expr: string, env: Env): { value: boolean; vars: string[] } | undefined {
  const v = directVariable(expr, env);
  const given = v ? env.vars.get(v)?.expr : undefined;
  if (!v || given === undefined) return undefined;
  const text = given.trim();
  return { value: text === 'null' || EMPTY_COLLECTION.test(text), vars: [v] };
}

/** The last module environment built without a file of its own declarations, and what it was built from. */
let lastEnv: { files: ModuleFile[]; tfvars: SourceFile[]; env: Env } | undefined;

const sameFiles = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The environment of the module of `own` (moduleEnv): `own` first, then the declaring files of its
 * folder. A file that declares no variable and no local (a table's file, mostly) adds nothing: its
 * module's other files of that folder then give the same environment, built once for them all.
 */
function rootEnv(own: ModuleFile, here: ModuleFile[], siblings: SourceFile[]): Env {
  if (own.tops.some((t) => t.type === 'variable' || t.type === 'locals')) return moduleEnv([own, ...here], siblings);
  const tfvars = tfvarsFiles(siblings);
  if (lastEnv && sameFiles(lastEnv.files, here) && sameFiles(lastEnv.tfvars, tfvars)) return lastEnv.env;
  lastEnv = { files: here, tfvars, env: moduleEnv(here, tfvars) };
  return lastEnv.env;
}

/** The environment with the module's KMS data sources that name the AWS managed key (a copy: rootEnv's is shared). */
function withManagedKeys(env: Env, managedKeys: Map<string, string> | undefined): Env {
  return managedKeys ? { ...env, managedKeys } : env;
}

/** A collection with nothing in it, as a call or a default writes one: `[]`, `{}`, `toset([])`, `tomap({})`. */
const EMPTY_COLLECTION = /^(?:(?:toset|tolist|tomap)\(\s*)?(?:\[\s*\]|\{\s*\})(?:\s*\))?$/;

/** Attributes of a module call that are not inputs. */
const META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/**
 * What evaluating a file's inputs reads of its module, each part when first asked: the module's other files, the
 * file's blocks, the module's environment (variables, locals, tfvars), whether it is a root module, and who sets its
 * variables from outside (a root module's var-files and terragrunt, `outside`; the terragrunt units deploying its
 * folder, `units`: varSources.ts keeps both per folder). For evaluateInputs, the KMS data sources' reader, and the caller
 * of a local module whose output is a table's key (moduleOutputKeys.ts).
 */
export async function moduleScope(file: SourceFile, det: TfDetection, context: DiskContext | undefined) {
  const siblings = context ? await context.siblings() : [];
  const here = await envFiles(siblings);
  const ownFile: ModuleFile = { path: file.path, text: file.text, tops: summarize(det, file.text) };
  // The KMS data sources naming the AWS managed key, for a map whose entry reads one (only where the module refers to one).
  const managedKeys = await managedKeySources(file, det, context);
  let envCache: Env | undefined;
  let signsCache: boolean | undefined;
  let rootCache: boolean | undefined;
  /** Whether the folder has a sign of a root module (a lock file...); `root` is that and no call of it around (callers.ts). */
  const signs = async () => (signsCache ??= await isRootModule(ownFile.tops, siblings));
  return {
    siblings,
    ownFile,
    env: () => (envCache ??= withManagedKeys(rootEnv(ownFile, here, siblings), managedKeys)),
    // A folder a module block around it calls is a child module, whatever its lock file says (callers.ts).
    root: async () => (rootCache ??= (await signs()) && !(await calledModule(file, context))),
    /** The call that makes a folder with a sign of a root module a child one, for the module-inputs step. */
    calledBy: async () => ((await signs()) ? calledBy(file, context) : undefined),
    outside: () => outsideAssignments(file, context!),
    units: () => outsideAssignments(file, context!, true),
  };
}

/**
 * Does a scan of a called module's folder (`files`) fix its table in place: a sign of a root module (a lock file...),
 * and no call of it in the folders around it (callers.ts: then it is a child module, whatever its lock file says)?
 */
async function fixedInPlace(files: SourceFile[], context: DiskContext | undefined): Promise<boolean> {
  const one = files.find(isModuleFile);
  return !!context && !!one && (await isRootModule([], files)) && !(await calledModule(one, context));
}

/** An input only a DynamoDB table module takes (a table's key schema, capacity, streams, recovery). */
const TABLE_INPUT = /^(hash_key|range_key|billing_mode|stream_view_type|global_secondary_indexes?|point_in_time_recovery(_enabled)?)$/;

/**
 * The input a module's table lacks when it takes one encryption setting from a variable (its callers set it, so a
 * scan of the module's folder does not fix it) and the other from none: no call can pass that one either (round 37,
 * R3: e-lopezc/serverless-product-catalog-api's `enabled = var.server_side_encryption` and no key; each row's step
 * pointed at the other, and a fix of the whole tree wrote nothing). The variable to add, named as the module uses no
 * variable yet, with the default that keeps every call as it is (the value written now: null, a literal key, false).
 * Undefined when the other setting is an expression (the `reads` step of module-literal) or both are inputs.
 */
function addedInput(sse: HBlock | undefined, env: Env): AddedInput | undefined {
  if (!sse) return undefined;
  const on = attr(sse, 'enabled');
  const key = attr(sse, 'kms_key_arn');
  const onVar = on && directVariable(on.value, env);
  const keyVar = key && directVariable(key.value, env);
  const free = (names: string[]) => names.find((n) => !env.vars.has(n)) ?? `${names[0]}_2`;
  if (onVar && !keyVar && (!key || key.lit)) {
    const v = free(['kms_key_arn', 'server_side_encryption_kms_key_arn', 'table_kms_key_arn']);
    return {
      setting: 'server_side_encryption.kms_key_arn',
      variable: v,
      declaration: `variable "${v}" (type = string, default = ${key ? key.value.trim() : 'null'})`,
      assignment: `kms_key_arn = var.${v}`,
    };
  }
  if (keyVar && !onVar && (!on || on.lit?.type === 'bool')) {
    const v = free(['server_side_encryption_enabled', 'sse_enabled', 'encryption_enabled']);
    return {
      setting: 'server_side_encryption.enabled',
      variable: v,
      declaration: `variable "${v}" (type = bool, default = ${on ? on.value.trim() : 'false'})`,
      assignment: `enabled = var.${v}`,
    };
  }
  return undefined;
}

/** Does a module call look like a DynamoDB table's: `dynamo` or `ddb` in its name or source, or an input only a table module takes? */
function tableLike(call: HBlock, rel: string): boolean {
  if (/dynamo|ddb/i.test(`${call.labels[0]} ${rel}`)) return true;
  return call.items.some((item) => item.kind === 'attr' && TABLE_INPUT.test(item.name));
}

/** Is a module call's local source (`rel`, from the file's folder) a folder that does not exist (not one that cannot be read)? */
async function missingFolder(file: SourceFile, rel: string, context: DiskContext): Promise<boolean> {
  const target = path.posix.normalize(rel).replace(/\/+$/, '');
  const name = path.posix.basename(target);
  if (name === '..' || name === '.' || name === '') return false;
  return !(await context.subfolders(file, path.posix.dirname(target))).includes(name);
}

/**
 * The folder a local module call names (from the file's folder): its literal source, or its template source evaluated as
 * OpenTofu 1.8+ does (templateSources.ts) with the module's values (defaults, tfvars, locals, as a key's are read);
 * undefined (and a note) when a value it reads is not known, or is set by a var-file, terragrunt, or the callers of a
 * module others call (callers.ts). In a `.tf` file a note says that Terraform rejects
 * such a source and kmsfix reads it as OpenTofu does.
 */
async function callSource(
  file: SourceFile,
  call: HBlock,
  lines: LineIndex,
  det: TfDetection,
  env: () => Env,
  context: DiskContext | undefined,
  setters: (() => Promise<Map<string, OutsideSetters>>) | undefined,
): Promise<string | undefined> {
  const source = attr(call, 'source')!;
  if (source.lit) return (source.lit as { value: string }).value;
  const template = templateSource(source.value)!;
  const at = lines.position(call.start);
  const where = `${file.path}:${at.line}:${at.column}: module "${call.labels[0]}" has source = "${template}"`;
  const note = (s: string) => (det.notes ??= []).push(s);
  if (!/\.tofu(\.json)?$/.test(file.path))
    note(`${where}, which Terraform rejects ("Variables not allowed") and OpenTofu 1.8+ evaluates: kmsfix reads it as OpenTofu does`);
  const v = evaluate(source.value, env());
  const vars = variablesRead(source.value, env());
  // As a key's defaults are read: unless a var-file or terragrunt sets them, or a module around calls this one (its callers set them).
  const by = vars.length > 0 ? await calledBy(file, context) : undefined;
  const said = (vars: string[]) => `${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'}`;
  const outsideWhy =
    !v.known || vars.length === 0
      ? undefined
      : by
        ? `${said(vars)} set by the callers of this module (${by})`
        : setters && setOutside(vars, await setters());
  if (v.known && typeof v.value === 'string' && !outsideWhy) return v.value;
  const why = outsideWhy ?? `its value is not known before plan${v.why.length ? ` (${v.why.join('; ')})` : ''}`;
  note(
    `${where}: ${why}, so kmsfix does not follow the call; every folder it may name (${templateShape(template)}) is read as a module others call`,
  );
  return undefined;
}

/** Evaluate what `uses` (inputUses.ts) found in the file: detection calls this only when it found something. */
export async function evaluateInputs(file: SourceFile, det: TfDetection, context: DiskContext | undefined, uses: InputUses): Promise<void> {
  const { own, calls } = uses;
  if (own.length === 0 && calls.length === 0) return;
  const { siblings, ownFile, env, root, calledBy: called, outside, units } = await moduleScope(file, det, context);

  // The module's blocks, where a key written through a counted aws_kms_key finds its count (only when one is).
  const keys = own.some((t) => {
    const k = encryptionAttrs(t).key?.value ?? '';
    return countedKeyForm(k) !== undefined || /\blocal\./.test(k);
  })
    ? [...ownFile.tops, ...(await siblingBlocks(siblings.filter((f) => f.path !== file.path)))]
    : [];
  /** The variables a switch or key reads, a counted key's count's among them. */
  const inputsOf = (a: HAttr, in_: Env, blocks: TopBlock[]) =>
    variablesRead(`${a.value} ${countedKeyCount(localTarget(decidedBranch(a.value, in_), in_) ?? a.value, blocks) ?? ''}`, in_);

  let allTops: TopBlock[] | undefined;
  const tops = async () => (allTops ??= [...ownFile.tops, ...(await siblingBlocks(siblings.filter((f) => f.path !== file.path)))]);
  const gone = new Set<TfTable>();
  for (const t of own) {
    if (await decideSwitches(t, env, root, context ? async () => ((await root()) ? outside() : units()) : undefined, tops)) {
      gone.add(t);
      continue;
    }
    let evaluated: string[];
    if (t.kind === 'module') evaluated = registryInputs(t, env, keys);
    else if (t.kind === 'table-replica') {
      // A replica resource's one setting: its kms_key_arn (null or "" by default: the AWS managed key).
      evaluated = [];
      t.encryption.settings = { model: 'sse', key: settingOf(attr(t.block, 'kms_key_arn'), true, env, evaluated, keys) };
    } else {
      const r = sseSettings(t.block, env, undefined, keys);
      t.encryption.settings = r.settings;
      evaluated = r.evaluated;
    }
    await iteratedReplicaKeys(t, file.text, env, root, context ? async () => ((await root()) ? outside() : units()) : undefined);
    // A key that is one variable no default decides may still be set per environment by var-files (markSetOutside).
    const varKey = VAR_REF.test(encryptionAttrs(t).key?.value.trim() ?? '');
    // A key read from each entry of a collection variable (`each.value.kms_key_arn` of `for_each = var.tables`).
    // (through a local that is the variable: `for_each = local.tables`, `tables = var.tables`).
    const eachVar = readsEachValue(encryptionAttrs(t).key, t.block) ? directVariable(eachValueBase(t.block)!, env()) : undefined;
    if (evaluated.length === 0 && !varKey && !eachVar) continue;
    const isRoot = await root();
    if (!isRoot && evaluated.length > 0) {
      const by = await called();
      const add = t.kind === 'table' ? addedInput(blocks(t.block, 'server_side_encryption')[0], env()) : undefined;
      // The terragrunt units that deploy the folder, where no module block calls it (round 47, F2): the step names them.
      const deployed = !by && context && !(await calledModule(file, context)) ? await deployingUnits(file, context) : [];
      const dir = path.posix.dirname(file.path);
      t.encryption.obstacles.push({
        kind: 'module-inputs',
        inputs: evaluated,
        ...(by ? { calledBy: by } : {}),
        ...(add ? { addInput: add } : {}),
        ...(deployed.length ? { deployedBy: deployed.map((u) => path.posix.relative(dir, u.file)) } : {}),
      });
    }
    if (context) {
      // A module others call is set from outside only by the terragrunt units that deploy its folder.
      const setters = isRoot ? outside : units;
      const { enabled, key } = encryptionAttrs(t);
      const step = await markSetOutside(
        t.encryption.settings,
        t.encryption.words,
        { enabled, key },
        (a) => inputsOf(a, env(), keys),
        setters,
        env(),
      );
      if (step) t.encryption.obstacles.push(step);
      // The collection a var-file or terragrunt sets: its entries are not known (a plain `var.x` read is not either).
      const s = t.encryption.settings;
      const why = eachVar && key && s.model === 'sse' && s.key?.state !== 'unreadable' ? setOutside([eachVar], await setters()) : undefined;
      if (why && s.model === 'sse')
        s.key = { state: 'unreadable', source: `${t.encryption.words.names.key} = ${key!.value.trim()}: ${why}`, raw: s.key?.raw };
    }
  }

  if (gone.size > 0) det.tables = det.tables.filter((t) => !gone.has(t));

  const lines = new LineIndex(file.text);
  for (const call of calls) {
    const rel = await callSource(
      file,
      call,
      lines,
      det,
      env,
      context,
      context ? async () => ((await root()) ? outside() : units()) : undefined,
    );
    if (rel === undefined) continue;
    const files = await context?.folder(file, rel);
    // (In memory, a folder no file is in has no files: it is not there either.)
    if (!files?.length) {
      // A folder that is not in the checkout (a sibling repository's module, `../../mantle/modules/dynamodb`: round 36,
      // j0nathan-ll0yd/aws-cloudformation-media-downloader) was a silent "0 tables": say so. A git or registry source
      // is not read by design (docs/limitations.md); a local one is, so one kmsfix cannot find is worth a note: for a
      // call that looks like a table's (that repository's 27 missing calls were 26 Lambda, EventBridge... modules).
      if (context && tableLike(call, rel) && (await missingFolder(file, rel, context))) {
        const at = lines.position(call.start);
        (det.notes ??= []).push(
          `${file.path}:${at.line}:${at.column}: module "${call.labels[0]}" calls ${rel}, a folder that does not exist: ` +
            'kmsfix could not read the tables it may declare. Scan a checkout that has that folder (a sibling repository at that path) to check them',
        );
      }
      continue;
    }
    const module = await moduleFiles(files);
    const inputs = new Map<string, string>();
    for (const item of call.items) if (item.kind === 'attr' && !META.has(item.name)) inputs.set(item.name, item.value);
    const label = call.labels[0];
    // The module's KMS data sources naming the AWS managed key, for a map entry of its own that reads one.
    const callEnv = withManagedKeys(moduleEnv(module.files, [], { label, inputs, env: env(), dir: rel }), managedKeysIn(module.files, rel));
    /** The text the call gives the module's variable `v`: its input, else the variable's default (override files merged). */
    const inputText = (v: string) => inputs.get(v) ?? callEnv.vars.get(v)?.expr;
    // The module's tables the call creates: not those whose `count` it sets to 0 (`var.create_table && !var.autoscaling_enabled ? 1 : 0`),
    // nor those whose `for_each` it gives an empty collection (`names = []`).
    const tables = module.blocks.filter(({ file: f, block: b }) => {
      if (b.type !== 'resource' || b.labels[0] !== 'aws_dynamodb_table' || b.labels.length !== 2) return false;
      // A block of an override file is merged into its primary one (overrides.ts), not a table of its own.
      if (isOverrideFile(nameOf(f))) return false;
      const count = attr(b, 'count');
      const n = count ? evaluate(count.value, callEnv) : undefined;
      const each = attr(b, 'for_each');
      const eachVar = each && directVariable(each.value, callEnv);
      const eachText = each && (eachVar ? inputText(eachVar) : each.value);
      return !(n?.known && (n.value === 0 || n.value === false)) && !(eachText !== undefined && EMPTY_COLLECTION.test(eachText.trim()));
    });
    globalTableReplicas(det, module.blocks, inputs, label, rel);
    if (tables.length === 0) continue;
    const pos = lines.position(call.start);
    const callSuppressions = suppressionsOf(det.hcl ? blockComments(file.text, det.hcl.comments, call) : ((call as JBlock).comments ?? []));
    let outputs: Map<string, Set<string>> | undefined;
    let inPlace: Promise<boolean> | undefined;
    for (const { file: mf, block: tb, comments } of tables) {
      const moduleFile = path.posix.normalize(path.posix.join(rel, nameOf(mf)));
      const where = `${moduleFile}:${new LineIndex(mf.text).position(tb.start).line}`;
      const tableName = `aws_dynamodb_table.${tb.labels[1]}`;
      const words: Vocabulary = {
        names: {
          block: 'server_side_encryption',
          enabled: 'server_side_encryption.enabled',
          key: 'server_side_encryption.kms_key_arn',
          keyAttribute: 'kms_key_arn',
        },
        phrases: { ...PHRASES, blockAbsent: `no {block} block in ${tableName} (${where})` },
      };
      const moduleTops = module.files.flatMap((f) => f.tops);
      // An override file's block of the table: its server_side_encryption replaces the table's (overrides.ts).
      const override = module.blocks.find(
        ({ file: f, block: b }) => isOverrideFile(nameOf(f)) && b.type === tb.type && b.labels.join('.') === tb.labels.join('.'),
      );
      const overrideSets = override ? namesSet(override.block) : [];
      const overridden = overrideSets.filter((n) => n === 'server_side_encryption' || n === 'replica');
      const read = overridden.length === 1 && overridden[0] === 'server_side_encryption' ? override!.block : tb;
      const { settings, sse, evaluated } = sseSettings(read, () => callEnv, where, moduleTops);
      const overrideWhere =
        override &&
        `${path.posix.normalize(path.posix.join(rel, nameOf(override.file)))}:${new LineIndex(override.file.text).position(override.block.start).line}`;
      if (override && overridden.length > 0 && read === tb && settings.model === 'sse')
        settings.block = {
          state: 'unreadable',
          source: `the override file ${overrideWhere} sets ${overridden.join(', ')} of ${tableName}, which Terraform merges into this block`,
        };
      // A key read through the module's data source of the AWS managed key (`data "aws_kms_alias"` of alias/aws/dynamodb),
      // its name evaluated with the call's inputs where it reads them (this folder's variables the call passes: `dataFed`).
      const dataFed =
        settings.model === 'sse'
          ? await awsManagedKeyDataIn(settings.key, module.files, rel, (arg) =>
              dataArgReading(
                arg,
                callEnv,
                (vars) => vars.flatMap((v) => (inputs.has(v) ? variablesRead(inputs.get(v)!, env()) : [])),
                root,
                // Var-files count for a root module's call (a call in a module others call: its callers', module-inputs).
                async () => (context && (await root()) ? outside() : undefined),
              ),
            )
          : [];
      const enabledVar = sse && directVariable(attr(sse, 'enabled')?.value ?? '', callEnv);
      const keyVar = sse && directVariable(attr(sse, 'kms_key_arn')?.value ?? '', callEnv);
      // A key the call passes each of its instances from its own for_each or count (`kms_key_arn = each.value.kms_key_arn`,
      // `local.tables[count.index].kms_key_arn`): entry by entry, as a table's own key is read (instanceKey).
      const keyInput = keyVar ? inputs.get(keyVar) : undefined;
      const passed = settings.model === 'sse' ? settings.key : undefined;
      const perInstance =
        keyInput !== undefined && (passed?.state === 'reference' || passed?.state === 'expression')
          ? instanceKey(keyInput, eachCollection(call), env(), passed.raw)
          : undefined;
      if (perInstance && settings.model === 'sse') settings.key = perInstance;
      // This folder's variables the call passes to the table's switch and key (the collection it repeats over, for an entry's key).
      const callerVars = (a: HAttr) =>
        inputsOf(a, callEnv, moduleTops).flatMap((v) => (inputs.has(v) ? variablesRead(inputs.get(v)!, env()) : []));
      const repeated = `${keyInput} ${attr(call, 'for_each')?.value ?? ''} ${attr(call, 'count')?.value ?? ''}`;
      const fed = [
        ...new Set([
          ...(evaluated.length > 0 && sse ? [attr(sse, 'enabled'), attr(sse, 'kms_key_arn')].flatMap((a) => (a ? callerVars(a) : [])) : []),
          ...(perInstance?.state === 'literal' ? variablesRead(repeated, env()) : []),
          ...dataFed,
        ]),
      ];
      const callObstacles: Obstacle[] = [];
      if (fed.length > 0 && !(await root())) {
        // A call in a module others call (root -> app -> table module): the key it passes is its own callers' choice
        // (storacha/storoku's layout); a key written here would override the one they pass.
        const by = await called();
        callObstacles.push({ kind: 'module-inputs', inputs: fed.map((v) => `var.${v}`), ...(by ? { calledBy: by } : {}) });
      } else if (evaluated.length > 0 && sse && context && (await root())) {
        // (The switch's values per var-file are not evaluated through the call: both true and false are counted.)
        const step = await markSetOutside(
          settings,
          words,
          { enabled: attr(sse, 'enabled'), key: attr(sse, 'kms_key_arn') },
          callerVars,
          outside,
        );
        if (step) callObstacles.push(step);
      }
      // Every entry the AWS managed key, in a collection a var-file or terragrunt sets: not known, as any value they set.
      const why =
        perInstance?.state === 'literal' && fed.length > 0 && context && (await root()) ? setOutside(fed, await outside()) : undefined;
      if (why && settings.model === 'sse')
        settings.key = { state: 'unreadable', source: `kms_key_arn = ${keyInput!.trim()}: ${why}`, raw: perInstance!.raw };
      const obstacles: Obstacle[] = callObstacles;
      // A module folder with a sign of a root module (a lock file...) that sees no call of it around it (callers.ts) has
      // its table fixed in place where a scan reads that folder: a key passed here as well would go unused, and both keys'
      // aliases would have one name (round 36: AlreadyExistsException at apply). One of the two is fixed, never both.
      if (keyVar && (await (inPlace ??= fixedInPlace(files, context))))
        obstacles.push({
          kind: 'code-shape',
          step:
            `the module's folder (${rel}) has a sign of a root module (a provider or backend configuration, a lock file or tfvars) ` +
            `and no call of it in the three folders above or below it, so kmsfix fixes ${tableName} (${where}) in place where it scans ` +
            `that folder, and a key passed here would go unused: fix the module's table there, or scan a tree where this call is ` +
            `within three folders of the module (kmsfix then takes the module as the reusable one it is and fixes this call)`,
        });
      // Only what the encryption reads or a fix follows keeps the table from a fix (as for the module's own row).
      const blocking = overrideSets.filter((n) => n === 'server_side_encryption' || n === 'replica' || SHAPE.has(n));
      if (override && blocking.length > 0)
        obstacles.push({
          kind: 'code-shape',
          step: `the override file ${overrideWhere} sets ${blocking.join(', ')} of ${tableName}: give the table its key by hand (kmsfix does not write override files)`,
        });
      // What this folder does with the table through the call (callers.ts): the module's own row says it too.
      await obstaclesThrough(
        { label, file, folder: [file, ...siblings] },
        (outputs ??= tableOutputs(module.files.flatMap((f) => f.tops))),
        tb.labels[1],
        obstacles,
        {
          file,
          tops: ownFile.tops,
        },
      );
      for (const r of dynamicBlocks(tb, 'replica')) {
        const each = attr(r, 'for_each');
        const v = each && directVariable(each.value, callEnv);
        // Replicas only when the call passes them: a dynamic block over a variable the call leaves at an empty default, or sets to one, makes none.
        const given = v && inputText(v);
        if (given !== undefined && EMPTY_COLLECTION.test(given.trim())) continue;
        obstacles.push(v && inputs.has(v) ? { kind: 'module-replica-regions' } : { kind: 'dynamic-replicas' });
      }
      // A table the module creates only when an input says so (`count = var.create ? 1 : 0`): the key and
      // alias beside the call would be created either way.
      const count = attr(tb, 'count');
      const made = count ? evaluate(count.value, callEnv) : undefined;
      const countAt = count && !(made?.known && typeof made.value === 'number' && made.value >= 1) ? obstacles.length : undefined;
      if (count && countAt !== undefined)
        obstacles.push({
          kind: 'generated-key',
          step:
            `${tableName} (${where}) has count = ${count.value.trim()}, which the call decides with a value the code does not tell, ` +
            `and a key and alias beside the call would be created even when the module creates no table: create them by hand with ` +
            `the same condition (count), and pass the key to the module's key input`,
        });
      // The key beside the call is created through the call's provider, in its Region. A region that is
      // null with the call's inputs (terraform-aws-modules' `region = var.region`, default null) is the provider's.
      const region = attr(tb, 'region');
      const written = region && region.lit?.type !== 'null' ? region : undefined;
      const regionValue = written && evaluate(written.value, callEnv);
      if (written && !(regionValue?.known && regionValue.value === null))
        obstacles.push({
          kind: 'code-shape',
          step:
            `${tableName} (${where}) sets region = ${written.value.trim()}, and a key kmsfix creates beside the call would be in the Region ` +
            `of the call's provider: create a key in the table's Region by hand and pass it as the module's key input`,
        });
      for (const { block: p } of module.blocks) {
        if (p.type !== 'resource' || p.labels[0] !== 'aws_dynamodb_resource_policy') continue;
        const policy = attr(p, 'policy');
        const fed = [...(policy?.value.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g) ?? [])].map((m) => m[1]).find((v) => inputs.has(v));
        if (fed)
          obstacles.push({
            kind: 'resource-policy',
            policy: `aws_dynamodb_resource_policy.${p.labels[1]} of the module (input ${fed})`,
            unreadable: inputs.get(fed)!.trim(),
            others: [],
          });
      }
      // A switch the module sets to true itself needs no input: the call passes only the key.
      const missing = [
        ...(enabledVar || boolOf(attr(sse, 'enabled')) === true ? [] : ['server_side_encryption.enabled']),
        ...(keyVar ? [] : ['server_side_encryption.kms_key_arn']),
      ];
      // The module's variables those settings read through an expression (`var.on && var.kms_key_arn != null ? var.kms_key_arn : null`).
      const reads = [
        ...new Set(
          missing.flatMap((n) => {
            const a = sse && attr(sse, n === 'server_side_encryption.enabled' ? 'enabled' : 'kms_key_arn');
            return a ? variablesRead(a.value, callEnv) : [];
          }),
        ),
      ];
      // The module's table takes its other setting from an input: a scan of its folder leaves it (module-inputs), so the step is the input to add.
      const add =
        missing.length > 0 && reads.length === 0 && !(await (inPlace ??= fixedInPlace(files, context)))
          ? addedInput(sse, callEnv)
          : undefined;
      // No key beside the call either way: the module's table takes its settings from no input the call can pass, and
      // none is to be added. The module-literal step (kmsfix fixes the table in the module's folder, count and all) is the
      // one; the count step's "pass the key to the module's key input" named an input the module does not have, while the
      // same run's fix gave the module's table its key (real-world round 45, F2).
      if (countAt !== undefined && missing.length > 0 && reads.length === 0 && !add) obstacles.splice(countAt, 1);
      const nameAttr = attr(tb, 'name');
      const name = nameAttr ? evaluate(nameAttr.value, callEnv) : undefined;
      const nameVar = nameAttr && directVariable(nameAttr.value, callEnv);
      const table: TfTable = {
        line: pos.line,
        column: pos.column,
        format: 'terraform',
        type: 'module',
        address: tables.length === 1 ? `module.${label}` : `module.${label}.${tableName}`,
        kind: 'module',
        label,
        block: call,
        encryption: {
          peerKind: 'tf-table',
          words,
          settings,
          obstacles: [
            ...obstacles,
            ...(missing.length
              ? [
                  {
                    kind: 'module-literal' as const,
                    where: `${tableName}, ${where}`,
                    missing,
                    module: { file: moduleFile, address: tableName },
                    ...(reads.length > 0 ? { reads } : {}),
                    ...(add ? { addInput: add } : {}),
                  },
                ]
              : []),
          ],
        },
        // The call's own, and the table's in the module: a suppression there is the team's word for every instance.
        suppressions: [...callSuppressions, ...moduleTableSuppressions(mf.text, comments, tb, moduleFile)],
        local: {
          enabledVar,
          keyVar,
          nameOutput: nameOutputOf(module.files, tb.labels[1]),
          ...(name?.known && typeof name.value === 'string' ? { name: name.value, nameKnown: true as const } : { name: label }),
          nameInput: nameVar ? inputs.get(nameVar) : undefined,
        },
        keyRef: keyVar ? inputs.get(keyVar) : undefined,
      };
      if (settings.model === 'sse') {
        // Peers evaluate the module as the call configures it.
        settings.peerBlock = settings.block?.state === 'absent' ? 'missing' : 'present';
        if (settings.enabled && settings.enabled.raw === undefined) settings.enabled.raw = rawOf(attr(sse, 'enabled'));
        if (settings.key && settings.key.raw === undefined) settings.key.raw = keyRawOf(attr(sse, 'kms_key_arn'));
      }
      det.tables.push(table);
    }
  }
}

/**
 * A reader of the KMS data sources' key_id / name in `file`'s module (`key_id = local.alias`, `name = "alias/aws/${var.svc}"`),
 * for managedKeyData.ts: evaluated in the module's environment as a kms_key_arn that reads inputs is (settingOf). Built
 * only when a table would otherwise be customer-managed through such a data source.
 */
export async function dataArgReader(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<DataArgReader> {
  const { env, root, outside, units } = await moduleScope(file, det, context);
  // A module others call is set from outside only by the terragrunt units that deploy its folder (as in evaluateInputs).
  const setters = async () => (context ? ((await root()) ? outside() : units()) : undefined);
  return (arg) => dataArgReading(arg, env(), (vars) => vars, root, setters);
}

/**
 * A data source's key_id or name evaluated in `env`: the AWS managed key's alias or ARN (a template whose known parts
 * name it too), with what decided it; undefined when it is another key or not known (the reference it is, as before).
 * As for a kms_key_arn that reads them, the variables that decided it (`decidedBy`: this folder's, through a call's
 * inputs) are the callers' choice in a module that is not a root module (`callers`, obstacle module-inputs), and not
 * known where a var-file or terragrunt sets them (`outside`).
 */
async function dataArgReading(
  arg: string,
  env: Env,
  decidedBy: (vars: string[]) => string[],
  root: () => Promise<boolean>,
  setters: () => Promise<Map<string, OutsideSetters> | undefined>,
): Promise<DataArgReading | undefined> {
  // Through locals, as a kms_key_arn's locals are followed (`local.keys["ddb"]`, an entry of a local map).
  const target = localTarget(decidedBranch(arg, env), env);
  const read = evaluate(target ?? arg, env);
  const v = target === undefined ? read : { ...read, why: [`${arg.trim()} is ${target.trim()}`, ...read.why] };
  const text = v.known ? (typeof v.value === 'string' ? v.value : undefined) : v.shape;
  if (text === undefined || text.trim() === '' || !isAwsManagedKeyRef(text)) return undefined;
  const vars = [...new Set(decidedBy(variablesRead(arg, env)))];
  if (vars.length === 0) return { managed: true, why: v.why, callers: [] };
  const isRoot = await root();
  const outside = await setters();
  const why = outside && setOutside(vars, outside);
  if (why) return { managed: false, outside: why };
  return { managed: true, why: v.why, callers: isRoot ? [] : vars };
}

/** The module's output that gives its table's name or id (`module.x.<output>`). */
function nameOutputOf(files: ModuleFile[], label: string): string | undefined {
  const re = new RegExp(`aws_dynamodb_table\\.${label}(\\[[^\\]]*\\])?\\.(name|id)\\b`);
  for (const f of files)
    for (const t of f.tops) if (t.type === 'output' && t.labels.length === 1 && re.test(t.attr('value')?.value ?? '')) return t.labels[0];
  return undefined;
}

/**
 * A replica resource of a local module whose `global_table_arn` is an input the call sets to a table
 * of this file (`global_table_arn = aws_dynamodb_table.orders.arn`): that table's global table has a
 * replica declared apart, and DynamoDB changes a global table's encryption for every replica at once,
 * so the table is not fixed alone (obstacle global-table-members, as for a replica resource of its own module).
 */
function globalTableReplicas(det: TfDetection, blocks: { block: HBlock }[], inputs: Map<string, string>, label: string, rel: string): void {
  for (const { block: rb } of blocks) {
    if (rb.type !== 'resource' || rb.labels[0] !== 'aws_dynamodb_table_replica' || rb.labels.length !== 2) continue;
    const input = /^var\.([A-Za-z_][\w-]*)$/.exec(attr(rb, 'global_table_arn')?.value.trim() ?? '')?.[1];
    const passed = input ? inputs.get(input)?.trim() : undefined;
    const named = passed ? /^aws_dynamodb_table\.([\w-]+)(\[[^\]]*\])?\.arn$/.exec(passed)?.[1] : undefined;
    const table = named ? det.tables.find((t) => t.kind === 'table' && t.label === named) : undefined;
    if (table) addGlobalTableReplica(table.encryption.obstacles, `module.${label} (aws_dynamodb_table_replica.${rb.labels[1]} of ${rel})`);
  }
}
