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
 * A unit's `terraform { source }` as written, when it is a string (`"../../modules//dynamodb"`,
 * `"${get_repo_root()}/modules/dynamodb"`, a registry or git address); undefined for none or an
 * expression (`local.source`). terragruntPaths.ts resolves the local ones to a folder.
 */
export function terraformSource(text: string): string | undefined {
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  const source = isObj(tf) ? tf.obj.get('source') : undefined;
  return isStr(source) ? source.str.trim() : undefined;
}

/** Does a configuration's `terraform` block set `source`, whatever its value (a string or an expression)? */
export function hasTerraformSource(text: string): boolean {
  const body = bodyOf(text);
  const tf = isObj(body) ? items(body.obj.get('terraform'))[0] : undefined;
  return isObj(tf) && tf.obj.has('source');
}

/** A configuration's `locals` (every `locals` block's, as terragrunt merges them): name -> value as written. */
export function terragruntLocals(text: string): Map<string, Value> {
  const body = bodyOf(text);
  const out = new Map<string, Value>();
  for (const b of isObj(body) ? items(body.obj.get('locals')) : []) if (isObj(b)) for (const [k, v] of b.obj) out.set(k, v);
  return out;
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
