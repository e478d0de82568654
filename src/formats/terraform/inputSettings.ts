/**
 * A table's switch and key that read a module's inputs (`var.x`, `local.y`), evaluated with the module's values
 * (evaluate.ts: defaults, tfvars, locals) where they decide them: a table's `server_side_encryption` (`sseSettings`), a
 * registry module call's inputs (`registryInputs`), a replica resource's key (`settingOf`), and the keys of dynamic
 * replicas iterating an input (`iteratedReplicaKeys`). `inputsOf`: the variables a switch or key reads.
 */
import { ABSENT, type Setting, type Settings } from '../../rule/facts.js';
import type { TfTable } from './detect.js';
import { enabledSetting, keySetting, keyRawOf, moduleInputSettings } from './settings.js';
import { evaluate, variablesRead, type Env, type Evaluated } from './evaluate.js';
import { asBool, decidedBranch, localTarget } from './expression.js';
import { choiceArguments, composedEvaluation, holdsManagedKey } from './composedKey.js';
import { maybeManagedKey } from '../../rule/composedKey.js';
import { dataKeyOf, templateNamesAwsManaged, keyThroughLocals } from './managedKeyData.js';
import { eachCollection, encryptionAttrs, iteratedReplicas, readsInputs, soleInterpolation, type EachCollection } from './inputUses.js';
import { everyEntryManaged, instanceKey, iteratedKey } from './instanceKeys.js';
import { indexedEntries } from './structured.js';
import { attr, blocks, dynamicBlocks, type HAttr, type HBlock } from './parse.js';
import { setOutside, type OutsideSetters } from './varSources.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { countedKeyCount, countedKeySetting } from './countedKeys.js';
import type { TopBlock } from './topBlocks.js';

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
export function settingOf(
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
export function sseSettings(
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

/** The inputs of a registry module call (registryModules.ts), evaluated in the calling module where they read its variables or locals. */
export function registryInputs(t: TfTable, env: () => Env, keys: TopBlock[]): string[] {
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
export async function iteratedReplicaKeys(
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

/** The variables a switch or key reads, a counted key's count's among them. */
export const inputsOf = (a: HAttr, in_: Env, blocks: TopBlock[]) =>
  variablesRead(`${a.value} ${countedKeyCount(localTarget(decidedBranch(a.value, in_), in_) ?? a.value, blocks) ?? ''}`, in_);
