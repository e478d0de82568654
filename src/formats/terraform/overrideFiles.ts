/**
 * Override files by name (`override.tf`, `*_override.tf`, and their `.tf.json`, `.tofu`): Terraform loads a module's
 * primary files first, then merges each override file into them in lexicographic order of its name, so a later
 * override wins (https://developer.hashicorp.com/terraform/language/files/override). What it merges into tables is
 * read in overrides.ts; into `locals` and `variable` blocks, in evaluate.ts's moduleEnv.
 */
import path from 'node:path';

/** Is this a Terraform override file, by its name? */
export function isOverrideFile(file: string): boolean {
  return /^(override|.+_override)\.(tf|tofu)(\.json)?$/.test(path.basename(file));
}

/** The files in the order Terraform merges them: the primary ones as given, then the override files by name. */
export function mergeOrder<T extends { path: string }>(files: T[]): T[] {
  const overrides = files.filter((f) => isOverrideFile(f.path));
  if (overrides.length === 0) return files;
  const name = (f: T) => path.basename(f.path);
  overrides.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return [...files.filter((f) => !isOverrideFile(f.path)), ...overrides];
}
