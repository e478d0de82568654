/**
 * Reading a terragrunt configuration (`terragrunt.hcl`, and the files its `include` blocks name):
 * its top-level `inputs`, which terragrunt passes to the module as variables. One reader for the
 * two uses: a root module's variables set from outside (varSources.ts) and a terragrunt unit that
 * deploys a DynamoDB registry module (terragruntUnit.ts).
 */
import { isExpr, isObj, isStr, items, readBody, type Value } from './hclvalue.js';

/**
 * A configuration's `inputs`: absent; an object kmsfix reads (name -> value as written); or an
 * expression terragrunt evaluates (`merge(local.common, {...})`, `include.root.inputs`), as written.
 */
export type TerragruntInputs = { kind: 'none' } | { kind: 'object'; inputs: Map<string, Value> } | { kind: 'expression'; source: string };

/** The top-level body of a terragrunt configuration, read once per text (a unit and the modules under it may ask). */
const bodies = new Map<string, Value>();

function bodyOf(text: string): Value {
  let body = bodies.get(text);
  if (!body) {
    if (bodies.size > 64) bodies.clear();
    bodies.set(text, (body = readBody(`{\n${text}\n}`)));
  }
  return body;
}

export function terragruntInputs(text: string): TerragruntInputs {
  const body = bodyOf(text);
  const inputs = isObj(body) ? body.obj.get('inputs') : undefined;
  if (inputs === undefined) return { kind: 'none' };
  if (isObj(inputs)) return { kind: 'object', inputs: inputs.obj };
  // As written, on one line, shortened for a message.
  const source = isExpr(inputs) ? inputs.expr.replace(/\s+/g, ' ') : 'an expression';
  return { kind: 'expression', source: source.length > 60 ? `${source.slice(0, 57)}...` : source };
}

/**
 * The local folder a unit's `terraform { source }` deploys, relative to the unit's folder: a relative
 * path (`../../modules//dynamodb`, `//` marking the module's subfolder of the copied tree) or one from
 * `${get_terragrunt_dir()}`, posix and normalized (`../../modules/dynamodb`). Undefined for any other
 * source (a registry, git or HTTP source, another function, no source).
 */
export function localSource(text: string): string | undefined {
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  const source = isObj(tf) ? tf.obj.get('source') : undefined;
  if (!isStr(source)) return undefined;
  const s = source.str.trim().replace(/^\$\{\s*get_terragrunt_dir\(\s*\)\s*\}\//, './');
  if (!/^\.\.?\//.test(s) || /[$%]\{|[?#]/.test(s)) return undefined;
  return s.replace(/\/\/+/g, '/').replace(/\/$/, '') || '.';
}

/** A configuration's `include` blocks: their label (none for a bare `include`) and `path` as written. */
export function terragruntIncludes(text: string): { label: string; path: Value | undefined }[] {
  const body = bodyOf(text);
  if (!isObj(body)) return [];
  const out: { label: string; path: Value | undefined }[] = [];
  for (const [key, v] of body.obj) {
    const m = /^include(?: (.*))?$/.exec(key);
    if (!m) continue;
    for (const b of items(v)) out.push({ label: m[1] ?? '', path: isObj(b) ? b.obj.get('path') : undefined });
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
