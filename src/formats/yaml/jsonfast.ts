/**
 * A fast parser for strict JSON (RFC 8259) producing the same node tree as the reference path
 * (`jsonc-parser`, tree.ts), or nothing: on any error it returns undefined and the caller parses
 * again with `jsonc-parser`, which reports the error with its position. About three times the
 * speed of `jsonc-parser`'s tree. A repeated key also sends the text there (tree.ts keeps its
 * offset in ParsedDoc.duplicates). test/formats/yaml/json-fast.test.ts compares the two.
 */
import type { CNode, CPair } from './tree.js';
import { attempt, giveUp } from '../../core/fastparse.js';
import { isDuplicate, keySet } from './keys.js';

let s = '';
let n = 0;
let p = 0;

export function parseJsonFast(text: string): CNode | undefined {
  s = text;
  n = text.length;
  p = 0;
  try {
    return attempt(() => {
      space();
      const root = value();
      space();
      if (p !== n) giveUp();
      return root;
    });
  } finally {
    s = '';
  }
}

function space(): void {
  for (;;) {
    const c = s.charCodeAt(p);
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return;
  }
}

function value(): CNode {
  const c = s.charCodeAt(p);
  if (c === 123 /* { */) return object();
  if (c === 91 /* [ */) return array();
  if (c === 34 /* " */) {
    const start = p;
    const v = string();
    return { kind: 'scalar', start, end: p, flow: false, value: v, quote: 'double' };
  }
  return plain();
}

/** A number, `true`, `false` or `null` at p. */
function plain(): CNode {
  const start = p;
  let v: unknown;
  if (s.startsWith('true', p)) {
    p += 4;
    v = true;
  } else if (s.startsWith('false', p)) {
    p += 5;
    v = false;
  } else if (s.startsWith('null', p)) {
    p += 4;
    v = null;
  } else v = number();
  // A keyword glued to more letters (`nullx`) is an error.
  const d = s.charCodeAt(p);
  if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57)) giveUp();
  return { kind: 'scalar', start, end: p, flow: false, value: v, quote: 'plain' };
}

function digits(): void {
  const from = p;
  while (s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p++;
  if (p === from) giveUp();
}

function number(): number {
  const start = p;
  if (s.charCodeAt(p) === 45 /* - */) p++;
  if (s.charCodeAt(p) === 48) p++;
  else digits();
  if (s.charCodeAt(p) === 46 /* . */) {
    p++;
    digits();
  }
  const e = s.charCodeAt(p);
  if (e === 101 || e === 69) {
    p++;
    if (s.charCodeAt(p) === 43 || s.charCodeAt(p) === 45) p++;
    digits();
  }
  return Number(s.slice(start, p));
}

/** A string at p (its quotes included); returns its value. */
function string(): string {
  const start = ++p;
  for (;;) {
    if (p >= n) giveUp();
    const c = s.charCodeAt(p);
    if (c === 34) break;
    if (c < 32) giveUp();
    if (c === 92 /* \ */) return escaped(start);
    p++;
  }
  p++;
  return s.slice(start, p - 1);
}

/**
 * The rest of a string that holds an escape, from its first backslash at p (`start`: the string's
 * first character). Apart from string(), whose loop stays small: most strings have none.
 */
function escaped(start: number): string {
  let out = '';
  let from = start;
  for (;;) {
    if (p >= n) giveUp();
    const c = s.charCodeAt(p);
    if (c === 34) break;
    if (c < 32) giveUp();
    if (c === 92 /* \ */) {
      out += s.slice(from, p);
      const x = s[p + 1];
      switch (x) {
        case '"':
        case '\\':
        case '/':
          out += x;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(p + 2, p + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) giveUp();
          out += String.fromCharCode(parseInt(hex, 16));
          p += 4;
          break;
        }
        default:
          giveUp();
      }
      p += 2;
      from = p;
      continue;
    }
    p++;
  }
  const v = out + s.slice(from, p);
  p++;
  return v;
}

function object(): CNode {
  const start = p++;
  const pairs: CPair[] = [];
  let keys: Set<string> | undefined;
  space();
  if (s.charCodeAt(p) !== 125) {
    for (;;) {
      if (s.charCodeAt(p) !== 34) giveUp();
      const keyStart = p;
      const key = string();
      // A repeated key: the reference path keeps it in ParsedDoc.duplicates.
      if (isDuplicate(pairs, key, keys)) giveUp();
      const keyEnd = p;
      space();
      if (s.charCodeAt(p) !== 58 /* : */) giveUp();
      p++;
      space();
      const v = value();
      pairs.push({ key, keyStart, keyEnd, value: v });
      keys = keySet(pairs, keys);
      space();
      const c = s.charCodeAt(p);
      if (c === 44 /* , */) {
        p++;
        space();
        continue;
      }
      if (c !== 125) giveUp();
      break;
    }
  }
  p++;
  return { kind: 'map', start, end: p, flow: true, pairs };
}

function array(): CNode {
  const start = p++;
  const items: CNode[] = [];
  space();
  if (s.charCodeAt(p) !== 93) {
    for (;;) {
      items.push(value());
      space();
      const c = s.charCodeAt(p);
      if (c === 44) {
        p++;
        space();
        continue;
      }
      if (c !== 93) giveUp();
      break;
    }
  }
  p++;
  return { kind: 'seq', start, end: p, flow: true, items };
}
