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
import { isExpr, isObj, isStr, type Value } from './hclvalue.js';
import { terragruntLocals } from './terragruntConfig.js';
import { includedFile } from './terragruntPaths.js';

/** A literal an input evaluates to, and where it was written (`"alias/aws/dynamodb" in the locals of ../env.hcl`). */
export interface LocalValue {
  value: Value;
  /** The file whose locals wrote it (a display path). */
  file: string;
}

/** References followed before giving up (a cycle, which terragrunt rejects, is not evaluated). */
const DEPTH = 32;

/**
 * What `v` (an input of `file`, the unit or a file it includes) evaluates to when it reads locals down to
 * a literal (a string without interpolation, a bool, a number, null); undefined otherwise.
 */
export async function throughLocals(v: Value, file: SourceFile, unit: SourceFile, context: DiskContext): Promise<LocalValue | undefined> {
  if (!isExpr(v) || !/^local\./.test(v.expr)) return undefined;
  return evaluate(v.expr, file, unit, context, DEPTH, 1);
}

async function evaluate(
  expr: string,
  file: SourceFile,
  unit: SourceFile,
  context: DiskContext,
  depth: number,
  reads: number,
): Promise<LocalValue | undefined> {
  if (depth <= 0) return undefined;
  const local = /^local\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)$/.exec(expr.trim());
  if (local) return at(terragruntLocals(file.text).get(local[1]), local[2], file, unit, context, depth - 1, reads);
  const read = /^read_terragrunt_config\(\s*(.+?)\s*\)\.locals\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)$/s.exec(expr.trim());
  if (!read || reads <= 0) return undefined;
  const other = await configAt(read[1], unit, context);
  return other ? at(terragruntLocals(other.text).get(read[2]), read[3], other, unit, context, depth - 1, reads - 1) : undefined;
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
): Promise<LocalValue | undefined> {
  const steps = rest.split('.').filter(Boolean);
  for (let i = 0; i < steps.length && v !== undefined; i++) {
    if (isExpr(v)) return evaluate(`${v.expr}.${steps.slice(i).join('.')}`, file, unit, context, depth, reads);
    v = isObj(v) ? v.obj.get(steps[i]) : undefined;
  }
  if (v === undefined) return undefined;
  if (isStr(v)) return /[$%]\{/.test(v.str) ? undefined : { value: v, file: file.path };
  if (!isExpr(v)) return undefined;
  if (/^(?:true|false|null|-?\d+(?:\.\d+)?)$/.test(v.expr.trim())) return { value: { expr: v.expr.trim() }, file: file.path };
  return evaluate(v.expr, file, unit, context, depth, reads);
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
