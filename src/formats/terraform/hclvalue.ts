/**
 * A forgiving reader of policy values as Terraform code writes them: JSON, HCL object and tuple
 * expressions (`jsonencode({ Statement = [...] })`), and HCL bodies (the `statement { ... }` blocks of
 * a `data "aws_iam_policy_document"`). Strings keep their `${...}` interpolations as written; any
 * other expression (a reference, a function call) is kept as its source text. Never throws: what it
 * cannot read becomes an expression.
 */

export type Value = { str: string } | { expr: string } | Value[] | { obj: Map<string, Value> };

export function isObj(v: Value | undefined): v is { obj: Map<string, Value> } {
  return !!v && !Array.isArray(v) && 'obj' in v;
}

export function isStr(v: Value | undefined): v is { str: string } {
  return !!v && !Array.isArray(v) && 'str' in v;
}

export function isExpr(v: Value | undefined): v is { expr: string } {
  return !!v && !Array.isArray(v) && 'expr' in v;
}

/** A value or a list of values, as a list. */
export function items(v: Value | undefined): Value[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** An attribute path as an expression reads it after a name (`.a["b"]`): each step, for `entryAt`. */
export const ATTRIBUTE_PATH = /(?:\.[A-Za-z_][\w-]*|\[\s*"[^"]*"\s*\])*/;

/**
 * What an object's text holds at an attribute path (`{ arn = data.x.y.arn }` at `.arn`): the expression as written,
 * a string as its quoted text; undefined when the path holds neither (or is empty).
 */
export function entryAt(object: string, path: string): string | undefined {
  const keys = [...path.matchAll(/\.([A-Za-z_][\w-]*)|\[\s*"([^"]*)"\s*\]/g)].map((m) => m[1] ?? m[2]);
  if (keys.length === 0) return undefined;
  let v: Value | undefined = readValue(object);
  for (const k of keys) v = isObj(v) ? v.obj.get(k) : undefined;
  return isExpr(v) ? v.expr : isStr(v) ? JSON.stringify(v.str) : undefined;
}

/** Read one value from `text` (leading and trailing space and comments allowed). */
export function readValue(text: string): Value {
  return guarded(text, () => {
    const r = new Reader(text);
    const v = r.value();
    r.space(true);
    return r.p >= text.length ? v : { expr: text.trim() };
  });
}

/** Read the body of a block (from its `{`), blocks and attributes alike, as one object. */
export function readBody(blockText: string): Value {
  const open = blockText.indexOf('{');
  return open === -1 ? { obj: new Map() } : guarded(blockText, () => new Reader(blockText, open).value());
}

/** Nesting too deep for the stack: the whole text as an expression (what cannot be read). */
function guarded(text: string, read: () => Value): Value {
  try {
    return read();
  } catch (e) {
    if (e instanceof RangeError) return { expr: text.trim() };
    throw e;
  }
}

class Reader {
  constructor(
    readonly s: string,
    public p = 0,
  ) {}

  space(newlines: boolean): void {
    for (;;) {
      const c = this.s[this.p];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && (c === '\n' || c === ','))) this.p++;
      else if (c === '#' || (c === '/' && this.s[this.p + 1] === '/')) while (this.p < this.s.length && this.s[this.p] !== '\n') this.p++;
      else if (c === '/' && this.s[this.p + 1] === '*') {
        const end = this.s.indexOf('*/', this.p + 2);
        this.p = end === -1 ? this.s.length : end + 2;
      } else return;
    }
  }

  value(): Value {
    this.space(true);
    const start = this.p;
    const c = this.s[this.p];
    if (c === '<' && this.s[this.p + 1] === '<') return { str: this.heredoc() };
    const literal = c === '"' ? { str: this.string() } : c === '{' ? this.object() : c === '[' ? this.tuple() : undefined;
    if (literal !== undefined) {
      // A literal that only begins the expression (`{ dev = ..., prod = ... }[terraform.workspace]`, `"prod" == var.env`):
      // the whole expression, as written. Read as the literal, the rest was dropped: a map indexed by the workspace
      // was taken for the whole map, and its entries for the key (real-world round 35).
      if (!this.ends()) {
        this.p = start;
        return { expr: this.raw() };
      }
      return literal;
    }
    const raw = this.raw();
    const call = /^jsonencode\s*\(([\s\S]*)\)$/.exec(raw);
    return call ? readValue(call[1]) : { expr: raw };
  }

  /** Whether the value just read ends its item: a `,`, newline, closing bracket, comment or the end of the text follows. */
  ends(): boolean {
    const at = this.p;
    this.space(false);
    const c = this.s[this.p];
    this.p = at;
    return c === undefined || c === ',' || c === '\n' || c === '}' || c === ']' || c === ')';
  }

  /** A quoted string; escapes decoded, interpolations kept as written. */
  string(): string {
    let out = '';
    this.p++;
    while (this.p < this.s.length) {
      const c = this.s[this.p];
      if (c === '"') {
        this.p++;
        return out;
      }
      if (c === '\\') {
        const e = this.s[this.p + 1];
        out +=
          e === 'n'
            ? '\n'
            : e === 't'
              ? '\t'
              : e === 'r'
                ? '\r'
                : e === 'u'
                  ? String.fromCharCode(parseInt(this.s.slice(this.p + 2, this.p + 6), 16))
                  : e;
        this.p += e === 'u' ? 6 : 2;
        continue;
      }
      if ((c === '$' || c === '%') && this.s[this.p + 1] === '{') {
        const start = this.p;
        this.p += 2;
        this.skipBalanced('}');
        out += this.s.slice(start, this.p);
        continue;
      }
      out += c;
      this.p++;
    }
    return out;
  }

  heredoc(): string {
    const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(this.s.slice(this.p));
    if (!m) return this.raw();
    const start = this.p + m[0].length;
    const close = new RegExp(`^[ \\t]*${m[1]}[ \\t]*\\r?$`, 'm');
    const rest = this.s.slice(start);
    const end = close.exec(rest);
    if (!end) {
      this.p = this.s.length;
      return rest;
    }
    this.p = start + end.index + end[0].length;
    return rest.slice(0, end.index);
  }

  /** Skip to just after the `close` that ends the current nesting level, strings and brackets balanced. */
  skipBalanced(close: string): void {
    const stack = [close];
    while (this.p < this.s.length && stack.length > 0) {
      const c = this.s[this.p];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === stack[stack.length - 1]) stack.pop();
      else if (c === '{' || c === '[' || c === '(') stack.push(c === '{' ? '}' : c === '[' ? ']' : ')');
      this.p++;
    }
  }

  /** An expression up to the end of its item: a top-level `,`, newline or closing bracket. */
  raw(): string {
    const start = this.p;
    while (this.p < this.s.length) {
      const c = this.s[this.p];
      if (c === ',' || c === '\n' || c === '}' || c === ']' || c === ')') break;
      // A line comment ends the expression (`j = var.key # note`): kept, the expression was never evaluated, and a
      // key it named read as customer-managed whatever it held (real-world round 35).
      if (c === '#' || (c === '/' && this.s[this.p + 1] === '/')) break;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '{' || c === '[' || c === '(') {
        this.p++;
        this.skipBalanced(c === '{' ? '}' : c === '[' ? ']' : ')');
        continue;
      }
      this.p++;
    }
    if (this.p === start) this.p++;
    return this.s.slice(start, this.p).trim();
  }

  tuple(): Value[] {
    const out: Value[] = [];
    this.p++;
    for (;;) {
      this.space(true);
      if (this.p >= this.s.length) return out;
      if (this.s[this.p] === ']') {
        this.p++;
        return out;
      }
      out.push(this.value());
    }
  }

  /** An object (`key = value`, `"key": value`) or a body (also `type "label" { ... }` blocks). */
  object(): Value {
    const obj = new Map<string, Value>();
    this.p++;
    for (;;) {
      this.space(true);
      if (this.p >= this.s.length) return { obj };
      if (this.s[this.p] === '}') {
        this.p++;
        return { obj };
      }
      const key = this.s[this.p] === '"' ? this.string() : this.name();
      if (!key) {
        this.raw();
        continue;
      }
      this.space(false);
      const c = this.s[this.p];
      if (c === '=' || c === ':') {
        this.p++;
        obj.set(key, this.value());
        continue;
      }
      // A block: labels, then its body. Blocks of one type add up to a list.
      const labels: string[] = [];
      while (this.s[this.p] === '"' || /[A-Za-z_]/.test(this.s[this.p] ?? '')) {
        labels.push(this.s[this.p] === '"' ? this.string() : this.name());
        this.space(false);
      }
      if (this.s[this.p] !== '{') {
        this.raw();
        continue;
      }
      const body = this.object();
      const name = labels.length ? `${key} ${labels.join(' ')}` : key;
      const prev = obj.get(name);
      obj.set(name, prev === undefined ? [body] : [...items(prev), body]);
    }
  }

  name(): string {
    const m = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.p, this.p + 200));
    if (!m) return '';
    this.p += m[0].length;
    return m[0];
  }
}
