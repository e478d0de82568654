/**
 * Where a terragrunt unit's paths lead, as terragrunt resolves them (its config_helpers.go): the file
 * an `include` names, and the folder a local `terraform { source }` deploys. One reader for
 * varSources.ts (a module folder a unit deploys gets the variables its inputs set) and
 * terragruntUnit.ts (a registry module unit's included inputs).
 *
 * A unit's local source is often written with terragrunt's path functions rather than as a relative
 * path: `${dirname(find_in_parent_folders())}/modules/dynamodb`, `${get_repo_root()}/modules/...`,
 * `${get_parent_terragrunt_dir()}/modules/...`. Before, only a relative path and `${get_terragrunt_dir()}`
 * were read, and a module folder deployed through the others looked undeployed: with a root-module sign
 * (the `backend "s3" {}` terragrunt's `remote_state` needs) its variables' defaults were read as the
 * table's values, and a fix replaced the key every unit passes (round 37, R5). Each function is
 * resolved as terragrunt does; a source that starts with one kmsfix cannot resolve here (`${local.x}`,
 * a parent file not found, no git work tree) is `unresolved`, with the literal path after it: a module
 * folder whose path ends so may be the one it deploys, and is never read as undeployed.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { TERRAGRUNT_UNIT_NAMES } from './entry.js';
import { isExpr, isStr, type Value } from './hclvalue.js';
import { hasTerraformSource, parentFolderName, terraformSource, terragruntIncludes, terragruntLocals } from './terragruntConfig.js';
import { unitDeploys } from './terragruntSkip.js';

/**
 * The folder a unit's source deploys (a display path, normalized: `modules/dynamodb`), or a source
 * kmsfix cannot resolve: the path written after its first interpolation (`modules/dynamodb`), and why.
 */
export type UnitTarget =
  | { kind: 'folder'; folder: string }
  | { kind: 'unresolved'; tail: string; source: string; why: string }
  /**
   * A unit with no source of its own, one of whose includes kmsfix cannot read (`include` and why): the source
   * terragrunt merges in from there may be any folder.
   */
  | { kind: 'unread-include'; include: string; why: string };

/**
 * The file an include's `path` names, found as terragrunt finds it: `find_in_parent_folders("root.hcl")`
 * (`find_in_parent_folders()`: terragrunt.hcl), the nearest file of that name in a folder above the
 * unit's. Undefined for any other path, or a file not found.
 */
export async function includedFile(
  unit: SourceFile,
  includePath: Value | undefined,
  context: DiskContext,
): Promise<SourceFile | undefined> {
  const name = parentFolderName(includePath);
  const dir = path.posix.dirname(unit.path);
  return name ? context.projectFile(unit, name, (f) => path.posix.dirname(f.path) !== dir) : undefined;
}

/** Each unit's target, per file object (a thread's files: the disk it reads is the same for every ask). */
const targets = new WeakMap<SourceFile, Promise<UnitTarget | undefined>>();

/**
 * The folder a unit's local `terraform { source }` deploys: a relative path (`../../modules//dynamodb`,
 * `//` marking the module's subfolder of the copied tree), or one that starts with a terragrunt path
 * function (see PATH_FUNCTIONS). Undefined for a source that is not local (a registry, git or HTTP
 * address), an expression (`source = local.source`), or none.
 */
export function unitTarget(unit: SourceFile, context: DiskContext): Promise<UnitTarget | undefined> {
  let t = targets.get(unit);
  if (!t) targets.set(unit, (t = readTarget(unit, context)));
  return t;
}

async function readTarget(unit: SourceFile, context: DiskContext): Promise<UnitTarget | undefined> {
  const source = unit.text.includes('source') ? terraformSource(unit.text) : undefined;
  if (source !== undefined) return sourceTarget(source, unit, context);
  // A source written as an expression (`source = local.source`) is not followed (docs/limitations.md).
  return hasTerraformSource(unit.text) ? undefined : includedSource(unit, context);
}

/**
 * The source a unit with none of its own takes from the files its `include` blocks name, as terragrunt merges
 * them (terragrunt-infrastructure-live-example's layout: `include "envcommon" { path =
 * "${get_repo_root()}/_envcommon/dynamodb.hcl" }`, whose `terraform { source = ... }` the unit deploys). Before,
 * such a unit counted for no folder: its module's default key was read and a fix replaced the key the unit
 * passes (session 55, F1). The included file's source is resolved as the unit's own would be (terragrunt
 * evaluates an included configuration in the unit's context); an include kmsfix cannot read may carry any
 * source (`unread-include`), and so may one whose source is an expression.
 */
async function includedSource(unit: SourceFile, context: DiskContext): Promise<UnitTarget | undefined> {
  let found: UnitTarget | undefined;
  for (const inc of terragruntIncludes(unit.text)) {
    const label = inc.label ? `include "${inc.label}"` : 'include';
    const file = await includeAt(unit, inc.path, context);
    if (!('text' in file)) return { kind: 'unread-include', include: label, why: file.why };
    const source = terraformSource(file.text);
    const where = path.posix.relative(path.posix.dirname(unit.path), file.path);
    if (source === undefined && hasTerraformSource(file.text))
      return { kind: 'unread-include', include: label, why: `the terraform source of ${where} is an expression kmsfix does not evaluate` };
    // Terragrunt merges the includes in order: the last one's source is the unit's.
    if (source !== undefined) found = await sourceTarget(source, unit, context);
  }
  return found;
}

/**
 * The `terraform { source }` a unit with none of its own takes from the files it includes, as written (the last
 * include's, as terragrunt merges them), with the include's label; undefined when none sets one kmsfix reads.
 * terragruntUnit.ts: a unit deploying a registry module named there.
 */
export async function includedSourceText(unit: SourceFile, context: DiskContext): Promise<{ source: string; include: string } | undefined> {
  let found: { source: string; include: string } | undefined;
  for (const inc of terragruntIncludes(unit.text)) {
    const file = await includeAt(unit, inc.path, context);
    const source = 'text' in file ? terraformSource(file.text) : undefined;
    if (source !== undefined) found = { source, include: inc.label ? `include "${inc.label}"` : 'include' };
  }
  return found;
}

/**
 * The file an include's `path` names: `find_in_parent_folders(...)` (includedFile), or a path from the unit's
 * folder, literal or after one of terragrunt's path functions (`"${get_repo_root()}/_envcommon/dynamodb.hcl"`,
 * `"${get_terragrunt_dir()}/../common.hcl"`); or why kmsfix cannot read it.
 */
export async function includeAt(
  unit: SourceFile,
  includePath: Value | undefined,
  context: DiskContext,
): Promise<SourceFile | { why: string }> {
  if (includePath === undefined) return { why: 'its path is not set' };
  // `"${find_in_parent_folders("root.hcl")}"` is the call written alone.
  const sole = isStr(includePath) ? /^\$\{\s*([^{}]*?)\s*\}$/.exec(includePath.str)?.[1] : undefined;
  const asExpr: Value = sole !== undefined ? { expr: sole } : includePath;
  const name = parentFolderName(asExpr);
  if (name) return (await includedFile(unit, asExpr, context)) ?? { why: `no ${name} in a folder above the unit` };
  const dir = path.posix.dirname(unit.path);
  let full: string | undefined;
  if (isStr(includePath)) {
    const m = /^\$\{\s*([^{}]*?)\s*\}(.*)$/s.exec(includePath.str);
    const rest = m ? literalPath(m[2]) : /[$%]\{/.test(includePath.str) ? undefined : includePath.str;
    if (m && rest !== undefined) {
      const base = await pathFunction(m[1], unit, context);
      if (typeof base !== 'string') return { why: base.why };
      full = path.posix.normalize(path.posix.join(base, rest));
    } else if (!m && rest !== undefined && !path.posix.isAbsolute(rest)) full = path.posix.normalize(path.posix.join(dir, rest));
  }
  const shown = isStr(includePath) ? `"${includePath.str}"` : isExpr(includePath) ? includePath.expr : 'an expression';
  if (full === undefined) return { why: `kmsfix does not evaluate its path = ${shown}` };
  const rel = path.posix.relative(dir, full);
  const base = path.posix.basename(rel);
  const file = (await context.folderFiles(unit, path.posix.dirname(rel), (n) => n === base))[0];
  return file ?? { why: `kmsfix cannot find ${full} (path = ${shown})` };
}

/** The target of a source as written in the unit or a file it includes: resolved from the unit's folder. */
async function sourceTarget(source: string, unit: SourceFile, context: DiskContext, depth = 0): Promise<UnitTarget | undefined> {
  const dir = path.posix.dirname(unit.path);
  if (/^\.\.?(\/|$)/.test(source)) return literalPath(source) === undefined ? undefined : folderAt(dir, source);
  const m = /^\$\{\s*([^{}]*?)\s*\}(.*)$/s.exec(source);
  const rest = m ? literalPath(m[2]) : undefined;
  // Not a local source (`git::...${local.ref}`, `tfr:///...`), or a path with more interpolations than the first.
  if (!m || rest === undefined) return undefined;
  // `${include.root.locals.module_dir}/dynamodb-table`: the include's local put in place (round 47, F2).
  const local = depth === 0 ? await includeLocal(m[1], unit, context) : undefined;
  if (local !== undefined) return sourceTarget(`${local}${m[2]}`, unit, context, depth + 1);
  const base = await pathFunction(m[1], unit, context);
  if (typeof base === 'string') return folderAt(base, rest);
  const tail = path.posix
    .normalize(`/${rest}`)
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  // The path after the last `..`: what the folder's own path must end in.
  const last = tail.lastIndexOf('..');
  const named = tail.slice(last + 1).join('/');
  return named === '' ? undefined : { kind: 'unresolved', tail: named, source, why: base.why };
}

/**
 * A source's first part read from the locals of a file the unit includes, as terragrunt exposes them (`include "root" {
 * expose = true }`, `${include.root.locals.module_dir}`): ziggy6792/terragrunt-cdktf's `module_dir =
 * "${local.root_dir}/tgr/modules"` with `root_dir = get_repo_root()`. A local written as a path function call, a
 * string whose interpolations are the file's other such locals, or one of them: the text it stands for
 * (`${get_repo_root()}/tgr/modules`), which the unit's context resolves as terragrunt evaluates an included file.
 * Undefined for any other first part or value (it stays unresolved). Before, such a source was unresolved and the
 * units deploying the folder went unnamed (real-world round 47, F2).
 */
async function includeLocal(first: string, unit: SourceFile, context: DiskContext): Promise<string | undefined> {
  const m = /^include\.([A-Za-z_][\w-]*)\.locals\.([A-Za-z_][\w-]*)$/.exec(first.trim());
  const inc = m ? terragruntIncludes(unit.text).find((i) => i.label === m[1]) : undefined;
  const file = inc ? await includeAt(unit, inc.path, context) : undefined;
  if (!m || !file || !('text' in file)) return undefined;
  const locals = terragruntLocals(file.text);
  const text = (name: string, depth: number): string | undefined => {
    const v = locals.get(name);
    if (depth <= 0 || v === undefined) return undefined;
    if (isExpr(v)) {
      const e = v.expr.trim();
      const other = /^local\.([A-Za-z_][\w-]*)$/.exec(e);
      if (other) return text(other[1], depth - 1);
      return /^[a-z_]+\([^{}]*\)$/.test(e) ? `\${${e}}` : undefined;
    }
    if (!isStr(v)) return undefined;
    let read = true;
    const out = v.str.replace(/\$\{\s*local\.([A-Za-z_][\w-]*)\s*\}/g, (_, n: string) => {
      const t = text(n, depth - 1);
      if (t === undefined) read = false;
      return t ?? '';
    });
    return read ? out : undefined;
  };
  return text(m[2], 8);
}

/** A local path as written after a source's first part: no interpolation, query or fragment (undefined then). */
function literalPath(s: string): string | undefined {
  return /[$%]\{|[?#]/.test(s) || (s !== '' && !s.startsWith('/') && !/^\.\.?(\/|$)/.test(s)) ? undefined : s;
}

const folderAt = (base: string, rel: string): UnitTarget => ({
  kind: 'folder',
  folder: path.posix.normalize(path.posix.join(base, rel.replace(/\/\/+/g, '/'))).replace(/\/$/, '') || '.',
});

/**
 * A terragrunt path function, as the first part of a unit's source: the folder it gives (a display path),
 * or why kmsfix cannot tell. In the unit's own configuration (terragrunt's config_helpers.go):
 * - `get_terragrunt_dir()`, `get_original_terragrunt_dir()`: the unit's folder;
 * - `get_repo_root()`, `get_path_to_repo_root()`: the root of the git work tree holding the unit (the
 *   second relative to the unit's folder, which terragrunt runs in: the same folder);
 * - `get_parent_terragrunt_dir()`, `path_relative_from_include()` (optionally with an include's label):
 *   the folder of the included configuration (the second relative to the unit's folder: the same folder);
 *   without a label, of the unit's one include;
 * - `find_in_parent_folders("name")`: the nearest file or folder of that name in a folder above the
 *   unit's (terragrunt starts at the parent folder; a folder counts, as its FileExists says);
 *   `dirname(find_in_parent_folders(...))` the folder holding it; with no argument the name is
 *   terragrunt.hcl (or terragrunt.hcl.json), never root.hcl: terragrunt deprecated that form (its
 *   `root-terragrunt-hcl` strict control) but did not change what it finds.
 */
export async function pathFunction(call: string, unit: SourceFile, context: DiskContext): Promise<string | { why: string }> {
  const dir = path.posix.dirname(unit.path);
  if (/^get_(?:original_)?terragrunt_dir\(\s*\)$/.test(call)) return dir;
  if (/^get_(?:repo_root|path_to_repo_root)\(\s*\)$/.test(call)) {
    // The folder with `.git` in it (a folder; a file in a linked work tree or a submodule).
    const git = await nearestEntry(unit, ['.git'], 0, context);
    return git === undefined ? { why: 'no git work tree holds the unit' } : path.posix.dirname(git);
  }
  const parent = /^(?:get_parent_terragrunt_dir|path_relative_from_include)\(\s*(?:"([^"$%\\]*)"\s*)?\)$/.exec(call);
  if (parent) {
    const includes = terragruntIncludes(unit.text);
    const inc = parent[1] === undefined ? (includes.length === 1 ? includes[0] : undefined) : includes.find((i) => i.label === parent[1]);
    const file = inc ? await includedFile(unit, inc.path, context) : undefined;
    if (file) return path.posix.dirname(file.path);
    return { why: inc ? 'kmsfix cannot find the file its include names' : `the unit has ${includes.length} include blocks` };
  }
  const find = /^(dirname\(\s*)?find_in_parent_folders\(\s*(?:"([^"$%\\/]+)"\s*)?\)(\s*\))?$/.exec(call);
  if (find && !!find[1] === !!find[3] && (find[2] !== undefined || find[1])) {
    const names = find[2] !== undefined ? [find[2]] : ['terragrunt.hcl', 'terragrunt.hcl.json'];
    const found = await nearestEntry(unit, names, 1, context);
    if (found === undefined) return { why: `no ${names[0]} in a folder above the unit` };
    return find[1] ? path.posix.dirname(found) : found;
  }
  return { why: `kmsfix does not evaluate \${${call}} there` };
}

/**
 * The nearest file or folder named one of `names` in the unit's folder `from` levels up or a folder above
 * it, up to the file system's root, as a display path. Read through the engine's listings (cached per run).
 */
async function nearestEntry(unit: SourceFile, names: string[], from: number, context: DiskContext): Promise<string | undefined> {
  const depth = unit.absPath.split(/[\\/]/).filter(Boolean).length;
  for (let up = from; up <= depth; up++) {
    const rel = up === 0 ? '.' : Array(up).fill('..').join('/');
    const folders = await context.subfolders(unit, rel);
    const files = await context.folderFiles(unit, rel, (n) => names.includes(n));
    const name = names.find((n) => folders.includes(n) || files.some((f) => path.posix.basename(f.path) === n));
    if (name) return path.posix.normalize(path.posix.join(path.posix.dirname(unit.path), rel, name));
  }
  return undefined;
}

/** Does a module folder (a display path) end in an unresolved source's path (`modules/dynamodb`)? */
export function endsIn(folder: string, tail: string): boolean {
  const f = path.posix.normalize(folder);
  return f === tail || f.endsWith(`/${tail}`);
}

/**
 * Every terragrunt unit of the scanned trees, in either of terragrunt's forms (`terragrunt.hcl.json`: session 55, F6),
 * but those terragrunt does not deploy (`skip = true`, an `exclude` of apply: terragruntSkip.ts; session 56, F4).
 */
export async function terragruntUnits(context: DiskContext): Promise<SourceFile[]> {
  return (await Promise.all(TERRAGRUNT_UNIT_NAMES.map((n) => context.treeFiles(n))))
    .flat()
    .filter((u) => unitDeploys(u.text).kind !== 'no');
}

/**
 * Whether a unit whose source resolves to the folder `target` deploys the folder of `file` (a module's file): as
 * written, or by real path (a unit reaching it through a symbolic link, `live/modules -> ../modules`, `source =
 * "../../modules//dynamodb"`: session 55, F2). The real path is asked only of a unit whose target is not the folder as
 * written. One rule for the readers of a module's units (varSources.ts, their inputs; deployingUnits.ts, the report's).
 */
export async function deploysFolderOf(
  file: SourceFile,
  context: DiskContext,
): Promise<(unit: SourceFile, target: string) => Promise<boolean>> {
  const folder = path.posix.normalize(path.posix.dirname(file.path));
  const real = context.realFolder ? await context.realFolder(file, '.') : undefined;
  return async (unit, target) =>
    target === folder ||
    (real !== undefined && (await context.realFolder?.(unit, path.posix.relative(path.posix.dirname(unit.path), target))) === real);
}

/**
 * Whether a unit deploys its own folder: its source resolves to it (`source = "."`), or it has none, of its own or
 * from an include (terragrunt then runs Terraform in the unit's folder: its `.tf` files are the module, and the unit's
 * generate blocks write there). Since session 63, adversarial pass 2 F3: before, only a unit whose source names a
 * module folder counted, and a fix declared again the data sources such a unit's generated provider.tf declares
 * (`terraform init`: "Duplicate data ... configuration"). A source kmsfix does not read (an expression, a remote
 * address, an include it cannot read) is not this folder.
 */
export async function deploysOwnFolder(unit: SourceFile, context: DiskContext): Promise<boolean> {
  const own = path.posix.normalize(path.posix.dirname(unit.path));
  const target = await unitTarget(unit, context);
  if (target?.kind === 'folder') return path.posix.normalize(target.folder) === own;
  if (target !== undefined || hasTerraformSource(unit.text)) return false;
  return (await includedSourceText(unit, context)) === undefined;
}
