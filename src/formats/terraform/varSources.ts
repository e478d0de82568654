/**
 * Values a root module's variables get from outside what Terraform reads by itself (evaluate.ts
 * reads terraform.tfvars and *.auto.tfvars): the var-files passed with `-var-file` (`prod.tfvars`
 * beside the module, `env/prod.tfvars` in a conventional subfolder), and the `inputs` of a
 * `terragrunt.hcl` in the module's folder or a folder above it, and, for an atmos component (an
 * `atmos.yaml` in the module's folder or above), every variable: atmos sets them from its stack
 * manifests (a `<stack>-<component>.terraform.tfvars.json` it writes at run time). A table whose encryption reads such
 * a variable is deployed with a value kmsfix does not see (one per environment): its status is
 * unknown and it is never fixed (a fix would drop the key those files set). Read through the engine
 * (DiskContext), only for a table whose encryption reads a root module's variable.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { tfvarsOf } from './evaluate.js';
import { isTfvars } from './rootModule.js';
import { terragruntInputs } from './terragruntConfig.js';

/** Subfolders of a root module where per-environment var-files are kept (the engine lists no folder for a format: these are looked in). */
const VAR_FILE_FOLDERS = [
  'env',
  'envs',
  'environment',
  'environments',
  'vars',
  'tfvars',
  'var-files',
  'config',
  'configs',
  'stages',
  'deployments',
];

const isVarFile = (p: string) => /\.tfvars(\.json)?$/.test(p);

/** Who sets a variable from outside: the files, as the message names them, by kind. */
export interface OutsideSetters {
  varFiles: string[];
  terragrunt: string[];
  atmos: string[];
}

/** The entry of setters of every variable (an atmos component's). */
const EVERY = '*';

/** Each module folder's answer, per DiskContext (the files of a group share one): asked by each of its files. */
const byContext = new WeakMap<DiskContext, Map<string, Promise<Map<string, OutsideSetters>>>>();

/** The variables set from outside the module (name -> who sets it), read once per module folder. */
export function outsideAssignments(file: SourceFile, context: DiskContext): Promise<Map<string, OutsideSetters>> {
  let folders = byContext.get(context);
  if (!folders) byContext.set(context, (folders = new Map()));
  const dir = path.posix.dirname(file.path);
  let found = folders.get(dir);
  if (!found) folders.set(dir, (found = readOutsideAssignments(file, context)));
  return found;
}

async function readOutsideAssignments(file: SourceFile, context: DiskContext): Promise<Map<string, OutsideSetters>> {
  const out = new Map<string, OutsideSetters>();
  const dir = path.posix.dirname(file.path);
  const rel = (p: string) => path.posix.relative(dir, p) || path.posix.basename(p);
  const add = (name: string, kind: keyof OutsideSetters, where: string) => {
    let s = out.get(name);
    if (!s) out.set(name, (s = { varFiles: [], terragrunt: [], atmos: [] }));
    if (!s[kind].includes(where)) s[kind].push(where);
  };
  const varFiles = (await context.siblings()).filter((f) => isVarFile(f.path) && !isTfvars(path.posix.basename(f.path)));
  for (const sub of VAR_FILE_FOLDERS) varFiles.push(...((await context.folder(file, sub)) ?? []).filter((f) => isVarFile(f.path)));
  for (const f of varFiles) for (const name of tfvarsOf(f).keys()) add(name, 'varFiles', rel(f.path));
  // Every terragrunt.hcl from the module's folder up (a parent's inputs reach the folders that include it).
  const terragrunt: SourceFile[] = [];
  await context.projectFile(file, 'terragrunt.hcl', (f) => {
    terragrunt.push(f);
    return false;
  });
  for (const f of terragrunt) for (const name of terragruntNames(f.text)) add(name, 'terragrunt', rel(f.path));
  const atmos = await context.projectFile(file, 'atmos.yaml');
  if (atmos) add(EVERY, 'atmos', rel(atmos.path));
  return out;
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
  }
  return said.length ? said.join('; ') : undefined;
}
