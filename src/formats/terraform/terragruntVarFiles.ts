/**
 * The variables a terragrunt unit passes to its module through var-files: `terraform { extra_arguments "x" {
 * arguments = ["-var-file=..."], required_var_files = [...], optional_var_files = [...] } }` in the unit or in a
 * file it includes (root.hcl), terragrunt's documented way to pass per-environment tfvars. Before, they were not
 * read: a module variable one set kept its default, the table was aws-managed "defaults to null" and a fix
 * replaced the key the var-file passes; a default key with a var-file setting alias/aws/dynamodb was
 * customer-managed, exit 0 (session 55, Terraform round F1). varSources.ts counts each name they set as set by
 * the unit (unknown, never fixed), as it counts a unit's `inputs`.
 *
 * Paths resolve as terragrunt resolves them, in the unit's folder (an included file's too: terragrunt evaluates
 * it in the unit's context): a literal path from the unit's folder (terragrunt copies the unit's files beside the
 * module it runs), or one that starts with a path function (`${get_terragrunt_dir()}/prod.tfvars`,
 * `${find_in_parent_folders("common.tfvars")}`, `${get_parent_terragrunt_dir()}/env.tfvars`: terragruntPaths.ts).
 * A var-file kmsfix cannot resolve or find (an optional one not found is skipped, as terragrunt skips it), and a
 * part of extra_arguments it does not read, may set any variable.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { isExpr, isStr, type Value } from './hclvalue.js';
import { terragruntExtraArguments, terragruntIncludes } from './terragruntConfig.js';
import { includedFile, pathFunction } from './terragruntPaths.js';

export interface UnitVarFiles {
  /**
   * Each var-file read (or `-var` arguments, or `TF_VAR_` env_vars): where (its file's path), what it is when not a
   * var-file (`the -var arguments of`, said before the path), and the variables it sets.
   */
  read: { where: string; what?: string; names: string[] }[];
  /** What kmsfix cannot read, each saying what and why (any variable may come from it). */
  unread: string[];
}

const byUnit = new WeakMap<SourceFile, Promise<UnitVarFiles>>();

/** The var-files a unit passes, from its own extra_arguments and those of the files its includes name. */
export function unitVarFiles(unit: SourceFile, context: DiskContext): Promise<UnitVarFiles> {
  let found = byUnit.get(unit);
  if (!found) byUnit.set(unit, (found = readUnitVarFiles(unit, context)));
  return found;
}

async function readUnitVarFiles(unit: SourceFile, context: DiskContext): Promise<UnitVarFiles> {
  const out: UnitVarFiles = { read: [], unread: [] };
  const dir = path.posix.dirname(unit.path);
  const configs: SourceFile[] = [unit];
  if (unit.text.includes('include'))
    for (const inc of terragruntIncludes(unit.text)) {
      // An include kmsfix cannot find: varSources.ts counts it as setting any variable already.
      const file = await includedFile(unit, inc.path, context);
      if (file) configs.push(file);
    }
  for (const config of configs) {
    const args = terragruntExtraArguments(config.text);
    const rel = path.posix.relative(dir, config.path) || path.posix.basename(config.path);
    if (args.vars.length) out.read.push({ where: config.path, what: 'the -var arguments of', names: args.vars });
    if (args.envVars.length)
      out.read.push({ where: config.path, what: 'the TF_VAR_ env_vars of the extra_arguments of', names: args.envVars });
    for (const u of args.unread) out.unread.push(`${u} in ${rel}, which kmsfix does not read`);
    for (const vf of args.varFiles) {
      const file = await varFileAt(vf.path, unit, context);
      // The evaluation is loaded only here (terragruntUnit.ts, which imports this file, is in every Terraform scan's
      // start: test/cli/startup.test.ts keeps evaluate.ts out of a one-file scan that needs none).
      if ('text' in file) out.read.push({ where: file.path, names: [...(await import('./evaluate.js')).tfvarsOf(file).keys()] });
      else if (!(vf.optional && file.missing)) out.unread.push(`the var-file ${written(vf.path)} (${vf.block} in ${rel}: ${file.why})`);
    }
  }
  return out;
}

/** The var-file a path names, resolved from the unit's folder; or why kmsfix cannot read it (`missing`: resolved, not there). */
async function varFileAt(p: Value, unit: SourceFile, context: DiskContext): Promise<SourceFile | { why: string; missing?: boolean }> {
  if (!isStr(p)) return { why: 'an expression kmsfix does not evaluate' };
  const dir = path.posix.dirname(unit.path);
  const m = /^\$\{\s*([^{}]*?)\s*\}(.*)$/s.exec(p.str);
  const rest = m ? m[2] : p.str;
  if (/[$%]\{/.test(rest) || (!m && path.posix.isAbsolute(rest))) return { why: 'a path kmsfix does not resolve' };
  let full = path.posix.normalize(path.posix.join(dir, rest));
  if (m) {
    const base = await pathFunction(m[1], unit, context);
    if (typeof base !== 'string') return { why: base.why };
    full = path.posix.normalize(path.posix.join(base, rest));
  }
  const relPath = path.posix.relative(dir, full);
  const name = path.posix.basename(relPath);
  const file = (await context.folderFiles(unit, path.posix.dirname(relPath), (n) => n === name))[0];
  return file ?? { why: `kmsfix cannot find ${full}`, missing: true };
}

const written = (p: Value) => (isStr(p) ? `"${p.str}"` : isExpr(p) ? p.expr : 'an expression');
