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
import { soleInterpolation } from './inputUses.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';

export type Known = boolean | string | number | null;

/** A value and what decided it ("var.x defaults to false (variables.tf:12)"); `known` false: decided at plan time. */
export type Evaluated = { known: true; value: Known; why: string[] } | { known: false; why: string[] };

/** Where one variable's value comes from: an expression (in `env`, the caller's for a call input) and why. */
interface VarSource {
  expr?: string;
  env?: Env;
  why: string;
}

export interface Env {
  vars: Map<string, VarSource>;
  locals: Map<string, string>;
}

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
      for (const [k, v] of Object.entries(o))
        if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
          out.set(k, { expr: JSON.stringify(v), where: base(file.path) });
    } catch {
      /* not ours to report */
    }
    return out;
  }
  const body = readBody(`{\n${file.text}\n}`);
  if (!isObj(body)) return out;
  for (const [k, v] of body.obj) {
    const expr = exprOf(v);
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
  vars: { name: string; def?: string; line: string }[];
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
          const e = exprOf(v);
          if (e !== undefined) d.locals.push([k, e]);
        }
    }
    if (t.type !== 'variable' || t.labels.length !== 1) continue;
    d.vars.push({ name: t.labels[0], def: t.attr('default')?.value, line: lineOf(f.text, t.start) });
  }
  declared.set(f, d);
  return d;
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
  for (const f of files) {
    const d = declarationsOf(f);
    for (const [k, e] of d.locals) if (!env.locals.has(k)) env.locals.set(k, e);
    for (const { name, def, line } of d.vars) {
      if (env.vars.has(name)) continue;
      const where = `${call ? path.posix.join(call.dir, base(f.path)) : base(f.path)}${line}`;
      const input = call?.inputs.get(name);
      const set = assigned.get(name);
      if (input !== undefined)
        env.vars.set(name, { expr: input, env: call?.env, why: `module.${call?.label} sets ${name} = ${input.trim()}` });
      else if (set) env.vars.set(name, { expr: set.expr, why: `${name} = ${set.expr.trim()} in ${set.where}` });
      else if (def !== undefined) {
        const unset = call ? ` and module.${call.label} does not set it` : '';
        env.vars.set(name, { expr: def, why: `${name} defaults to ${def.trim()} (${where})${unset}` });
      } else env.vars.set(name, { why: `${name} has no default (${where})${call ? ` and module.${call.label} does not set it` : ''}` });
    }
  }
  return env;
}

// ---------------------------------------------------------------- expressions

type Tok = { t: 'id' | 'str' | 'num' | 'op'; v: string };

function tokens(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  const re =
    /\s+|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)|("(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*")|(-?\d+(?:\.\d+)?)|(==|!=|&&|\|\||[?:!(),])/y;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    i = re.lastIndex;
    if (m[1]) out.push({ t: 'id', v: m[1] });
    else if (m[2]) out.push({ t: 'str', v: m[2] });
    else if (m[3]) out.push({ t: 'num', v: m[3] });
    else if (m[4]) out.push({ t: 'op', v: m[4] });
  }
  return out;
}

const UNKNOWN = (why: string[] = []): Evaluated => ({ known: false, why });

class Evaluator {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly env: Env,
    private readonly depth: number,
  ) {}

  run(): Evaluated {
    const v = this.cond();
    return this.p === this.toks.length ? v : UNKNOWN(v.why);
  }

  /** A whole-expression `c ? a : b` whose condition is not known: its condition (as written) and both branches. */
  choice(): { condition: string; branches: [Evaluated, Evaluated] } | undefined {
    const c = this.or();
    const condition = this.toks
      .slice(0, this.p)
      .map((t) => t.v)
      .join(' ');
    if (c.known || !this.peek('?')) return undefined;
    this.p++;
    const a = this.cond();
    if (!this.peek(':')) return undefined;
    this.p++;
    const b = this.cond();
    return this.p === this.toks.length ? { condition, branches: [a, b] } : undefined;
  }

  private peek(v: string): boolean {
    const t = this.toks[this.p];
    return t?.t === 'op' && t.v === v;
  }

  private cond(): Evaluated {
    const c = this.or();
    if (!this.peek('?')) return c;
    this.p++;
    const a = this.cond();
    if (!this.peek(':')) return UNKNOWN();
    this.p++;
    const b = this.cond();
    if (!c.known || typeof c.value !== 'boolean') return UNKNOWN(c.why);
    const chosen = c.value ? a : b;
    return { ...chosen, why: [...c.why, ...chosen.why] };
  }

  private binary(next: () => Evaluated, ops: string[], apply: (op: string, a: Known, b: Known) => Known | undefined): Evaluated {
    let left = next();
    while (ops.some((o) => this.peek(o))) {
      const op = this.toks[this.p++].v;
      const right = next();
      const why = [...left.why, ...right.why];
      const v = left.known && right.known ? apply(op, left.value, right.value) : undefined;
      left = v === undefined ? UNKNOWN(why) : { known: true, value: v, why };
    }
    return left;
  }

  private or(): Evaluated {
    return this.binary(
      () => this.and(),
      ['||'],
      (_, a, b) => (typeof a === 'boolean' && typeof b === 'boolean' ? a || b : undefined),
    );
  }

  private and(): Evaluated {
    return this.binary(
      () => this.eq(),
      ['&&'],
      (_, a, b) => (typeof a === 'boolean' && typeof b === 'boolean' ? a && b : undefined),
    );
  }

  private eq(): Evaluated {
    return this.binary(
      () => this.unary(),
      ['==', '!='],
      (op, a, b) => (op === '==' ? a === b : a !== b),
    );
  }

  private unary(): Evaluated {
    if (this.peek('!')) {
      this.p++;
      const v = this.unary();
      return v.known && typeof v.value === 'boolean' ? { known: true, value: !v.value, why: v.why } : UNKNOWN(v.why);
    }
    return this.primary();
  }

  private args(): Evaluated[] | undefined {
    const out: Evaluated[] = [];
    if (this.peek(')')) {
      this.p++;
      return out;
    }
    for (;;) {
      out.push(this.cond());
      if (this.peek(',')) this.p++;
      else if (this.peek(')')) {
        this.p++;
        return out;
      } else return undefined;
    }
  }

  private primary(): Evaluated {
    const t = this.toks[this.p++];
    if (!t) return UNKNOWN();
    if (t.t === 'op' && t.v === '(') {
      const v = this.cond();
      if (!this.peek(')')) return UNKNOWN(v.why);
      this.p++;
      return v;
    }
    if (t.t === 'str') return { known: true, value: JSON.parse(t.v) as string, why: [] };
    if (t.t === 'num') return { known: true, value: Number(t.v), why: [] };
    if (t.t !== 'id') return UNKNOWN();
    if (t.v === 'true' || t.v === 'false') return { known: true, value: t.v === 'true', why: [] };
    if (t.v === 'null') return { known: true, value: null, why: [] };
    if (this.peek('(')) {
      this.p++;
      const args = this.args();
      if (!args) return UNKNOWN();
      const why = args.flatMap((a) => a.why);
      if (t.v === 'try') {
        const first = args.find((a) => a.known);
        return args[0]?.known ? args[0] : first && args.every((a) => a.known || a === args[0]) ? { ...first, why } : UNKNOWN(why);
      }
      if (t.v === 'coalesce') {
        for (const a of args) {
          if (!a.known) return UNKNOWN(why);
          if (a.value !== null && a.value !== '') return { known: true, value: a.value, why };
        }
        return UNKNOWN(why);
      }
      return UNKNOWN(why);
    }
    const m = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(t.v);
    if (!m || this.depth > 16) return UNKNOWN();
    if (m[1] === 'local') {
      const e = this.env.locals.get(m[2]);
      if (e === undefined) return UNKNOWN();
      const v = evaluate(e, this.env, this.depth + 1);
      return { ...v, why: v.why.length ? v.why : [`local.${m[2]} = ${e.trim()}`] };
    }
    const src = this.env.vars.get(m[2]);
    if (!src) return UNKNOWN();
    if (src.expr === undefined) return UNKNOWN([src.why]);
    const v = evaluate(src.expr, src.env ?? { vars: new Map(), locals: new Map() }, this.depth + 1);
    return { ...v, why: [src.why, ...v.why] };
  }
}

/** An expression's value in a module's environment. */
export function evaluate(expr: string, env: Env, depth = 0): Evaluated {
  // `"${x}"`: x's value, unconverted (Terraform 0.12 and later), as `x` written alone.
  const toks = tokens(soleInterpolation(expr) ?? expr.trim());
  if (!toks || toks.length === 0) return UNKNOWN();
  return new Evaluator(toks, env, depth).run();
}

/**
 * A key chosen by a condition kmsfix cannot decide, one of whose values is the AWS managed key (null,
 * "", alias/aws/dynamodb or its ARN): `cond ? aws_kms_key.k.arn : null`. Whichever the other value,
 * the table is not known to be customer-managed (as CloudFormation's Fn::If between a key and
 * AWS::NoValue). Returns when it is the AWS managed key (`when var.x is false`).
 */
export function awsManagedChoice(expr: string, env: Env): string | undefined {
  const toks = tokens(soleInterpolation(expr) ?? expr.trim());
  const choice = toks && toks.length > 0 ? new Evaluator(toks, env, 0).choice() : undefined;
  const managed = (v: Evaluated) =>
    v.known && (v.value === null || v.value === '' || (typeof v.value === 'string' && isAwsManagedKeyRef(v.value)));
  if (!choice) return undefined;
  const [then, otherwise] = choice.branches.map(managed);
  if (!then && !otherwise) return undefined;
  return then && otherwise ? `whatever ${choice.condition} is` : `when ${choice.condition} is ${then}`;
}

/** The variable an expression is, directly (`var.x`), or through one local (`local.y = var.x`). */
export function directVariable(expr: string, env: Env): string | undefined {
  const s = soleInterpolation(expr) ?? expr.trim();
  const m = /^var\.([A-Za-z_][\w-]*)$/.exec(s);
  if (m) return m[1];
  const l = /^local\.([A-Za-z_][\w-]*)$/.exec(s);
  const e = l && env.locals.get(l[1]);
  return e ? /^var\.([A-Za-z_][\w-]*)$/.exec(soleInterpolation(e) ?? e.trim())?.[1] : undefined;
}

/** The variables an expression reads, directly or through the module's locals (each local followed once). */
export function variablesRead(expr: string, env: Env, seen = new Set<string>()): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(/\b(var|local)\.([A-Za-z_][\w-]*)/g)) {
    if (m[1] === 'var') {
      if (!out.includes(m[2])) out.push(m[2]);
      continue;
    }
    const e = env.locals.get(m[2]);
    if (e === undefined || seen.has(m[2])) continue;
    seen.add(m[2]);
    for (const v of variablesRead(e, env, seen)) if (!out.includes(v)) out.push(v);
  }
  return out;
}
