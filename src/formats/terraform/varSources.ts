/**
 * Values a root module's variables get from outside what Terraform reads by itself (evaluate.ts
 * reads terraform.tfvars and *.auto.tfvars): the var-files passed with `-var-file` (`prod.tfvars`
 * beside the module, `env/prod.tfvars` in a conventional subfolder), and the `inputs` of a
 * `terragrunt.hcl` in the module's folder or a folder above it, and, for an atmos component (an
 * `atmos.yaml` in the module's folder or above, or the Geodesic layout's: atmosConfig.ts), every variable: atmos sets them from its stack
 * manifests (a `<stack>-<component>.terraform.tfvars.json` it writes at run time). And, for any
 * module folder, the `inputs` of a terragrunt unit anywhere in the scanned trees whose
 * `terraform { source }` is that folder (`source = "../../../aws//dynamodb"`, or from a terragrunt path
 * function: terragruntPaths.ts), or may be (a source kmsfix cannot resolve whose path ends in the
 * folder's): terragrunt deploys the folder as a root module with them. A table whose encryption reads such a variable is deployed
 * with a value kmsfix does not see (one per environment): its status is unknown and it is never
 * fixed (a fix would drop the key those files set). Read through the engine (DiskContext), only for
 * a table whose encryption reads a module's variable.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { atmosConfig } from './atmosConfig.js';
import { TERRAGRUNT_UNIT_NAMES } from './entry.js';
import { tfvarsOf } from './evaluate.js';
import { isTfvars, isVarFile } from './rootModule.js';
import { terragruntIncludes, terragruntInputs } from './terragruntConfig.js';
import { deploysFolderOf, endsIn, includedFile, terragruntUnits, unitTarget } from './terragruntPaths.js';
import { unitVarFiles } from './terragruntVarFiles.js';

/**
 * Folders where per-environment var-files are kept: a subfolder of the root module of one of these names, or
 * (real-world round 38, F2) one beside the module's folder (`infra/environments/` next to `infra/terraform/`, the
 * workflow running `-var-file=../environments/prod.tfvars`), or a folder named for one environment (ENV_FOLDER). Each
 * folder is read with the folders per environment in it (`inventories/prod/terraform.tfvars`).
 */
const VAR_FILE_FOLDERS = new Set([
  'env',
  'envs',
  '.env',
  'environment',
  'environments',
  'vars',
  'variables',
  'tfvars',
  'var-files',
  'config',
  'configs',
  'stages',
  'deployments',
  'workspaces',
  'inventories',
]);

/** A folder named for one environment: `env-dev`, `env_prod`, `environment-staging`, `stage-prod`. */
const ENV_FOLDER = /^(envs?|environments?|stages?)[-_]\w/;

const isModuleFile = (f: SourceFile) => /\.tf(\.json)?$/.test(f.path);

/** Who sets a variable from outside: the files, as the message names them, by kind. */
export interface OutsideSetters {
  varFiles: string[];
  /** What each var-file sets the variable to (its expression as written), in varFiles' order. */
  values: { where: string; expr: string }[];
  terragrunt: string[];
  atmos: string[];
  /** terragrunt units that deploy the module folder (their terragrunt.hcl). */
  units: string[];
  /**
   * terragrunt units whose source kmsfix cannot resolve and whose path ends in the module folder's
   * (`${local.root}/modules/dynamodb`): each terragrunt.hcl with its source and why.
   */
  maybeUnits: string[];
  /**
   * terragrunt units with no source of their own, one of whose includes kmsfix cannot read (which may set any
   * source): each terragrunt.hcl with the include and why.
   */
  anyUnits: string[];
  /**
   * Var-files (and `-var` arguments) of a terragrunt unit's extra_arguments that set the variable (terragruntVarFiles.ts):
   * each var-file and the unit, as the message names them. At EVERY: each one kmsfix cannot read, and why.
   */
  unitVarFiles: string[];
}

/** The entry of setters of every variable (an atmos component's; a unit whose included inputs kmsfix cannot read). */
const EVERY = '*';

/** Each module folder's answer, per DiskContext.folderAnswers (a scan's), else per DiskContext (the files of a group share one): asked by each of its files. */
const byContext = new WeakMap<object, Map<string, Promise<Map<string, OutsideSetters>>>>();

/**
 * The variables set from outside the module (name -> who sets it), read once per module folder.
 * `unitsOnly`: a module that is not a root module, whose variables only the terragrunt units that
 * deploy its folder set (a var-file, a terragrunt.hcl above it or atmos set a root module's).
 */
export function outsideAssignments(file: SourceFile, context: DiskContext, unitsOnly = false): Promise<Map<string, OutsideSetters>> {
  const owner = context.folderAnswers ?? context;
  let folders = byContext.get(owner);
  if (!folders) byContext.set(owner, (folders = new Map()));
  const dir = path.posix.dirname(file.path);
  const key = unitsOnly ? `${dir}\0units` : dir;
  let found = folders.get(key);
  if (!found) folders.set(key, (found = readOutsideAssignments(file, context, unitsOnly)));
  return found;
}

async function readOutsideAssignments(file: SourceFile, context: DiskContext, unitsOnly: boolean): Promise<Map<string, OutsideSetters>> {
  const out = new Map<string, OutsideSetters>();
  const dir = path.posix.dirname(file.path);
  const rel = (p: string) => path.posix.relative(dir, p) || path.posix.basename(p);
  const add = (name: string, kind: Exclude<keyof OutsideSetters, 'values'>, where: string, expr?: string) => {
    let s = out.get(name);
    if (!s)
      out.set(
        name,
        (s = { varFiles: [], values: [], terragrunt: [], atmos: [], units: [], maybeUnits: [], anyUnits: [], unitVarFiles: [] }),
      );
    if (!s[kind].includes(where)) s[kind].push(where);
    if (expr !== undefined) s.values.push({ where, expr });
  };
  const terragrunt: SourceFile[] = [];
  if (!unitsOnly) await rootSetters(file, context, add, rel, terragrunt);
  const folder = path.posix.normalize(dir);
  // Compared by real path too (terragruntPaths.ts deploysFolderOf; before session 55's F2, a unit reaching the folder
  // through a symbolic link was missed, its module's default key read, and a fix replaced the key the unit passes).
  const same = await deploysFolderOf(file, context);
  const units = await terragruntUnits(context);
  for (const unit of units) {
    if (terragrunt.some((f) => f.path === unit.path)) continue;
    const target = await unitTarget(unit, context);
    if (target?.kind === 'folder' && (await same(unit, target.folder))) {
      for (const name of await unitInputNames(unit, context)) add(name, 'units', rel(unit.path));
      await addVarFiles(unit, context, add, rel);
    }
    // A unit that may deploy the folder: the variables its var-files set count as its inputs do.
    if (target?.kind === 'unresolved' && endsIn(folder, target.tail)) {
      const where = `${rel(unit.path)} (source = "${target.source}": ${target.why})`;
      for (const name of [...(await unitInputNames(unit, context)), ...(await varFileNames(unit, context))]) add(name, 'maybeUnits', where);
    }
    if (target?.kind === 'unread-include') {
      const where = `${rel(unit.path)} (${target.include}: ${target.why})`;
      for (const name of [...(await unitInputNames(unit, context)), ...(await varFileNames(unit, context))]) add(name, 'anyUnits', where);
    }
  }
  return out;
}

/** A root module's setters: var-files, terragrunt.hcl inputs from its folder up (collected in `terragrunt`), atmos. */
async function rootSetters(
  file: SourceFile,
  context: DiskContext,
  add: (name: string, kind: Exclude<keyof OutsideSetters, 'values'>, where: string, expr?: string) => void,
  rel: (p: string) => string,
  terragrunt: SourceFile[],
): Promise<void> {
  const varFiles = (await context.siblings()).filter((f) => isVarFile(f.path) && !isTfvars(path.posix.basename(f.path)));
  // The folders of the module's folder and of the one above, each listed once (a listing cached for the run), looked
  // into only where a name says var-files: a folder beside the module that holds a module of its own (`*.tf`) is that
  // module's, as is a subfolder named for an environment that does (`env-dev/main.tf`: a root module per environment).
  const own = path.posix.basename(path.posix.dirname(file.path));
  for (const [base, prefix] of [
    ['.', ''],
    ['..', '../'],
  ] as const) {
    for (const sub of await context.subfolders(file, base)) {
      const name = sub.toLowerCase();
      if (!VAR_FILE_FOLDERS.has(name) && !ENV_FOLDER.test(name)) continue;
      if (base === '..' && sub === own) continue;
      const rel = prefix + sub;
      const files = await context.folder(file, rel);
      if (!files) continue;
      if ((base === '..' || !VAR_FILE_FOLDERS.has(name)) && files.some(isModuleFile)) continue;
      varFiles.push(...files.filter((f) => isVarFile(f.path)));
      // A folder per environment in it (`environments/dev/terraform.tfvars`, `envs/prod/prod.tfvars`); not one
      // holding a module of its own (its var-files are that module's).
      for (const env of await context.subfolders(file, rel)) {
        const inEnv = (await context.folder(file, `${rel}/${env}`)) ?? [];
        if (!inEnv.some(isModuleFile)) varFiles.push(...inEnv.filter((f) => isVarFile(f.path)));
      }
    }
  }
  for (const f of varFiles) for (const [name, v] of tfvarsOf(f)) add(name, 'varFiles', rel(f.path), v.expr);
  // Every terragrunt.hcl from the module's folder up (a parent's inputs reach the folders that include it).
  for (const name of TERRAGRUNT_UNIT_NAMES)
    await context.projectFile(file, name, (f) => {
      terragrunt.push(f);
      return false;
    });
  for (const f of terragrunt) for (const name of terragruntNames(f.text)) add(name, 'terragrunt', rel(f.path));
  for (const f of terragrunt) await addVarFiles(f, context, add, rel);
  const atmos = await atmosConfig(file, context);
  if (atmos) add(EVERY, 'atmos', rel(atmos.path));
}

/** The variables a unit's extra_arguments var-files set (terragruntVarFiles.ts), as `unitVarFiles`; any, for one kmsfix cannot read. */
async function addVarFiles(
  unit: SourceFile,
  context: DiskContext,
  add: (name: string, kind: Exclude<keyof OutsideSetters, 'values'>, where: string, expr?: string) => void,
  rel: (p: string) => string,
): Promise<void> {
  if (!unit.text.includes('extra_arguments') && !unit.text.includes('include')) return;
  const found = await unitVarFiles(unit, context);
  for (const r of found.read)
    for (const name of r.names)
      add(
        name,
        'unitVarFiles',
        r.what
          ? `${r.what} ${r.where === unit.path ? `the terragrunt unit ${rel(unit.path)}` : `${rel(r.where)}, included by the terragrunt unit ${rel(unit.path)}`}`
          : `${rel(r.where)} (a var-file the terragrunt unit ${rel(unit.path)} passes in extra_arguments)`,
      );
  for (const u of found.unread) add(EVERY, 'unitVarFiles', `${u}, passed by the terragrunt unit ${rel(unit.path)}`);
}

/** The names a unit's var-files set; EVERY for one kmsfix cannot read. */
async function varFileNames(unit: SourceFile, context: DiskContext): Promise<string[]> {
  if (!unit.text.includes('extra_arguments') && !unit.text.includes('include')) return [];
  const found = await unitVarFiles(unit, context);
  return [...found.read.flatMap((r) => r.names), ...(found.unread.length ? [EVERY] : [])];
}

/**
 * The names a unit's inputs set: its own, and those of the files its `include` blocks name when
 * kmsfix finds them as terragrunt does (`find_in_parent_folders(...)`); an include it cannot find
 * may set any of them (EVERY).
 */
async function unitInputNames(unit: SourceFile, context: DiskContext): Promise<string[]> {
  const names = terragruntNames(unit.text);
  for (const inc of terragruntIncludes(unit.text)) {
    const found = await includedFile(unit, inc.path, context);
    names.push(...(found ? terragruntNames(found.text) : [EVERY]));
  }
  return names;
}

/**
 * The names a terragrunt.hcl's `inputs` sets: the keys of its object; when it is not an object
 * kmsfix reads (`merge(local.common, {...})`), every word of the file, since any may be one.
 */
function terragruntNames(text: string): string[] {
  const inputs = terragruntInputs(text);
  if (inputs.kind === 'none') return [];
  if (inputs.kind === 'object') return [...inputs.inputs.keys()];
  return [...new Set(text.match(/[A-Za-z_][\w-]*/g) ?? [])];
}

/** Why a setting that reads `vars` is not known before plan, when one of them is set from outside; undefined when none is. */
export function setOutside(vars: string[], outside: Map<string, OutsideSetters>): string | undefined {
  const said: string[] = [];
  for (const v of vars) {
    const s = outside.get(v);
    if (s?.varFiles.length) said.push(`${v} is set per environment by ${s.varFiles.join(', ')} (-var-file)`);
    const inputs = (s?.terragrunt ?? []).map((p) => (p === 'terragrunt.hcl' ? 'terragrunt.hcl inputs' : `the inputs of ${p}`));
    if (inputs.length) said.push(`${v} is set by ${inputs.join(', ')}`);
    const atmos = outside.get(EVERY)?.atmos ?? [];
    if (atmos.length)
      said.push(`${v} is set per stack by atmos (${atmos.join(', ')}: a component's variables come from its stack manifests)`);
    const units = s?.units ?? [];
    const unread = (outside.get(EVERY)?.units ?? []).filter((u) => !units.includes(u));
    if (units.length) said.push(`${v} is set by the inputs of the terragrunt ${units.length === 1 ? 'unit' : 'units'} ${units.join(', ')}`);
    if (unread.length)
      said.push(`${v} may be set by the inputs a terragrunt unit includes from a file kmsfix cannot find (${unread.join(', ')})`);
    const maybe = [...new Set([...(s?.maybeUnits ?? []), ...(outside.get(EVERY)?.maybeUnits ?? [])])];
    if (maybe.length)
      said.push(
        `${v} may be set by the inputs of the terragrunt ${maybe.length === 1 ? 'unit' : 'units'} ${maybe.join(', ')}, ` +
          `whose source ends in this folder's path but which kmsfix cannot resolve to a folder (if it deploys this one, a key written here would replace the one it passes)`,
      );
    const files = s?.unitVarFiles ?? [];
    if (files.length) said.push(`${v} is set by ${files.join(', ')}`);
    const unreadFiles = (outside.get(EVERY)?.unitVarFiles ?? []).filter((u) => !files.includes(u));
    if (unreadFiles.length) said.push(`${v} may be set by ${unreadFiles.join('; ')}`);
    const any = [...new Set([...(s?.anyUnits ?? []), ...(outside.get(EVERY)?.anyUnits ?? [])])];
    if (any.length)
      said.push(
        `${v} may be set by the inputs of the terragrunt ${any.length === 1 ? 'unit' : 'units'} ${any.join(', ')}, ` +
          `which ${any.length === 1 ? 'has' : 'have'} no terraform source of ${any.length === 1 ? 'its' : 'their'} own and take one from an include kmsfix cannot read ` +
          '(if it deploys this folder, a key written here would replace the one it passes)',
      );
  }
  return said.length ? said.join('; ') : undefined;
}

/**
 * A key written as one variable (`kms_key_arn = var.kms_key_arn`) that no default or tfvars decides (none, or a
 * reference), set per environment by var-files alone: what they set. The AWS managed key (`""`, null, its alias or ARN)
 * in every one: that key; in some: the files that set it; in none (each a key): undefined, as is a value kmsfix does not
 * read, or a variable terragrunt or atmos set.
 */
export function keyFromVarFiles(v: string, outside: Map<string, OutsideSetters>): { all: boolean; files: string[] } | undefined {
  const values = varFileValues(v, outside);
  if (!values) return undefined;
  const managed: string[] = [];
  for (const { where, expr } of values) {
    const e = expr.trim();
    const str = /^"((?:[^"\\$%]|\\.)*)"$/.exec(e)?.[1];
    if (e === 'null' || (str !== undefined && isAwsManagedKeyRef(str))) managed.push(where);
    else if (str === undefined) return undefined;
  }
  return managed.length === 0 ? undefined : { all: managed.length === values.length, files: managed };
}

/**
 * What the var-files set a variable to, where var-files alone set it (each read: no terragrunt, atmos or unit sets it, and
 * none may); undefined otherwise.
 */
export function varFileValues(v: string, outside: Map<string, OutsideSetters>): { where: string; expr: string }[] | undefined {
  const s = outside.get(v);
  if (
    !s ||
    s.values.length === 0 ||
    s.terragrunt.length + s.atmos.length + s.units.length + s.maybeUnits.length + s.anyUnits.length + s.unitVarFiles.length > 0 ||
    outside.get(EVERY)
  )
    return undefined;
  return s.values;
}
