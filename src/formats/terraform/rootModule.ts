/**
 * Terraform's signs of a root module (one run with `terraform apply`, not a module others call): a
 * provider configuration, a `terraform` block with a backend or cloud block, a lock file, a tfvars
 * file (one Terraform loads, or one passed with -var-file: only a root module takes either). Who owns a fix (inputs.ts) and which step a message gives (a provider block
 * to add, or one the callers must pass) depend on it.
 */
import path from 'node:path';
import type { SourceFile } from '../../core/types.js';
import { siblingBlocks, type TopBlock } from './topBlocks.js';

/** The tfvars files Terraform loads by itself for a root module (terraform.tfvars, *.auto.tfvars, and their JSON forms). */
export function isTfvars(name: string): boolean {
  return /^terraform\.tfvars(\.json)?$/.test(name) || /\.auto\.tfvars(\.json)?$/.test(name);
}

/**
 * A variable file in the folder: terraform.tfvars, *.auto.tfvars, and a named one passed with -var-file
 * (`prod.tfvars`, `dev.tfvars.json`), which Terraform takes only for a root module (real-world round 43, F2: a folder
 * whose only sign was `prod.tfvars` and `dev.tfvars` was read as a reusable module, "no ... tfvars", and prod.tfvars
 * was not read). entry.ts siblingFile hands every such file to the module's files.
 */
export const isVarFile = (name: string) => /\.tfvars(\.json)?$/.test(name);

const ROOT_SIGNS = /\b(provider|backend|cloud)\b/;

/** A provider configuration, or a `terraform` block with a backend or cloud block. */
const rootBlock = (t: TopBlock) =>
  t.type === 'provider' || (t.type === 'terraform' && /\b(backend|cloud)\s*("[^"]*"\s*)?\{|"(backend|cloud)"\s*:/.test(t.text));

/** Whether a file of the folder makes it a root module, per file object (each of a module's files asks it of all the others). */
const rootFiles = new WeakMap<SourceFile, boolean>();

async function isRootFile(f: SourceFile): Promise<boolean> {
  let v = rootFiles.get(f);
  if (v === undefined) {
    const name = path.posix.basename(f.path);
    v = name === '.terraform.lock.hcl' || isVarFile(name) || (ROOT_SIGNS.test(f.text) && (await siblingBlocks([f])).some(rootBlock));
    rootFiles.set(f, v);
  }
  return v;
}

/** Is the module of these blocks (`own`: those of the files at hand) and these other files of its folder a root module? */
export async function isRootModule(own: TopBlock[], siblings: SourceFile[]): Promise<boolean> {
  if (own.some(rootBlock)) return true;
  // Each of a module's files asks of all the others, several times: the answers kept are looked at
  // without an await each (an await per sibling was ~2% of a dense Terraform scan).
  // Indexed, as the other loops over a module's files: a for-of allocates a result object per step until V8
  // optimizes the loop, and these run for each file of the module, mostly before it does.
  for (let i = 0; i < siblings.length; i++) if (rootFiles.get(siblings[i]) ?? (await isRootFile(siblings[i]))) return true;
  return false;
}
