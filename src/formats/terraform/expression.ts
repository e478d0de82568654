/**
 * Terraform expressions as kmsfix evaluates them: literals, `var.x` and `local.y` through a module's
 * environment (evaluate.ts builds it from declarations, defaults, tfvars and call inputs), `cond ? a
 * : b`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `!`, `&&`, `||`, `try(...)`, `coalesce(...)`. Light: detection reads a key's
 * choice (awsManagedChoice) without loading the rest of the evaluation.
 */
import { soleInterpolation } from './inputUses.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { attributePath, indexedEntries } from './structured.js';
import { ATTRIBUTE_PATH, entryAt } from './hclvalue.js';
import { splitConditional } from './split.js';

export type Known = boolean | string | number | null;

/**
 * A value as a bool argument receives it: Terraform converts exactly the strings "true" and "false"
 * (a `type = string` variable feeding `enabled`); anything else is no bool (undefined).
 */
export function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  return v === 'true' || v === 'false' ? v === 'true' : undefined;
}

/** A value and what decided it ("var.x defaults to false (variables.tf:12)"); `known` false: decided at plan time. */
/**
 * An expression's value, or not known. `shape`: a template string some of whose interpolations are not known, with
 * each of those as `*` (`"arn:aws:kms:*:*:alias/aws/dynamodb"`): what the known parts say of it.
 */
export type Evaluated = { known: true; value: Known; why: string[] } | { known: false; why: string[]; shape?: string; gaveUp?: string };

/** Where one variable's value comes from: an expression (in `env`, the caller's for a call input) and why. */
interface VarSource {
  expr?: string;
  env?: Env;
  why: string;
  /** The variable's object type's optional attributes, and what a value leaving one out holds there (evaluate.ts optionalAttributes). */
  optionals?: Map<string, string>;
  /** The same for each entry of a collection of objects (`map(object({...}))`: `var.tables[k].kms_key_arn`). */
  entryOptionals?: Map<string, string>;
  /** A call's input to a variable declared `nullable = false` with a default: the default, where the input is null. */
  ifNull?: { expr: string; why: string };
}

export interface Env {
  vars: Map<string, VarSource>;
  locals: Map<string, string>;
  /**
   * The module's KMS data sources that name the AWS managed key (`aws_kms_alias.ddb` -> why, managedKeyData.ts
   * managedKeySources): a map's entry or a lookup's default reading one is that key (structured.ts).
   */
  managedKeys?: Map<string, string>;
}

// ---------------------------------------------------------------- expressions

type Tok = { t: 'id' | 'str' | 'tpl' | 'num' | 'op'; v: string };

// A name is a reference with its attributes, indexes (one level of brackets inside: `[index(var.names, var.names[0])]`)
// and splats: `aws_kms_key.k[each.key].arn`, `aws_kms_key.k[*].arn`
// (one token, which evaluates as unknown but for `var.x` and `local.y`).

function tokens(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  const re =
    /\s+|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\*|\[(?:[^[\]"]|"(?:[^"\\]|\\.)*"|\[(?:[^[\]"]|"(?:[^"\\]|\\.)*")*\])*\])*)|("(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*")|(-?\d+(?:\.\d+)?)|(==|!=|&&|\|\||<=|>=|[?:!(),<>])/y;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) {
      // A template string (`"alias/${var.alias}"`): one token, its parts read by templateParts.
      const end = s[i] === '"' ? templateEnd(s, i) : undefined;
      if (end === undefined) return undefined;
      out.push({ t: 'tpl', v: s.slice(i, end) });
      i = end;
      continue;
    }
    i = re.lastIndex;
    if (m[1]) out.push({ t: 'id', v: m[1] });
    else if (m[2]) out.push({ t: 'str', v: m[2] });
    else if (m[3]) out.push({ t: 'num', v: m[3] });
    else if (m[4]) out.push({ t: 'op', v: m[4] });
  }
  return out;
}

const UNKNOWN = (why: string[] = []): Evaluated => ({ known: false, why });

/**
 * How deep evaluation follows references (locals, variables, attributes, templates) before it gives up: the
 * value is then not known, and says why (`gaveUp`: a key kmsfix cannot read, never one it takes for the user's).
 */
const MAX_DEPTH = 64;
const GAVE_UP = (why: string): Evaluated => ({ known: false, why: [], gaveUp: why });

/** Both lists of reasons, each said once (a local read twice on the way, `local.a != null ? local.a : ...`, is said once). */
const joinWhy = (a: string[], b: string[]): string[] => (b.length === 0 ? a : a.length === 0 ? b : [...new Set([...a, ...b])]);

/**
 * Each local's value per environment, evaluated once: locals that each read the next two (`l0 = local.l1 != null ?
 * local.l1 : local.l2`) made evaluation exponential (an adversarial pass: 16 locals, 51 s). `pending` while being
 * evaluated: a local that reads itself (a cycle, which Terraform rejects) is not known.
 */
const localValues = new WeakMap<Env, Map<string, Evaluated | 'pending'>>();

/** Where the template string opening at `from` ends (after its closing quote); undefined for one kmsfix does not read (`%{...}` directives). */
function templateEnd(s: string, from: number): number | undefined {
  for (let i = from + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '%' && s[i + 1] === '{') return undefined;
    else if (c === '$' && s[i + 1] === '$' && s[i + 2] === '{') i += 2;
    else if (c === '$' && s[i + 1] === '{') {
      const close = interpolationEnd(s, i + 2);
      if (close === undefined) return undefined;
      i = close;
    }
  }
  return undefined;
}

/** The `}` closing an interpolation whose expression starts at `from` (strings inside it skipped, templates in them too). */
function interpolationEnd(s: string, from: number): number | undefined {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const end = templateEnd(s, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return undefined;
}

/** A template string's parts: its text (escapes read) and its interpolations' expressions. */
function templateParts(tpl: string): ({ text: string } | { expr: string })[] | undefined {
  const out: ({ text: string } | { expr: string })[] = [];
  let text = '';
  const body = tpl.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const e = body[++i];
      const plain: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (plain[e] === undefined) return undefined;
      text += plain[e];
    } else if (c === '$' && body[i + 1] === '$' && body[i + 2] === '{') {
      text += '${';
      i += 2;
    } else if (c === '$' && body[i + 1] === '{') {
      const close = interpolationEnd(body, i + 2);
      if (close === undefined) return undefined;
      out.push({ text }, { expr: body.slice(i + 2, close).replace(/^~|~$/g, '') });
      text = '';
      i = close;
    } else text += c;
  }
  out.push({ text });
  return out;
}

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
  choice(): { condition: string; branches: [Evaluated, Evaluated] } | { chosen: string } | undefined {
    const c = this.or();
    // As written, near enough: `length(aws_kms_key.k) > 0`, `!var.on`, `f(a, b)`.
    const text = (from: number, to: number) =>
      this.toks
        .slice(from, to)
        .map((t, i, all) => {
          const prev = all[i - 1];
          const tight =
            !prev ||
            (prev.t === 'op' && (prev.v === '(' || prev.v === '!')) ||
            (t.t === 'op' && (t.v === ')' || t.v === ',' || (t.v === '(' && prev.t === 'id')));
          return tight ? t.v : ` ${t.v}`;
        })
        .join('');
    const condition = text(0, this.p);
    if (!this.peek('?')) return undefined;
    // Terraform converts the strings "true" and "false" to a condition's bool; any other value is an error at plan: not decided here.
    const decided = c.known ? asBool(c.value) : undefined;
    this.p++;
    const from = this.p;
    const a = this.cond();
    const aEnd = this.p;
    if (!this.peek(':')) return undefined;
    this.p++;
    const bStart = this.p;
    const b = this.cond();
    if (this.p !== this.toks.length) return undefined;
    // A condition the environment decides (a root module's default): the branch it takes.
    if (decided !== undefined) return { chosen: decided ? text(from, aEnd) : text(bStart, this.p) };
    return { condition, branches: [a, b] };
  }

  /**
   * A whole-expression `try(x, ..., d)` whose first value is not known, or `lookup(m, k, d)` (maps are
   * not evaluated): the function and its fallback `d`.
   */
  fallback(): { fn: 'try' | 'lookup'; value: Evaluated } | undefined {
    const t = this.toks[0];
    if (t?.t !== 'id' || (t.v !== 'try' && t.v !== 'lookup')) return undefined;
    this.p = 1;
    if (!this.peek('(')) return undefined;
    this.p++;
    const args = this.args();
    if (!args || this.p !== this.toks.length) return undefined;
    if (t.v === 'lookup' ? args.length !== 3 : args.length < 2 || args[0].known) return undefined;
    return { fn: t.v, value: args[args.length - 1] };
  }

  /**
   * A whole-expression `coalesce(a, b, ...)` whose leading arguments the environment decides are null or "": the
   * text of the first argument that is not (`coalesce(var.key, data.aws_kms_alias.d.target_key_arn)` with `var.key`
   * null is the data source); undefined otherwise.
   */
  coalesced(): string | undefined {
    const t = this.toks[0];
    if (t?.t !== 'id' || t.v !== 'coalesce') return undefined;
    this.p = 1;
    if (!this.peek('(')) return undefined;
    this.p++;
    for (;;) {
      const from = this.p;
      const v = this.cond();
      const to = this.p;
      if (!(v.known && (v.value === null || v.value === ''))) {
        if (v.known) return undefined;
        return this.toks
          .slice(from, to)
          .map((x) => x.v)
          .join('');
      }
      if (!this.peek(',')) return undefined;
      this.p++;
    }
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
    const bool = c.known ? asBool(c.value) : undefined;
    if (bool === undefined) return !c.known && c.gaveUp ? { known: false, why: c.why, gaveUp: c.gaveUp } : UNKNOWN(c.why);
    const chosen = bool ? a : b;
    return { ...chosen, why: joinWhy(c.why, chosen.why) };
  }

  private binary(next: () => Evaluated, ops: string[], apply: (op: string, a: Known, b: Known) => Known | undefined): Evaluated {
    let left = next();
    while (ops.some((o) => this.peek(o))) {
      const op = this.toks[this.p++].v;
      const right = next();
      const why = joinWhy(left.why, right.why);
      const v = left.known && right.known ? apply(op, left.value, right.value) : undefined;
      const gaveUp = (!left.known && left.gaveUp) || (!right.known && right.gaveUp) || undefined;
      left = v === undefined ? (gaveUp ? { known: false, why, gaveUp } : UNKNOWN(why)) : { known: true, value: v, why };
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
      () => this.compare(),
      ['==', '!='],
      (op, a, b) => (op === '==' ? a === b : a !== b),
    );
  }

  /** `<`, `<=`, `>`, `>=` between numbers (`length(aws_kms_key.k) > 0`: unknown, so a choice on it is not decided). */
  private compare(): Evaluated {
    return this.binary(
      () => this.unary(),
      ['<', '<=', '>', '>='],
      (op, a, b) => {
        if (typeof a !== 'number' || typeof b !== 'number') return undefined;
        return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      },
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

  /** A template string: its text, each interpolation's value in place (a string, number or bool); `shape` where some are not known. */
  private template(tpl: string): Evaluated {
    const parts = this.depth > MAX_DEPTH ? undefined : templateParts(tpl);
    if (!parts) return UNKNOWN();
    // `"${x}"` inside a larger expression (`"${var.on}" == "true"`): x's value, unconverted, as evaluate gives it alone.
    const sole = soleInterpolation(tpl);
    if (sole !== undefined) return evaluate(sole, this.env, this.depth + 1);
    const why: string[] = [];
    let value = '';
    let known = true;
    for (const p of parts) {
      if ('text' in p) {
        value += p.text;
        continue;
      }
      const v = evaluate(p.expr, this.env, this.depth + 1);
      why.push(...v.why);
      if (v.known && v.value !== null) value += String(v.value);
      else {
        known = false;
        value += '*';
      }
    }
    return known ? { known: true, value, why } : { known: false, why, shape: value };
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
    if (t.t === 'tpl') return this.template(t.v);
    if (t.t === 'num') return { known: true, value: Number(t.v), why: [] };
    if (t.t !== 'id') return UNKNOWN();
    if (t.v === 'true' || t.v === 'false') return { known: true, value: t.v === 'true', why: [] };
    if (t.v === 'null') return { known: true, value: null, why: [] };
    if (this.peek('(')) {
      this.p++;
      const args = this.args();
      if (!args) return UNKNOWN();
      const why = args.flatMap((a) => a.why);
      // try(x, fallback) is x unless evaluating x fails, which a value kmsfix does not know (a resource's
      // attribute, an object's field) gives no sign of: x's value, or unknown.
      if (t.v === 'try') return args[0]?.known ? args[0] : UNKNOWN(why);
      if (t.v === 'coalesce') {
        for (const a of args) {
          if (!a.known) return UNKNOWN(why);
          if (a.value !== null && a.value !== '') return { known: true, value: a.value, why };
        }
        return UNKNOWN(why);
      }
      return UNKNOWN(why);
    }
    // `local.environment.dynamodb_tables.cmk_encryption_enabled`: an attribute every value of the object agrees on (structured.ts).
    const attribute = this.depth > MAX_DEPTH ? undefined : attributePath(t.v, this.env, this.depth + 1);
    if (attribute) return attribute;
    const m = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(t.v);
    if (!m) return UNKNOWN();
    if (this.depth > MAX_DEPTH) return GAVE_UP(`${t.v} is read through more than ${MAX_DEPTH} references`);
    if (m[1] === 'local') {
      const e = this.env.locals.get(m[2]);
      if (e === undefined) return UNKNOWN();
      let memo = localValues.get(this.env);
      if (!memo) localValues.set(this.env, (memo = new Map()));
      const known = memo.get(m[2]);
      if (known === 'pending') return GAVE_UP(`local.${m[2]} refers to itself`);
      if (known) return known;
      memo.set(m[2], 'pending');
      const v = evaluate(e, this.env, this.depth + 1);
      const out = { ...v, why: v.why.length ? v.why : [`local.${m[2]} = ${e.trim()}`] };
      // A value cut short by the depth (read deep in a chain) is not kept: read nearer the top, it may be known.
      if (!('gaveUp' in out && out.gaveUp !== undefined && !/refers to itself/.test(out.gaveUp))) memo.set(m[2], out);
      else memo.delete(m[2]);
      return out;
    }
    const src = this.env.vars.get(m[2]);
    if (!src) return UNKNOWN();
    if (src.expr === undefined) return UNKNOWN([src.why]);
    const v = evaluate(src.expr, src.env ?? { vars: new Map(), locals: new Map() }, this.depth + 1);
    if (src.ifNull && v.known && v.value === null) {
      const d = evaluate(src.ifNull.expr, { vars: new Map(), locals: new Map() }, this.depth + 1);
      return { ...d, why: [src.why, ...v.why, src.ifNull.why, ...d.why] };
    }
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
 * Is the expression, past what `env` decides (locals, decided choices: decidedBranch), a choice whose condition `env`
 * does not decide? Such a choice is read as one (awsManagedChoice, the evaluation of the module's inputs), never by
 * what its branches' text holds.
 */
export function undecidedChoice(expr: string, env: Env): boolean {
  const e = decidedBranch(localTarget(expr, env) ?? expr, env);
  const s = soleInterpolation(e) ?? e.trim();
  const toks = tokens(s);
  if (toks && toks.length > 0) return new Evaluator(toks, env, 0).choice() !== undefined;
  return !toks && splitConditional(s) !== undefined;
}

/**
 * A key chosen by a condition kmsfix cannot decide, one of whose values is the AWS managed key (null,
 * "", alias/aws/dynamodb or its ARN): `cond ? aws_kms_key.k.arn : null`, or a fallback to it that
 * kmsfix cannot tell is not taken: `try(each.value.kms_key_arn, null)`, `lookup(var.t, "k", null)`. Whichever the other value,
 * the table is not known to be customer-managed (as CloudFormation's Fn::If between a key and
 * AWS::NoValue). A condition `env` decides (a root module's default) is followed to the branch it takes.
 * Returns why, as the key setting's source (`kms_key_arn = ...: the AWS managed key when var.x is false,
 * ...`; `shown`: the expression as written, when `expr` is a branch of it).
 */
export function awsManagedChoice(expr: string, env: Env, shown = expr, each = false): string | undefined {
  // Through locals (`local.cfg.kms_key_arn`, `cfg = { kms_key_arn = local.prod ? k.arn : null }`): what they stand for.
  const through = localTarget(expr, env);
  if (through !== undefined && through !== expr.trim()) return awsManagedChoice(through, env, shown);
  const toks = tokens(soleInterpolation(expr) ?? expr.trim());
  const choice = toks && toks.length > 0 ? new Evaluator(toks, env, 0).choice() : undefined;
  if (choice && 'chosen' in choice) return awsManagedChoice(choice.chosen, env, shown);
  const managed = (v: Evaluated) =>
    v.known && (v.value === null || v.value === '' || (typeof v.value === 'string' && isAwsManagedKeyRef(v.value)));
  if (!choice) {
    // var.keys[terraform.workspace]: a map read by a key the code does not give, one of whose entries is the AWS managed key.
    const entries = indexedEntries(soleInterpolation(expr) ?? expr, env);
    const entry = entries?.find((x) => x.value !== undefined && managed({ known: true, value: x.value, why: [] }));
    // `each.value.kms_key_arn` (`each`): the instances of that entry.
    // The entry as written where it is read as the key (`data.aws_kms_alias.ddb.target_key_arn`), else its value.
    const given = entry && (entry.shown ?? JSON.stringify(entry.value));
    if (entry)
      return each
        ? `kms_key_arn = ${shown.trim()}: the AWS managed key for each instance whose for_each entry gives ${given} (${entry.why})`
        : entry.fallback
          ? `kms_key_arn = ${shown.trim()}: the AWS managed key when the map has no such key, the lookup's default being ${given} (${entry.why}), which the code alone does not tell`
          : `kms_key_arn = ${shown.trim()}: the AWS managed key where the map's entry is ${given} (${entry.at !== undefined ? `key ${JSON.stringify(entry.at)}; ` : ''}${entry.why}), which the code alone does not tell`;
    // try(each.value.kms_key_arn, null), lookup(var.t, "kms_key_arn", null): the fallback, when the value is not there.
    const fallback = toks && toks.length > 0 ? new Evaluator(toks, env, 0).fallback() : undefined;
    if (!fallback || !managed(fallback.value)) return undefined;
    const when = fallback.fn === 'try' ? 'when its first value cannot be read' : 'when the map has no such key';
    return `kms_key_arn = ${shown.trim()}: the AWS managed key ${when}, which the code alone does not tell`;
  }
  const [then, otherwise] = choice.branches.map(managed);
  if (!then && !otherwise) return undefined;
  const when = then && otherwise ? `whatever ${choice.condition} is` : `when ${choice.condition} is ${then}`;
  return `kms_key_arn = ${shown.trim()}: the AWS managed key ${when}, which the code alone does not tell`;
}

/**
 * The branch a whole-expression choice takes when the environment decides its condition (`var.k == null ? local.d :
 * var.k`), or the argument a `coalesce` comes to past arguments known null (`coalesce(var.k, local.d)`), followed
 * through nested ones; the expression itself otherwise.
 */
export function decidedBranch(expr: string, env: Env): string {
  let e = expr;
  for (let i = 0; i < 16; i++) {
    const toks = tokens(soleInterpolation(e) ?? e.trim());
    const choice = toks && toks.length > 0 ? new Evaluator(toks, env, 0).choice() : undefined;
    if (choice && 'chosen' in choice) {
      e = choice.chosen;
      continue;
    }
    // A choice whose branches the tokenizer does not read (an object literal, `cond ? var.kms : { arn = ... }`): its condition alone.
    const parts = toks ? undefined : splitConditional(soleInterpolation(e) ?? e.trim());
    const cond = parts && evaluate(parts[0], env);
    if (parts && cond?.known && typeof cond.value === 'boolean') {
      e = cond.value ? parts[1] : parts[2];
      continue;
    }
    const first = toks && toks.length > 0 ? new Evaluator(toks, env, 0).coalesced() : undefined;
    if (first === undefined) return e;
    e = first;
  }
  return e;
}

/** A local read whole or at an attribute path (`local.kms`, `local.kms.arn`, `local.kms["arn"]`). */
const LOCAL_READ = new RegExp(`^local\\.([A-Za-z_][\\w-]*)(${ATTRIBUTE_PATH.source})$`);

/**
 * What a chain of locals stands for (`local.a`, `local.a = local.b`, `local.b = data.x.y.arn`: `data.x.y.arn`), an
 * attribute of a local object among them (`local.kms.arn`, `kms = { arn = data.x.y.arn }`, or the object a decided
 * choice gives: `kms = var.own ? var.kms : { arn = ... }`); undefined for anything else.
 */
export function localTarget(expr: string, env: Env): string | undefined {
  let e = expr;
  for (let i = 0; i < 16; i++) {
    const m = LOCAL_READ.exec(soleInterpolation(e) ?? e.trim());
    if (!m) return i > 0 ? e.trim() : undefined;
    const next = env.locals.get(m[1]);
    if (next === undefined) return undefined;
    if (!m[2]) {
      e = next;
      continue;
    }
    const branch = decidedBranch(next, env);
    const field = entryAt(soleInterpolation(branch) ?? branch.trim(), m[2]);
    if (field === undefined) return undefined;
    e = field;
  }
  return undefined;
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
