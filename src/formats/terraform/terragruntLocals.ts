/**
 * A terragrunt unit's input read through its `locals` to a literal, as Terraform locals are evaluated
 * elsewhere in the family (evaluate.ts): `server_side_encryption_kms_key_arn = local.table_key` with
 * `locals { table_key = "alias/aws/dynamodb" }`, and the usual per-environment layout,
 * `local.env.locals.table_key` with `env = read_terragrunt_config(find_in_parent_folders("env.hcl"))` and
 * that file's `locals { table_key = "alias/aws/dynamodb" }`. Before, any input from a local counted as a
 * customer-managed key, and such units scanned compliant with the AWS managed key (round 37, R1).
 *
 * Read: a chain of `local.x` (each configuration's own locals), an object's attribute
 * (`local.env.table_key` with `env = { table_key = ... }`), and one `read_terragrunt_config(...)` whose
 * path is `find_in_parent_folders("name")` (the nearest file of that name in a folder above the unit's)
 * or a literal path from the unit's folder (`"../env.hcl"`, `"${get_terragrunt_dir()}/../env.hcl"`), read
 * at `.locals.name`. Paths resolve from the unit's folder even in an included file: terragrunt evaluates an
 * included configuration in the context of the unit that includes it. Anything else (a function, an
 * interpolation, `include.root.locals.x`, `dependency.x.outputs.y`, a second read) is not evaluated:
 * the input stays as written, read as before.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { awsManagedChoice, evaluate as evaluateTerraform, localTarget, type Env } from './expression.js';
import { isExpr, isObj, isStr, readValue, type Value } from './hclvalue.js';
import { templateNamesAwsManaged } from './managedKeyData.js';
import { splitTop } from './split.js';
import { terragruntLocals } from './terragruntConfig.js';
import { includedFile } from './terragruntPaths.js';

/** A literal an input evaluates to, and where it was written (`"alias/aws/dynamodb" in the locals of ../env.hcl`). */
export interface LocalValue {
  value: Value;
  /** The file whose locals wrote it (a display path). */
  file: string;
  /** Asked with `open`: the chain stopped at this expression, not a literal, written in these locals (the file). */
  open?: SourceFile;
}

/** References followed before giving up (a cycle, which terragrunt rejects, is not evaluated). */
const DEPTH = 32;

/**
 * What `v` (an input of `file`, the unit or a file it includes) evaluates to when it reads locals down to
 * a literal (a string without interpolation, a bool, a number, null); undefined otherwise.
 */
export async function throughLocals(
  v: Value,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext,
  open = false,
): Promise<LocalValue | undefined> {
  if (!isExpr(v) || !/^local\./.test(v.expr)) return undefined;
  return evaluate(v.expr, file, unit, context, DEPTH, 1, open);
}

async function evaluate(
  expr: string,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext,
  depth: number,
  reads: number,
  open = false,
): Promise<LocalValue | undefined> {
  if (depth <= 0) return undefined;
  const local = /^local\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)$/.exec(expr.trim());
  if (local) return at(terragruntLocals(file.text).get(local[1]), local[2], file, unit, context, depth - 1, reads, open);
  const read = /^read_terragrunt_config\(\s*(.+?)\s*\)\.locals\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)$/s.exec(expr.trim());
  const other = read && reads > 0 ? await configAt(read[1], unit, context) : undefined;
  if (read && other) return at(terragruntLocals(other.text).get(read[2]), read[3], other, unit, context, depth - 1, reads - 1, open);
  // Not followed further: with `open`, the expression where the chain stops, in the locals of `file`.
  return open && !read ? { value: { expr: expr.trim() }, file: file.path, open: file } : undefined;
}

/** The value `v` (written in `file`) at an attribute path (`.a.b`), evaluated. */
async function at(
  v: Value | undefined,
  rest: string,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext,
  depth: number,
  reads: number,
  open = false,
): Promise<LocalValue | undefined> {
  const steps = rest.split('.').filter(Boolean);
  for (let i = 0; i < steps.length && v !== undefined; i++) {
    if (isExpr(v)) return evaluate(`${v.expr}.${steps.slice(i).join('.')}`, file, unit, context, depth, reads, open);
    v = isObj(v) ? v.obj.get(steps[i]) : undefined;
  }
  if (v === undefined) return undefined;
  if (isStr(v))
    return /[$%]\{/.test(v.str)
      ? open
        ? { value: { expr: hclText(v) }, file: file.path, open: file }
        : undefined
      : { value: v, file: file.path };
  if (!isExpr(v)) return undefined;
  if (/^(?:true|false|null|-?\d+(?:\.\d+)?)$/.test(v.expr.trim())) return { value: { expr: v.expr.trim() }, file: file.path };
  return evaluate(v.expr, file, unit, context, depth, reads, open);
}

/**
 * The names an `inputs` expression of `file` (the unit or a file it includes) can set, when kmsfix can list them all: an
 * object literal, the `locals` of a configuration read with `read_terragrunt_config(...)` (through a local,
 * `local.common.locals`, or in place), a local holding an object literal, or a `merge(...)` of those. A locals block's
 * names are written in it whatever its values are, so `inputs = merge(local.common.locals, local.region.locals)` sets
 * no `server_side_encryption_enabled` when neither file's locals names it. Undefined for anything else (a function, a
 * dependency output, `include.root.inputs`, a file not found): it may set any name. Before, such inputs in the
 * `root.hcl` every unit includes left each registry-module unit `unknown` (real-world round 47, F1).
 */
export async function inputNames(expr: string, file: SourceFile, unit: SourceFile, context: DiskContext): Promise<Set<string> | undefined> {
  const merge = /^merge\s*\(([\s\S]*)\)$/.exec(expr.trim());
  const args = merge ? splitTop(merge[1]).filter((a) => a.trim() !== '') : [expr];
  const locals = terragruntLocals(file.text);
  const names = new Set<string>();
  for (const arg of args) {
    let v = readValue(arg.trim());
    const local = isExpr(v) ? /^local\.([A-Za-z_][\w-]*)(\.locals)?$/.exec(v.expr.trim()) : null;
    if (local) {
      const held = locals.get(local[1]);
      if (held === undefined) return undefined;
      if (!local[2]) v = held;
      else if (isExpr(held)) v = { expr: `${held.expr.trim()}.locals` };
      else return undefined;
    }
    if (isObj(v)) {
      for (const k of v.obj.keys()) names.add(k);
      continue;
    }
    const read = isExpr(v) ? /^read_terragrunt_config\(\s*(.+?)\s*\)\.locals$/s.exec(v.expr.trim()) : null;
    const other = read ? await configAt(read[1], unit, context) : undefined;
    if (!other) return undefined;
    for (const k of terragruntLocals(other.text).keys()) names.add(k);
  }
  return names;
}

/**
 * The configuration a `read_terragrunt_config` argument names: `find_in_parent_folders("name")`, or a
 * literal path from the unit's folder (a folder: its terragrunt.hcl, as terragrunt reads it, is not read).
 */
async function configAt(arg: string, unit: SourceFile, context: DiskContext): Promise<SourceFile | undefined> {
  if (/^find_in_parent_folders\(/.test(arg)) return includedFile(unit, { expr: arg }, context);
  const lit = /^"((?:\$\{\s*get_terragrunt_dir\(\s*\)\s*\}\/)?[^"$%\\]+)"$/.exec(arg)?.[1];
  if (lit === undefined) return undefined;
  const rel = lit.replace(/^\$\{\s*get_terragrunt_dir\(\s*\)\s*\}\//, '');
  if (path.posix.isAbsolute(rel)) return undefined;
  const name = path.posix.basename(rel);
  return (await context.folderFiles(unit, path.posix.dirname(rel), (n) => n === name))[0];
}

/**
 * A value as HCL writes it, for kmsfix's Terraform evaluator (expression.ts): a string quoted (its interpolations as
 * written, whose own quotes HCL allows), an expression as written, an object or a list from its parts.
 */
export function hclText(v: Value): string {
  if (isStr(v)) return /[$%]\{/.test(v.str) ? `"${v.str}"` : JSON.stringify(v.str);
  if (isExpr(v)) return v.expr;
  if (Array.isArray(v)) return `[${v.map(hclText).join(', ')}]`;
  return `{ ${[...v.obj].map(([k, x]) => `${/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k)} = ${hclText(x)}`).join(', ')} }`;
}

/** A configuration's locals as a Terraform module's environment (expression.ts Env): each local's value as written. */
export function localsEnv(file: SourceFile): Env {
  let env = envs.get(file);
  if (!env) {
    const locals = new Map<string, string>();
    for (const [k, v] of terragruntLocals(file.text)) locals.set(k, hclText(v));
    envs.set(file, (env = { vars: new Map(), locals }));
  }
  return env;
}

const envs = new WeakMap<SourceFile, Env>();

/**
 * A unit's key input that its locals do not make a literal, read as kmsfix's Terraform reader reads the same forms
 * (expression.ts), in the locals of the file where the chain of locals stops (session 55, F4: before, each counted as
 * a customer-managed key, exit 0, where some environment deploys the AWS managed key):
 * - a value the locals decide (`local.env == "prod" ? ... : "alias/aws/dynamodb"` with `env = "dev"`, `local.keys[local.env]`,
 *   `"arn:aws:kms:${local.region}:...:alias/aws/dynamodb"`): that literal (`literal`);
 * - a choice they do not decide, one of whose values is the AWS managed key (a conditional's branch, a map's entry): `unknown`,
 *   saying when;
 * - `get_env("NAME", <the AWS managed key>)`: `unknown` (the key where the variable is not set);
 * - a template that ends in the AWS managed key's alias: that key (`literal`, the alias).
 * Anything else: undefined (read as written, as before: `dependency.kms.outputs.key_arn` is the key the unit passes).
 */
export async function keyAsTerraform(
  v: Value,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext,
): Promise<{ kind: 'literal'; value: Value; file: string } | { kind: 'unknown'; why: string } | undefined> {
  const found = await throughLocals(v, file, unit, context, true);
  const where = found?.open ?? file;
  const expr = found?.open && isExpr(found.value) ? found.value.expr : isExpr(v) ? v.expr : isStr(v) ? hclText(v) : undefined;
  if (expr === undefined || (found?.open === undefined && /^local\./.test(expr))) return undefined;
  const env = localsEnv(where);
  const shown = isExpr(v) ? v.expr : hclText(v);
  const decided = indexDecided(expr, env);
  const value = evaluateTerraform(localTarget(decided, env) ?? decided, env);
  if (value.known) {
    if (typeof value.value === 'string') return { kind: 'literal', value: { str: value.value }, file: where.path };
    return { kind: 'literal', value: { expr: value.value === null ? 'null' : String(value.value) }, file: where.path };
  }
  const choice = awsManagedChoice(expr, env, shown);
  if (choice !== undefined) return { kind: 'unknown', why: choice };
  const target = localTarget(expr, env) ?? expr;
  // A unit template of an explicit stack (terragrunt 1.0: `terragrunt.stack.hcl`'s `unit` blocks pass `values = {...}`):
  // the stack file that generates the unit decides, and kmsfix does not read stack files (session 55, F8: before, the
  // value counted as a key the unit passes, exit 0, where a stack passed "alias/aws/dynamodb").
  const values = /\bvalues\.([A-Za-z_][\w-]*)/.exec(target);
  if (values)
    return {
      kind: 'unknown',
      why: `${shown}: set by values.${values[1]}, which the terragrunt.stack.hcl files that generate this unit pass (kmsfix does not read stack files)`,
    };
  const getEnv = /^get_env\(\s*"([^"$%\\]+)"\s*,\s*(.+)\)$/s.exec(target.trim());
  const fallback = getEnv ? evaluateTerraform(getEnv[2], env) : undefined;
  if (getEnv && fallback?.known && (fallback.value === null || (typeof fallback.value === 'string' && isAwsManagedKeyRef(fallback.value))))
    return {
      kind: 'unknown',
      why: `${shown}: the AWS managed key where the environment variable ${getEnv[1]} is not set (get_env's default, ${getEnv[2].trim()}), which the code alone does not tell`,
    };
  if (templateNamesAwsManaged(target)) return { kind: 'literal', value: { str: AWS_MANAGED_ALIAS }, file: where.path };
  return undefined;
}

/** A map read by an index the locals decide (`local.keys[local.env]`, `env = "dev"`): the entry's read, `local.keys["dev"]`. */
function indexDecided(expr: string, env: Env): string {
  const m = /^(local\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\[\s*([^[\]"]+?)\s*\]$/.exec(expr.trim());
  const at = m ? evaluateTerraform(m[2], env) : undefined;
  return m && at?.known && typeof at.value === 'string' ? `${m[1]}[${JSON.stringify(at.value)}]` : expr;
}
