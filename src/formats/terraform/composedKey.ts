/**
 * A kms_key_arn written through Terraform's string functions: `format("arn:%s:kms:%s:%s:alias/aws/dynamodb", ...)`,
 * `join(":", ["arn:aws:kms", ..., "alias/aws/dynamodb"])`. Their literal pieces, joined (an argument kmsfix does not
 * know as `*`), decide it as the rule says (src/rule/composedKey.ts): the AWS managed key when the text names it. Any
 * other expression whose text holds `alias/aws/dynamodb` (`coalesce(..., "alias/aws/dynamodb")`,
 * `data.aws_kms_key.byeach["alias/aws/dynamodb"].arn`, `element([...], 0)`, `lower(...)`) may be that key: not known.
 * A piece is read as a template string's interpolation is (expression.ts evaluate): a `local`, a variable's value (its
 * default, a tfvars file's, a call's input) in the module's environment; one not known is `*`.
 */
import { quotedEnd } from '../../core/hclStrings.js';
import { composedKeySetting, joinPieces, maybeManagedKey, mentionsManagedKey, MAX_PARTS } from '../../rule/composedKey.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import type { Setting } from '../../rule/facts.js';
import { evaluate, type Env, type Evaluated } from './expression.js';
import { soleInterpolation } from './inputUses.js';
import { splitTop } from './split.js';

const NO_ENV: Env = { vars: new Map(), locals: new Map() };

/**
 * The key's setting when it is written through format/join or holds the AWS managed key's alias; undefined otherwise.
 * `env`: the module's environment, where a piece's local or variable is known (none by default: each such piece `*`).
 */
export function composedKeySettingOf(expr: string, raw: Setting['raw'], env: Env = NO_ENV): Setting | undefined {
  const s = soleInterpolation(expr) ?? expr.trim();
  const value = composedValue(s, env)?.text;
  if (value !== undefined) {
    const setting = composedKeySetting([value], expr.trim(), raw);
    if (setting) return setting;
  }
  return mentionsManagedKey(s) ? maybeManagedKey(expr.trim(), raw) : undefined;
}

/** At most this many locals and variables followed from a key's expression (each read once). */
const MAX_HELD = 64;

/**
 * A local or variable the expression reads that holds the alias (`tostring(local.k)`, `local.keys[0]`,
 * `element(var.keys, 0)`, with local.k "arn:...:alias/aws/dynamodb"), where kmsfix cannot evaluate the expression:
 * it may be that key (an adversarial pass found these customer-managed, the reason quoting the local's value).
 * The first `local.x` / `var.x` an expression reads, directly or through the locals and variables theirs read, whose
 * written value mentions the AWS managed key's alias; undefined when none does (or it is not known where they lead).
 */
export function holdsManagedKey(s: string, env: Env): string | undefined {
  const seen = new Set<string>();
  const queue: { text: string; env: Env; via?: string }[] = [{ text: s, env }];
  while (queue.length > 0 && seen.size < MAX_HELD) {
    const { text, env: at, via } = queue.shift()!;
    for (const m of text.matchAll(/\b(local|var)\.([A-Za-z_][\w-]*)/g)) {
      const name = `${m[1]}.${m[2]}`;
      const source =
        m[1] === 'local' ? { expr: at.locals.get(m[2]), env: at } : { expr: at.vars.get(m[2])?.expr, env: at.vars.get(m[2])?.env ?? at };
      const key = `${name}\0${source.expr}`;
      if (source.expr === undefined || seen.has(key)) continue;
      seen.add(key);
      if (mentionsManagedKey(source.expr)) return via ?? name;
      queue.push({ text: source.expr, env: source.env, via: via ?? name });
    }
  }
  return undefined;
}

/**
 * A format/join key as evaluate gives a template string (`shape`: some piece not known, as `*`), each piece's local or
 * variable read in `env` (the why: what decided it, "key_alias defaults to ..."), where the value names the AWS managed
 * key (a key of the user's is read as before); undefined otherwise.
 */
export function composedEvaluation(expr: string, env: Env): Evaluated | undefined {
  const v = composedValue(soleInterpolation(expr) ?? expr.trim(), env);
  if (!v || !isAwsManagedKeyRef(v.text)) return undefined;
  return v.known ? { known: true, value: v.text, why: v.why } : { known: false, why: v.why, shape: v.text };
}

/** format/join's value: its text, a piece not known as `*` (`known` false); undefined for another expression. */
function composedValue(s: string, env: Env): { text: string; known: boolean; why: string[] } | undefined {
  const call = callOf(s);
  if (!call || (call.fn !== 'format' && call.fn !== 'join')) return undefined;
  const why: string[] = [];
  let known = true;
  const piece = (item: string | undefined): string | undefined => {
    const v = item === undefined ? undefined : evaluate(item, env);
    for (const w of v?.why ?? []) if (!why.includes(w)) why.push(w);
    if (v?.known && v.value !== null) return String(v.value);
    known = false;
    return v && !v.known ? v.shape : undefined;
  };
  const text = call.fn === 'format' ? formatted(call.args, piece) : joined(call.args, piece);
  return text === undefined ? undefined : { text, known, why };
}

/** `fn(args)` as the whole expression (its closing parenthesis the last character). */
function callOf(s: string): { fn: string; args: string[] } | undefined {
  const m = /^([a-z_][a-z0-9_]*)\s*\(/.exec(s);
  if (!m || !s.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = m[0].length - 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = quotedEnd(s, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) {
      if (i !== s.length - 1) return undefined;
      const args = splitTop(s.slice(m[0].length, -1));
      return args.length > MAX_PARTS ? undefined : { fn: m[1], args };
    }
  }
  return undefined;
}

/** A piece's text as evaluated (a template's unknown interpolations `*`); undefined when not known at all. */
type Piece = (item: string | undefined) => string | undefined;

/** format(spec, args...): the spec with each verb replaced by its argument's text (`*` when not a literal). */
function formatted(args: string[], pieces: Piece): string | undefined {
  const spec = pieces(args[0]);
  if (spec === undefined) return undefined;
  let n = 1;
  return spec.replace(/%%|%[-+# 0]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z]/g, (verb) => (verb === '%%' ? '%' : joinPieces([pieces(args[n++])])));
}

/** join(delimiter, [items]): the items joined (`*` for one that is not a literal); undefined for another list. */
function joined(args: string[], pieces: Piece): string | undefined {
  const delimiter = pieces(args[0]);
  const list = args[1]?.trim();
  if (delimiter === undefined || args.length !== 2 || !list?.startsWith('[') || !list.endsWith(']')) return undefined;
  const items = splitTop(list.slice(1, -1));
  return items.length > MAX_PARTS ? undefined : joinPieces(items.map(pieces), delimiter);
}

/** The arguments of a `coalesce(...)`/`try(...)` written as the whole key (one of which it takes), else []. */
export function choiceArguments(expr: string): string[] {
  const call = callOf(soleInterpolation(expr) ?? expr.trim());
  return call && (call.fn === 'coalesce' || call.fn === 'try') ? call.args : [];
}
