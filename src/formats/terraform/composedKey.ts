/**
 * A kms_key_arn written through Terraform's string functions: `format("arn:%s:kms:%s:%s:alias/aws/dynamodb", ...)`,
 * `join(":", ["arn:aws:kms", ..., "alias/aws/dynamodb"])`. Their literal pieces, joined (an argument kmsfix does not
 * know as `*`), decide it as the rule says (src/rule/composedKey.ts): the AWS managed key when the text names it. Any
 * other expression whose text holds `alias/aws/dynamodb` (`coalesce(..., "alias/aws/dynamodb")`,
 * `data.aws_kms_key.byeach["alias/aws/dynamodb"].arn`, `element([...], 0)`, `lower(...)`) may be that key: not known.
 */
import { quotedEnd } from '../../core/hclStrings.js';
import { composedKeySetting, joinPieces, maybeManagedKey, mentionsManagedKey, MAX_PARTS } from '../../rule/composedKey.js';
import type { Setting } from '../../rule/facts.js';
import { soleInterpolation } from './inputUses.js';
import { splitTop } from './split.js';

/** The key's setting when it is written through format/join or holds the AWS managed key's alias; undefined otherwise. */
export function composedKeySettingOf(expr: string, raw: Setting['raw']): Setting | undefined {
  const s = soleInterpolation(expr) ?? expr.trim();
  const call = callOf(s);
  const value = call && (call.fn === 'format' ? formatted(call.args) : call.fn === 'join' ? joined(call.args) : undefined);
  if (value !== undefined) {
    const setting = composedKeySetting([value], expr.trim(), raw);
    if (setting) return setting;
  }
  return mentionsManagedKey(s) ? maybeManagedKey(expr.trim(), raw) : undefined;
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

/** A quoted string's text, each interpolation as undefined pieces (`*`); undefined for anything else. */
function pieces(item: string | undefined): string | undefined {
  const s = item?.trim();
  if (!s?.startsWith('"') || quotedEnd(s, 0) !== s.length || s.includes('%{')) return undefined;
  const parts = s.slice(1, -1).split(/\$\{[^}]*\}/);
  if (parts.some((p) => p.includes('$') || p.includes('"'))) return undefined;
  return parts.map((p) => p.replace(/\\(["\\])/g, '$1')).join(joinPieces([undefined]));
}

/** format(spec, args...): the spec with each verb replaced by its argument's text (`*` when not a literal). */
function formatted(args: string[]): string | undefined {
  const spec = pieces(args[0]);
  if (spec === undefined) return undefined;
  let n = 1;
  return spec.replace(/%%|%[-+# 0]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z]/g, (verb) => (verb === '%%' ? '%' : joinPieces([pieces(args[n++])])));
}

/** join(delimiter, [items]): the items joined (`*` for one that is not a literal); undefined for another list. */
function joined(args: string[]): string | undefined {
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
