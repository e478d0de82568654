/**
 * An attribute of an object or map variable, as Terraform would read it, when every value the
 * variable may take agrees on it: `local.environment.dynamodb_tables.cmk_encryption_enabled` where
 *
 *   environment = contains(keys(var.environments), local.name) ? var.environments[local.name] : var.environments["default"]
 *
 * and terraform.tfvars.json gives `environments` one object per workspace (ministryofjustice's root
 * modules: the workspace, unknown to the code, picks the entry). The value is one of the map's entries
 * whatever the key (indexing a map with a key it lacks is an error at plan), and either branch of a
 * condition kmsfix does not decide: so the attribute is known when it is the same literal in each of
 * them, and unknown otherwise (a missing attribute, an entry that is not an object, a value that is
 * not a literal). Read from the variable's value as written: a tfvars(.json) assignment, a call's input
 * or a default (JSON or an HCL object expression, src/formats/terraform/hclvalue.ts), and through
 * `merge(...)` of such values (`merge(var.defaults, var.environments[terraform.workspace])`: each
 * combination of its arguments' values, later keys winning, as Terraform's shallow merge does).
 */
import { quotedEnd } from '../../core/hclStrings.js';
import { isExpr, isObj, isStr, readValue, type Value } from './hclvalue.js';
import { soleInterpolation } from './inputUses.js';
import { splitConditional, splitTop } from './split.js';
import { evaluate, type Env, type Evaluated, type Known } from './expression.js';
import { dataKeyOf } from './managedKeyData.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';

/** `var.x.a.b` or `local.y.a.b`: the variable or local, and the attribute path. */
const PATH = /^((?:var|local)\.[A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)+)$/;

/** How many values a variable may take before kmsfix stops enumerating them. */
const MAX_VALUES = 64;

/** The value of `ref` (`local.environment.dynamodb_tables.cmk_encryption_enabled`) when every value its base may take agrees on it; undefined when `ref` is no such path. */
export function attributePath(ref: string, env: Env, depth: number): Evaluated | undefined {
  const m = PATH.exec(ref);
  if (!m) return undefined;
  const values = valuesOf(m[1], env, depth, []);
  if (!values) return { known: false, why: [] };
  const attrs = m[2].slice(1).split('.');
  // A value that leaves out an optional attribute of the variable's object type (or sets it to null) holds the type's
  // default there, or null: Terraform fills an absent or null optional attribute with its default.
  const optionals = m[1].startsWith('var.') ? env.vars.get(m[1].slice(4))?.optionals : undefined;
  const given = (v: Value | undefined, a: string): Value | undefined => {
    const d = optionals?.get(a);
    return d !== undefined && (v === undefined || (isExpr(v) && v.expr.trim() === 'null')) ? objectValue(d) : v;
  };
  let agreed: Known | undefined;
  for (const v of values) {
    const leaf = literalOf(
      attrs.reduce<Value | undefined>((o, a, i) => (isObj(o) ? (i === 0 ? given(o.obj.get(a), a) : o.obj.get(a)) : undefined), v.value),
    );
    if (leaf === undefined || (agreed !== undefined && leaf.value !== agreed)) return { known: false, why: [] };
    agreed = leaf.value;
  }
  if (agreed === undefined) return { known: false, why: [] };
  const sources = [...new Set(values.map((v) => v.why))].join('; ');
  const each = values.length === 1 ? '' : ` in every value ${m[1]} may take`;
  return { known: true, value: agreed, why: [`${ref} is ${JSON.stringify(agreed)}${each} (${sources})`] };
}

/** What indexedEntries gives for each value: `shown`, the entry as written where that says more than its value. */
export interface Entry {
  value: Known | undefined;
  why: string;
  shown?: string;
  /** The value is a `lookup`'s default, for a key the map lacks. */
  fallback?: boolean;
  /** The map's key whose entry it is. */
  at?: string;
}

/**
 * The values a key read from a map by a key kmsfix does not know may take, each a literal (a string, null) or
 * undefined when it is not one: `var.keys[terraform.workspace]`, `lookup(local.m, var.env)`, an attribute of such an
 * entry (`var.envs[terraform.workspace].kms_key_arn`), or of a local holding one (`local.cfg.kms_key_arn`, `cfg =
 * lookup(local.env, terraform.workspace)` or `merge(local.defaults, local.env[terraform.workspace])`); the map may be
 * written in place (`{ dev = ..., prod = ... }[terraform.workspace]`, `lookup({ ... }, terraform.workspace, "...")`),
 * and a lookup's default counts. An entry or default that reads a KMS data source naming the AWS managed key
 * (`data.aws_kms_alias.ddb.target_key_arn`, env.managedKeys) is that key. `decide`: a key the module's values decide
 * (`var.env` defaulting to "dev") picks its entry, as a condition on it is decided; otherwise any entry may be read.
 * Undefined when the expression is no such read, or the values cannot be listed.
 */
export function indexedEntries(expr: string, env: Env, decide = false): Entry[] | undefined {
  const s = expr.trim();
  const m =
    /^((?:var|local)\.[A-Za-z_][\w-]*(?:\[[^[\]]+\])?|keys\s*\(\s*(?:var|local)\.[A-Za-z_][\w-]*\s*\)\s*\[[^[\]]+\]|lookup\s*\([^()]*\)|\{[\s\S]*\}\s*\[[^[\]]+\]|\[[\s\S]*\]\s*\[[^[\]]+\])((?:\.[A-Za-z_][\w-]*)*)$/.exec(
      s,
    );
  if (!m) return undefined;
  const [, base, path] = m;
  // Only a read by an unknown key, here or in the local the base names (a known one is evaluated as such).
  const byKey = (e: string) => /\[(?!\s*"[^"\\$%]*"\s*\])[^[\]]+\]|\blookup\s*\(/.test(e);
  const local = /^local\.([A-Za-z_][\w-]*)$/.exec(base);
  if (!byKey(base) && !(local && byKey(env.locals.get(local[1]) ?? ''))) return undefined;
  const values = valuesOf(base, env, 0, [], decide);
  const attrs = path ? path.slice(1).split('.') : [];
  // An entry's object without the attribute (or null there): the default of its `optional(...)` type, else null,
  // as Terraform fills in an optional attribute left out.
  const NULL: Value = { expr: 'null' };
  const optionals = /^var\.([A-Za-z_][\w-]*)\[/.exec(base)
    ? env.vars.get(/^var\.([A-Za-z_][\w-]*)/.exec(base)![1])?.entryOptionals
    : undefined;
  const given = (v: Value | undefined, a: string, first: boolean): Value => {
    const d = first ? optionals?.get(a) : undefined;
    if (d !== undefined && (v === undefined || (isExpr(v) && v.expr.trim() === 'null'))) return objectValue(d);
    return v ?? NULL;
  };
  return values?.map((v) => ({
    value: literalOf(attrs.reduce<Value | undefined>((o, a, i) => (isObj(o) ? given(o.obj.get(a), a, i === 0) : undefined), v.value))
      ?.value,
    why: v.why,
    ...(v.shown !== undefined && attrs.length === 0 ? { shown: v.shown } : {}),
    ...(v.fallback ? { fallback: true } : {}),
    ...(v.at !== undefined ? { at: v.at } : {}),
  }));
}

/**
 * An object's text read once: a module's object locals (kept since session 46, `local.cfg.kms_key_arn`) are asked
 * for again by each table and each evaluation of a module's files. The last texts read are kept (a few hundred).
 */
const objects = new Map<string, Value>();
function objectValue(text: string): Value {
  let v = objects.get(text);
  if (v) return v;
  v = readValue(text);
  if (objects.size >= 256) objects.delete(objects.keys().next().value as string);
  objects.set(text, v);
  return v;
}

interface Possible {
  value: Value;
  /** Where the value was written (the variable's source, shortened). */
  why: string;
  /** The value as written, where it is read as another (`data.aws_kms_alias.ddb.target_key_arn`: the AWS managed key). */
  shown?: string;
  /** A `lookup`'s default. */
  fallback?: boolean;
  /** The entry's key, for an entry of a map. */
  at?: string;
}

/**
 * `base[key]`, one index: the base a variable or local, or an object written in place (`{ dev = ..., prod = ... }[k]`,
 * a local's value in round 35's repository) or a list (`["a", "b"][each.key]`: a `toset([...])` for_each's items); `var.m["a"]["b"]` is not read (its first index would be taken for the whole).
 */
function indexRead(s: string): { base: string; key: string } | undefined {
  const named = /^((?:var|local)\.[A-Za-z_][\w-]*|keys\s*\(\s*(?:var|local)\.[A-Za-z_][\w-]*\s*\))\s*\[([^[\]]+)\]$/.exec(s);
  if (named) return { base: named[1], key: named[2] };
  if (!s.startsWith('{') && !s.startsWith('[')) return undefined;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = quotedEnd(s, i) - 1;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    if (depth > 0) continue;
    const key = /^\s*\[([^[\]]+)\]$/.exec(s.slice(i + 1))?.[1];
    return key === undefined ? undefined : { base: s.slice(0, i + 1), key };
  }
  return undefined;
}

/**
 * The key a map is read by: written (`"dev"`), or, with `decide`, one the module's values decide (`var.env` defaulting
 * to "dev", with why); undefined key: one kmsfix does not know (`terraform.workspace`).
 */
function keyOf(text: string, env: Env, decide: boolean): { key?: string; why: string[] } {
  const written = /^"([^"\\$%]*)"$/.exec(text.trim())?.[1];
  if (written !== undefined || !decide) return { key: written, why: [] };
  const v = evaluate(text, env);
  return v.known && typeof v.value === 'string' ? { key: v.value, why: v.why } : { why: [] };
}

/** An entry or default that reads a KMS data source naming the AWS managed key (env.managedKeys): that key. */
function managedData(expr: string, env: Env): Possible | undefined {
  const d = env.managedKeys && dataKeyOf(expr);
  const where = d && env.managedKeys!.get(`${d.type}.${d.name}`);
  return where ? { value: { str: AWS_MANAGED_ALIAS }, why: where, shown: expr.trim() } : undefined;
}

/** The values `expr` may take, as written, or undefined when kmsfix cannot list them (`decide`: indexedEntries). */
function valuesOf(expr: string, env: Env, depth: number, why: string[], decide = false): Possible[] | undefined {
  if (depth > 16) return undefined;
  const s = (soleInterpolation(expr) ?? expr).trim();
  const indexed = indexRead(s);
  if (!indexed && (s.startsWith('{') || s.startsWith('['))) {
    const value = objectValue(s);
    return isObj(value) || Array.isArray(value) ? [{ value, why: why.join(', ') || 'as written' }] : undefined;
  }
  const cond = splitConditional(s);
  if (cond) {
    const a = valuesOf(cond[1], env, depth + 1, why, decide);
    const b = a && valuesOf(cond[2], env, depth + 1, why, decide);
    return a && b && a.length + b.length <= MAX_VALUES ? [...a, ...b] : undefined;
  }
  const merged = /^merge\s*\(([\s\S]*)\)$/.exec(s);
  if (merged) return mergedValues(splitTop(merged[1]), env, depth, why, decide);
  // lookup(map, key[, default]): the map's entry, else the default.
  const lookedUp = /^lookup\s*\(([\s\S]*)\)$/.exec(s);
  if (lookedUp) {
    const args = splitTop(lookedUp[1]);
    if (args.length < 2 || args.length > 3) return undefined;
    const entries = valuesOf(`${args[0].trim()}[${args[1].trim()}]`, env, depth + 1, why, decide);
    // A key the code gives (or the module's values decide), found: its entry alone (the default is for a missing one).
    if (entries && keyOf(args[1], env, decide).key !== undefined) return entries;
    // The default: a value kmsfix cannot list (`aws_kms_key.k.arn`) is one it does not know, as such an entry is.
    const fallback =
      args[2] === undefined
        ? []
        : (valuesOf(args[2], env, depth + 1, why, decide) ?? [{ value: { expr: args[2].trim() }, why: why.join(', ') || 'as written' }]);
    return entries && entries.length + fallback.length <= MAX_VALUES
      ? [...entries, ...fallback.map((f) => ({ ...f, fallback: true }))]
      : undefined;
  }
  if (indexed) {
    const maps = valuesOf(indexed.base, env, depth + 1, why, decide);
    if (!maps) return undefined;
    const { key, why: keyWhy } = keyOf(indexed.key, env, decide);
    const out: Possible[] = [];
    for (const m of maps) {
      // A list's items, by an index kmsfix does not know (`{ for t in var.tables : t.name => t }` read by each.key).
      if (Array.isArray(m.value) && key === undefined) {
        out.push(...m.value.map((value) => ({ value, why: m.why })));
        continue;
      }
      if (!isObj(m.value)) return undefined;
      // A key kmsfix does not know: any entry (a key the map lacks fails at plan).
      const entries: [string, Value | undefined][] = key === undefined ? [...m.value.obj] : [[key, m.value.obj.get(key)]];
      for (const [k, e] of entries) {
        if (e === undefined) return undefined;
        // An entry that names a local or variable (`dev = local.dev_config`): its values.
        const named =
          isExpr(e) && /^(?:var|local)\.[A-Za-z_][\w-]*$/.test(e.expr.trim()) ? valuesOf(e.expr, env, depth + 1, why, decide) : undefined;
        if (named) {
          out.push(...named);
          continue;
        }
        // Where it was written, and which entry (the message names it) and what decided the key.
        const data = isExpr(e) ? managedData(e.expr, env) : undefined;
        out.push({ ...(data ?? { value: e }), why: [...keyWhy, data?.why ?? m.why].filter(Boolean).join('; '), at: k });
      }
    }
    return out.length > 0 && out.length <= MAX_VALUES ? out : undefined;
  }
  const data = managedData(s, env);
  if (data) return [data];
  // A literal (a lookup's default, a condition's branch): itself.
  const leaf = objectValue(s);
  if (literalOf(leaf)) return [{ value: leaf, why: why.join(', ') || 'as written' }];
  // `keys(var.tables)`: what `each.key` of `for_each = var.tables` is (inputUses.ts collectionOf), a map's keys, or a
  // set's items (each.key of a set is its item).
  const keysOf = /^keys\s*\(\s*((?:var|local)\.[A-Za-z_][\w-]*)\s*\)$/.exec(s);
  if (keysOf) {
    const maps = valuesOf(keysOf[1], env, depth + 1, why, decide);
    const out = maps?.map((m) => ({ ...m, value: isObj(m.value) ? [...m.value.obj.keys()].map((k) => ({ str: k })) : m.value }));
    return out?.every((m) => Array.isArray(m.value)) ? out : undefined;
  }
  const ref = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(s);
  if (!ref) return undefined;
  if (ref[1] === 'local') {
    const e = env.locals.get(ref[2]);
    return e === undefined ? undefined : valuesOf(e, env, depth + 1, why, decide);
  }
  const src = env.vars.get(ref[2]);
  if (src?.expr === undefined) return undefined;
  return valuesOf(src.expr, src.env ?? { vars: new Map(), locals: new Map() }, depth + 1, [...why, src.why], decide);
}

/** The values of `merge(args...)`: one per combination of its arguments' values, each an object. */
function mergedValues(args: string[], env: Env, depth: number, why: string[], decide: boolean): Possible[] | undefined {
  let out: Possible[] = [{ value: { obj: new Map() }, why: '' }];
  for (const a of args) {
    const values = valuesOf(a, env, depth + 1, why, decide);
    if (!values || out.length * values.length > MAX_VALUES) return undefined;
    const next: Possible[] = [];
    for (const acc of out)
      for (const v of values) {
        if (!isObj(acc.value) || !isObj(v.value)) return undefined;
        next.push({ value: { obj: new Map([...acc.value.obj, ...v.value.obj]) }, why: [acc.why, v.why].filter(Boolean).join('; ') });
      }
    out = next;
  }
  return args.length > 0 ? out : undefined;
}

/** A literal leaf: a string without interpolation, a number, true, false or null. */
function literalOf(v: Value | undefined): { value: Known } | undefined {
  if (isStr(v)) return v.str.includes('${') || v.str.includes('%{') ? undefined : { value: v.str };
  if (!isExpr(v)) return undefined;
  const e = v.expr.trim();
  if (e === 'true' || e === 'false') return { value: e === 'true' };
  if (e === 'null') return { value: null };
  return /^-?\d+(\.\d+)?$/.test(e) ? { value: Number(e) } : undefined;
}
