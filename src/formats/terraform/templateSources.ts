/**
 * A module call's local `source` written as a template (`source = "../modules/${var.flavor}"`). OpenTofu 1.8+ evaluates
 * the variables and locals of a `source` early, before the plan, so the call names one folder; Terraform rejects such a
 * source ("Variables not allowed"), and a configuration with one does not plan. kmsfix reads it as OpenTofu does, in
 * `.tofu` and `.tf` files alike (OpenTofu reads both; the code does not say which tool runs a `.tf` file):
 * - the call (callSource.ts): its source evaluated with the module's values (defaults, tfvars, locals); a source that reads a
 *   value kmsfix cannot see (a variable a var-file, terragrunt or the module's callers set) is not followed: a note says so;
 * - the folders it may name (callers.ts): each folder matching the template's literal parts (`../modules/*`) is a called
 *   module, not a root module, whatever the values say (a value set elsewhere may name any of them): its tables follow
 *   the rules of a module others call.
 * A `.tf.json` or `.tofu.json` source is not read as a template (kmsfix reads JSON strings as literals there).
 */
import { escapeRegExp } from '../../core/text.js';

/** A module source naming a folder of this repository (`./x`, `../x`). */
const LOCAL = /^\.\.?(\/|$)/;
const INTERPOLATION = /\$\{[^}]*\}/g;

/** The text of a local source written as a template (`../modules/${var.flavor}`), from the attribute's expression; else undefined. */
export function templateSource(expr: string | undefined): string | undefined {
  const text = /^\s*"((?:[^"\\$]|\\.|\$(?!\{)|\$\{[^}"]*\})*)"\s*$/.exec(expr ?? '')?.[1];
  return text?.includes('${') && LOCAL.test(text) ? text : undefined;
}

/** Whether a template source (templateSource) may name the folder `rel` (from the caller's folder, `/`-separated): its literal parts, anything for each interpolation. */
export function mayName(template: string, rel: string): boolean {
  const trim = (p: string) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const target = trim(rel);
  if (target === '' || target === '.') return false;
  const parts = trim(template).split(INTERPOLATION);
  const pattern = parts.map(escapeRegExp).join('.+');
  return new RegExp(`^${pattern}$`).test(target);
}

/** The template with `*` for each interpolation, as a message names the folders it may name: `../modules/*`. */
export function templateShape(template: string): string {
  return template.replace(INTERPOLATION, '*');
}
