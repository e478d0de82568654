/**
 * Terraform values as Checkov and Trivy evaluate them, for the few settings that decide a table's
 * encryption: a module's variables (a module call's inputs, else `*.auto.tfvars` and
 * `terraform.tfvars` beside a root module, else the variable's default), its simple `locals`,
 * literals, `cond ? a : b`, `==`, `!=`, `!`, `&&`, `||`, `try()` and `coalesce()` on known values,
 * and `"${x}"` (one interpolation alone) as `x`.
 * Anything else is unknown (decided at plan time). Each value says what decided it, for messages.
 */
import path from 'node:path';
import type { SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { isExpr, isStr, isObj, readBody, type Value } from './hclvalue.js';
import type { TopBlock } from './topBlocks.js';
import type { Env } from './expression.js';
import { splitTop } from './split.js';
import { isOverrideFile, mergeOrder } from './overrideFiles.js';

/** A module folder's files, as the evaluation needs them: the top blocks of each, with its path and text. */
export interface ModuleFile {
  path: string;
  text: string;
  tops: (TopBlock & { start?: number })[];
}

const base = (p: string) => p.replace(/^.*\//, '');

/** Line indexes of the texts read here (a module's files are read for each of its files that needs them). */
const lineIndexes = new Map<string, LineIndex>();

function lineOf(text: string, offset: number | undefined): string {
  if (offset === undefined) return '';
  let index = lineIndexes.get(text);
  if (!index) {
    if (lineIndexes.size > 64) lineIndexes.clear();
    index = new LineIndex(text);
    lineIndexes.set(text, index);
  }
  return `:${index.position(offset).line}`;
}

/** The text of a value read by readBody, as an expression. */
function exprOf(v: Value): string | undefined {
  if (isStr(v)) return JSON.stringify(v.str);
  if (isExpr(v)) return v.expr;
  return undefined;
}

/** An object or list a tfvars file assigns, written back as an expression (JSON with its expressions as written), for structured.ts. */
function structuredText(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(structuredText).join(', ')}]`;
  if (isObj(v)) return `{${[...v.obj].map(([k, x]) => `${JSON.stringify(k)}: ${structuredText(x)}`).join(', ')}}`;
  return exprOf(v) ?? 'null';
}

/** Each tfvars file's assignments, per file object (a module's files are handed to each of its files). */
const tfvarsRead = new WeakMap<SourceFile, Map<string, { expr: string; where: string }>>();

/** Top-level `name = value` assignments of a .tfvars file (HCL) or .tfvars.json. */
export function tfvarsOf(file: SourceFile): Map<string, { expr: string; where: string }> {
  let out = tfvarsRead.get(file);
  if (!out) tfvarsRead.set(file, (out = readTfvars(file)));
  return out;
}

function readTfvars(file: SourceFile): Map<string, { expr: string; where: string }> {
  const out = new Map<string, { expr: string; where: string }>();
  if (file.path.endsWith('.json')) {
    try {
      const o = JSON.parse(file.text) as Record<string, unknown>;
      // Objects and lists too, as JSON (an HCL expression): an attribute of one may be read (structured.ts).
      for (const [k, v] of Object.entries(o)) if (v !== undefined) out.set(k, { expr: JSON.stringify(v), where: base(file.path) });
    } catch {
      /* not ours to report */
    }
    return out;
  }
  const body = readBody(`{\n${file.text}\n}`);
  if (!isObj(body)) return out;
  for (const [k, v] of body.obj) {
    const expr = exprOf(v) ?? structuredText(v);
    const m = new RegExp(`^[ \\t]*${k}[ \\t]*=`, 'm').exec(file.text);
    if (expr !== undefined) out.set(k, { expr, where: `${base(file.path)}${m ? lineOf(file.text, m.index) : ''}` });
  }
  return out;
}

/** The tfvars files Terraform loads for a root module, lowest precedence first. */
export function tfvarsFiles(all: SourceFile[]): SourceFile[] {
  // Every tfvars name holds `.tfvars` (a cheap test first: a module's files are many, its tfvars files few).
  const files = all.filter((f) => f.path.includes('.tfvars'));
  const named = (n: string) => files.filter((f) => base(f.path) === n);
  const auto = files.filter((f) => /\.auto\.tfvars(\.json)?$/.test(base(f.path))).sort((a, b) => (base(a.path) < base(b.path) ? -1 : 1));
  return [...named('terraform.tfvars'), ...named('terraform.tfvars.json'), ...auto];
}

/** What one file of a module declares: its locals (name -> expression) and variables (with their default), in order. */
interface Declared {
  locals: [string, string][];
  vars: VarDeclared[];
}

/** A `variable` block as evaluation reads it (`nullable`'s text: an override file may set it alone). */
interface VarDeclared {
  name: string;
  def?: string;
  type?: string;
  nullable?: string;
  line: string;
}

/** Each module file's declarations, per file object (a module's files are handed to each of its files, whose evaluations share them). */
const declared = new WeakMap<ModuleFile, Declared>();

function declarationsOf(f: ModuleFile): Declared {
  let d = declared.get(f);
  if (d) return d;
  d = { locals: [], vars: [] };
  for (const t of f.tops) {
    if (t.type === 'locals') {
      const body = readBody(t.text);
      if (isObj(body))
        for (const [k, v] of body.obj) {
          // An object or list local is kept written back (structuredText), for an attribute read of it (`local.kms.arn`).
          const e = exprOf(v) ?? structuredText(v);
          d.locals.push([k, e]);
        }
    }
    if (t.type !== 'variable' || t.labels.length !== 1) continue;
    d.vars.push({
      name: t.labels[0],
      def: t.attr('default')?.value,
      type: t.attr('type')?.value,
      nullable: t.attr('nullable')?.value.trim(),
      line: lineOf(f.text, t.start),
    });
  }
  declared.set(f, d);
  return d;
}

/**
 * The module's locals (set into `env`) and variables as Terraform merges its files: the primary files' first
 * declaration of each, then each override file's in merge order, a local replacing the primary's and a variable's
 * `default`, `type` or `nullable` replacing that argument alone (an override of a variable no primary file declares
 * is Terraform's error, not read). A default an override file gives is located there.
 */
function mergedVariables(files: ModuleFile[], env: Env): (VarDeclared & { file: ModuleFile })[] {
  const vars = new Map<string, VarDeclared & { file: ModuleFile }>();
  for (const f of mergeOrder(files)) {
    const d = declarationsOf(f);
    const override = isOverrideFile(f.path);
    for (const [k, e] of d.locals) if (override || !env.locals.has(k)) env.locals.set(k, e);
    for (const v of d.vars) {
      const had = vars.get(v.name);
      if (!had) {
        if (!override) vars.set(v.name, { ...v, file: f });
        continue;
      }
      if (!override) continue;
      vars.set(v.name, {
        ...had,
        ...(v.def !== undefined ? { def: v.def, file: f, line: v.line } : {}),
        ...(v.type !== undefined ? { type: v.type } : {}),
        ...(v.nullable !== undefined ? { nullable: v.nullable } : {}),
      });
    }
  }
  return [...vars.values()];
}

/**
 * A module's environment: each declared variable's source (the call's input, else the tfvars
 * files, else its default), and its locals. `call`: the module call's inputs (attribute name ->
 * expression), evaluated in `callerEnv`; tfvars are read only for a root module (no call).
 */
export function moduleEnv(
  files: ModuleFile[],
  tfvars: SourceFile[],
  call?: { label: string; inputs: Map<string, string>; env?: Env; dir: string },
): Env {
  const env: Env = { vars: new Map(), locals: new Map() };
  const assigned = new Map<string, { expr: string; where: string }>();
  if (!call) for (const f of tfvarsFiles(tfvars)) for (const [k, v] of tfvarsOf(f)) assigned.set(k, v);
  // A tfvars file kmsfix cannot read (git-crypt's, in a checkout without its key) may set any variable, over any other.
  const sealed = call ? undefined : tfvarsFiles(tfvars).find((f) => f.unreadable !== undefined);
  for (const { file: f, name, def, type, nullable, line } of mergedVariables(files, env)) {
    const notNull = nullable === 'false';
    // An object type's optional attributes: what a value that leaves one out holds there (structured.ts).
    const optionals = type === undefined ? undefined : optionalAttributes(type);
    const entryOptionals = type === undefined ? undefined : entryOptionalAttributes(type);
    const shape = { ...(optionals ? { optionals } : {}), ...(entryOptionals ? { entryOptionals } : {}) };
    const where = `${call ? path.posix.join(call.dir, base(f.path)) : base(f.path)}${line}`;
    const input = call?.inputs.get(name);
    const set = assigned.get(name);
    // `nullable = false` with a default: Terraform uses the default where the call's input (or a tfvars value) is null.
    const ifNull =
      notNull && def !== undefined
        ? { expr: def, why: `${name} is not nullable: null gives its default, ${shown(def)} (${where})` }
        : undefined;
    if (input !== undefined)
      env.vars.set(name, {
        expr: input,
        env: call?.env,
        why: `module.${call?.label} sets ${name} = ${shown(input)}`,
        ...shape,
        ...(ifNull ? { ifNull } : {}),
      });
    else if (sealed)
      env.vars.set(name, { why: `${name} may be set by ${base(sealed.path)}, which kmsfix cannot read (${sealed.unreadable})` });
    else if (set)
      env.vars.set(name, {
        expr: set.expr,
        why: `${name} = ${shown(set.expr)} in ${set.where}`,
        ...shape,
        ...(ifNull ? { ifNull } : {}),
      });
    else if (def !== undefined) {
      const unset = call ? ` and module.${call.label} does not set it` : '';
      env.vars.set(name, { expr: def, why: `${name} defaults to ${shown(def)} (${where})${unset}`, ...shape });
    } else env.vars.set(name, { why: `${name} has no default (${where})${call ? ` and module.${call.label} does not set it` : ''}` });
  }
  return env;
}

/** An expression as a message shows it: an object or list written over many lines as `{...}` / `[...]`. */
function shown(expr: string): string {
  // One line in a message: a short object written over several lines is joined.
  const e = expr.trim().replace(/\s*\n\s*/g, ' ');
  return e.length > 60 && (e[0] === '{' || e[0] === '[') ? `${e[0]}...${e[0] === '{' ? '}' : ']'}` : e;
}

export { directVariable, evaluate, variablesRead } from './expression.js';
export type { Env, Evaluated, Known } from './expression.js';

/**
 * The optional attributes of an object type (`object({ name = string, kms_key_arn = optional(string) })`), each with
 * what Terraform gives a value that leaves it out: the type's default (`optional(string, "x")`), else null.
 * Undefined for any other type.
 */
export function optionalAttributes(type: string): Map<string, string> | undefined {
  const body = /^object\s*\(\s*\{([\s\S]*)\}\s*\)$/.exec(type.trim())?.[1];
  if (body === undefined) return undefined;
  const out = new Map<string, string>();
  for (const item of splitTop(body.replace(/(#|\/\/)[^\n]*/g, '').replace(/\n/g, ','))) {
    const m = /^([A-Za-z_][\w-]*)\s*=\s*optional\s*\(([\s\S]*)\)$/.exec(item.trim());
    if (m) out.set(m[1], splitTop(m[2])[1] ?? 'null');
  }
  return out;
}

/** The optional attributes of a collection's objects (`map(object({...}))`, `list(...)`, `set(...)`), as optionalAttributes reads them. */
export function entryOptionalAttributes(type: string): Map<string, string> | undefined {
  const inner = /^(?:map|list|set)\s*\(([\s\S]*)\)$/.exec(type.trim())?.[1];
  return inner === undefined ? undefined : optionalAttributes(inner);
}
