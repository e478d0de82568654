/**
 * Splits of a Terraform expression's text at its top level (not inside brackets or strings): the
 * items of a list or a call's arguments, and a conditional's three parts.
 */
import { quotedEnd } from '../../core/hclStrings.js';

/** The comma-separated items of `s` (a list's or a call's inside): `a, [b, c], "d,e"` -> 3 items. */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      // The string whole, its interpolations with their own strings and braces (core/hclStrings.ts).
      const end = quotedEnd(s, i);
      cur += s.slice(i, end);
      i = end - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** `c ? a : b` at the top level of `s` (not inside brackets or strings): [c, a, b], else undefined. */
export function splitConditional(s: string): [string, string, string] | undefined {
  let depth = 0;
  let q = -1;
  let nested = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      i = quotedEnd(s, i) - 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0 && ch === '?') {
      if (q < 0) q = i;
      else nested++;
    } else if (depth === 0 && ch === ':' && q >= 0) {
      if (nested > 0) nested--;
      else return [s.slice(0, q).trim(), s.slice(q + 1, i).trim(), s.slice(i + 1).trim()];
    }
  }
  return undefined;
}
