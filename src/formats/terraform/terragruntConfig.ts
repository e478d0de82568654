/**
 * Reading a terragrunt configuration (`terragrunt.hcl`, and the files its `include` blocks name):
 * its top-level `inputs`, which terragrunt passes to the module as variables. One reader for the
 * two uses: a root module's variables set from outside (varSources.ts) and a terragrunt unit that
 * deploys a DynamoDB registry module (terragruntUnit.ts).
 */
import { isExpr, isObj, isStr, items, readBody, readValue, type Value } from './hclvalue.js';
import { splitTop } from './split.js';

/**
 * A configuration's `inputs`: absent; an object kmsfix reads (name -> value as written); or an
 * expression terragrunt evaluates (`merge(local.common, {...})`, `include.root.inputs`), as written.
 */
export type TerragruntInputs =
  | { kind: 'none' }
  | { kind: 'object'; inputs: Map<string, Value> }
  /**
   * `known`: the names a `merge(...)` sets whatever its other arguments hold (mergedLast), with their values. `expr`: the
   * expression whole, as written (`source` is shortened for a message).
   */
  | { kind: 'expression'; source: string; expr: string; known?: Map<string, Value> };

/** The top-level body of a terragrunt configuration, read once per text (a unit and the modules under it may ask). */
const bodies = new Map<string, Value>();

function bodyOf(text: string): Value {
  let body = bodies.get(text);
  if (!body) {
    if (bodies.size > 64) bodies.clear();
    // terragrunt's JSON form (`terragrunt.hcl.json`): HCL never starts with a brace.
    bodies.set(text, (body = text.trimStart().startsWith('{') ? jsonBody(text) : readBody(`{\n${text}\n}`)));
  }
  return body;
}

/**
 * A `terragrunt.hcl.json` as the same configuration in HCL (HCL's JSON syntax, as terragrunt reads it): its
 * attributes; a labelled block as its label's key (`"include": {"root": {"path": ...}}` is `include "root"`; an
 * include that sets `path` itself is a bare one), a string kept as written (a template: its `${...}` as in HCL).
 * Before, such a unit was not read at all: the module folder it deploys kept its defaults, and a fix replaced the
 * key the unit passes (session 55, Terraform round F6). JSON kmsfix cannot parse: an unread body (an expression).
 */
function jsonBody(text: string): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { expr: 'a terragrunt.hcl.json kmsfix cannot parse' };
  }
  const body = fromJson(parsed);
  if (!isObj(body)) return body;
  for (const block of ['include', 'dependency']) {
    const v = body.obj.get(block);
    if (!isObj(v) || (block === 'include' && v.obj.has('path'))) continue;
    body.obj.delete(block);
    for (const [label, b] of v.obj) body.obj.set(`${block} ${label}`, b);
  }
  const tf = body.obj.get('terraform');
  for (const t of items(tf)) {
    if (!isObj(t)) continue;
    const extra = t.obj.get('extra_arguments');
    if (!isObj(extra)) continue;
    t.obj.delete('extra_arguments');
    for (const [label, b] of extra.obj) t.obj.set(`extra_arguments ${label}`, b);
  }
  return body;
}

function fromJson(v: unknown): Value {
  if (typeof v === 'string') return { str: v };
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') return { obj: new Map(Object.entries(v).map(([k, x]) => [k, fromJson(x)])) };
  return { expr: JSON.stringify(v) };
}

export function terragruntInputs(text: string): TerragruntInputs {
  const body = bodyOf(text);
  const inputs = isObj(body) ? body.obj.get('inputs') : undefined;
  if (inputs === undefined) return { kind: 'none' };
  if (isObj(inputs)) return { kind: 'object', inputs: inputs.obj };
  // As written, on one line, shortened for a message.
  const source = isExpr(inputs) ? inputs.expr.replace(/\s+/g, ' ') : 'an expression';
  const known = isExpr(inputs) ? mergedLast(inputs.expr) : undefined;
  return {
    kind: 'expression',
    source: source.length > 60 ? `${source.slice(0, 57)}...` : source,
    expr: isExpr(inputs) ? inputs.expr : '',
    ...(known ? { known } : {}),
  };
}

/**
 * The names `inputs = merge(local.common, { ... })` sets whatever its other arguments hold: those of its literal
 * object arguments after the last one kmsfix cannot read (a later argument's names win in merge), with their values;
 * undefined for another expression, or a merge whose last argument is not a literal object.
 */
function mergedLast(expr: string): Map<string, Value> | undefined {
  const m = /^merge\s*\(([\s\S]*)\)$/.exec(expr.trim());
  if (!m) return undefined;
  const known = new Map<string, Value>();
  const args = splitTop(m[1]);
  for (let i = args.length - 1; i >= 0; i--) {
    const v = readValue(args[i]);
    if (!isObj(v)) break;
    for (const [k, x] of v.obj) if (!known.has(k)) known.set(k, x);
  }
  return known.size > 0 ? known : undefined;
}

/**
 * A unit's `terraform { source }` as written, when it is a string (`"../../modules//dynamodb"`,
 * `"${get_repo_root()}/modules/dynamodb"`, a registry or git address); undefined for none or an
 * expression (`local.source`). terragruntPaths.ts resolves the local ones to a folder.
 */
export function terraformSource(text: string): string | undefined {
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  const source = isObj(tf) ? tf.obj.get('source') : undefined;
  return isStr(source) ? source.str.trim() : undefined;
}

/** Does a configuration's `terraform` block set `source`, whatever its value (a string or an expression)? */
export function hasTerraformSource(text: string): boolean {
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  return isObj(tf) && tf.obj.has('source');
}

/**
 * A configuration's own `skip` attribute and `exclude` blocks, as written (terragruntSkip.ts decides whether the unit
 * deploys): `skip` undefined when not set; each `exclude` block's `if`, `actions` and `no_run`.
 */
export function terragruntSkip(text: string): { skip: Value | undefined; excludes: { if?: Value; actions?: Value; noRun?: Value }[] } {
  const body = bodyOf(text);
  if (!isObj(body)) return { skip: undefined, excludes: [] };
  const excludes = items(body.obj.get('exclude')).map((b) =>
    isObj(b) ? { if: b.obj.get('if'), actions: b.obj.get('actions'), noRun: b.obj.get('no_run') } : { if: b },
  );
  return { skip: body.obj.get('skip'), excludes };
}

/** A configuration's `locals` (every `locals` block's, as terragrunt merges them): name -> value as written. */
export function terragruntLocals(text: string): Map<string, Value> {
  const body = bodyOf(text);
  const out = new Map<string, Value>();
  for (const b of isObj(body) ? items(body.obj.get('locals')) : []) if (isObj(b)) for (const [k, v] of b.obj) out.set(k, v);
  return out;
}

/**
 * A configuration's `include` blocks: their label (none for a bare `include`), `path` and `merge_strategy` as written
 * (`"no_merge"`: terragrunt merges nothing of the included file into the unit; generatedFiles.ts).
 */
export function terragruntIncludes(text: string): { label: string; path: Value | undefined; merge: Value | undefined }[] {
  const body = bodyOf(text);
  if (!isObj(body)) return [];
  const out: { label: string; path: Value | undefined; merge: Value | undefined }[] = [];
  for (const [key, v] of body.obj) {
    const m = /^include(?: (.*))?$/.exec(key);
    if (!m) continue;
    for (const b of items(v))
      out.push({
        label: m[1] ?? '',
        path: isObj(b) ? b.obj.get('path') : undefined,
        merge: isObj(b) ? b.obj.get('merge_strategy') : undefined,
      });
  }
  return out;
}

/**
 * The file an include's path names when kmsfix can find it as terragrunt does: the nearest file of
 * that name in a folder above the unit (`find_in_parent_folders("root.hcl")`;
 * `find_in_parent_folders()` looks for terragrunt.hcl). Any other path (a template, a local):
 * undefined.
 */
export function parentFolderName(path: Value | undefined): string | undefined {
  if (!isExpr(path)) return undefined;
  const m = /^find_in_parent_folders\(\s*(?:"([^"$%\\]+)"\s*)?\)$/.exec(path.expr);
  return m ? (m[1] ?? 'terragrunt.hcl') : undefined;
}

/**
 * What a configuration's `terraform { extra_arguments "x" { ... } }` blocks pass to Terraform as variables: each
 * var-file path as written (`arguments = ["-var-file=${get_terragrunt_dir()}/prod.tfvars"]`, `required_var_files`,
 * `optional_var_files`: its entries), each variable set by `-var=name=value` (its name), and each part kmsfix does not
 * read (`arguments = local.args`, a list entry that is an expression), as written: any variable may come from it.
 * `envVars`: each variable its `env_vars = { TF_VAR_<name> = ... }` sets (since session 56, adversarial F5: before, a
 * unit setting `TF_VAR_kms_key_arn` there left the module's default read). Terragrunt puts env_vars in Terraform's
 * environment before its `inputs`, which it adds as TF_VAR_ variables only where none is set yet
 * (runner/run/run.go: maps.Copy of the extra_arguments' env vars, then SetTerragruntInputsAsEnvVars "preserving any
 * keys already present"), so env_vars win over inputs; Terraform reads TF_VAR_ variables first, under the module's
 * terraform.tfvars, *.auto.tfvars and every -var-file and -var (terragrunt's inputs docs list that order). An
 * env_vars that is not an object, or a key kmsfix cannot read (a template), may set any variable (`unread`).
 */
export interface ExtraArguments {
  varFiles: { path: Value; optional: boolean; block: string }[];
  vars: string[];
  envVars: string[];
  unread: string[];
}

export function terragruntExtraArguments(text: string): ExtraArguments {
  const out: ExtraArguments = { varFiles: [], vars: [], envVars: [], unread: [] };
  if (!text.includes('extra_arguments')) return out;
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  if (!isObj(tf)) return out;
  for (const [key, v] of tf.obj) {
    const label = /^extra_arguments(?: (.*))?$/.exec(key)?.[1];
    if (label === undefined) continue;
    const block = `extra_arguments "${label}"`;
    for (const b of items(v)) {
      if (!isObj(b)) continue;
      for (const [attr, optional] of [
        ['required_var_files', false],
        ['optional_var_files', true],
      ] as const) {
        const list = b.obj.get(attr);
        if (list === undefined) continue;
        if (!Array.isArray(list)) out.unread.push(`${block} ${attr} = ${shown(list)}`);
        else for (const p of list) out.varFiles.push({ path: p, optional, block });
      }
      const env = b.obj.get('env_vars');
      if (env !== undefined && !isObj(env)) out.unread.push(`${block} env_vars = ${shown(env)}`);
      else if (env !== undefined)
        for (const k of env.obj.keys()) {
          const name = /^TF_VAR_([A-Za-z_][\w-]*)$/.exec(k)?.[1];
          if (name) out.envVars.push(name);
          else if (/[$%]\{|^\(/.test(k)) out.unread.push(`${block} env_vars key ${k}`);
        }
      const args = b.obj.get('arguments');
      if (args === undefined) continue;
      if (!Array.isArray(args)) {
        out.unread.push(`${block} arguments = ${shown(args)}`);
        continue;
      }
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (!isStr(a)) {
          out.unread.push(`${block} arguments entry ${shown(a)}`);
          continue;
        }
        // `-var-file=x` and `-var-file x` (two entries), `-var=name=value` and `-var name=value`.
        const flag = /^\s*--?(var-file|var)(?:=(.*))?$/s.exec(a.str);
        if (!flag) continue;
        const value: Value | undefined = flag[2] !== undefined ? { str: flag[2] } : args[++i];
        if (value === undefined) continue;
        if (flag[1] === 'var-file') out.varFiles.push({ path: value, optional: false, block });
        else {
          const name = isStr(value) ? /^\s*'?([A-Za-z_][\w-]*)\s*=/.exec(value.str)?.[1] : undefined;
          if (name) out.vars.push(name);
          else out.unread.push(`${block} arguments entry -var ${shown(value)}`);
        }
      }
    }
  }
  return out;
}

/** A value as written, on one line, shortened for a message. */
function shown(v: Value): string {
  const s = isStr(v) ? `"${v.str}"` : isExpr(v) ? v.expr : Array.isArray(v) ? '[...]' : '{...}';
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
