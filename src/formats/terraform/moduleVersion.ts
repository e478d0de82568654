/**
 * The versions a registry module call can get, as far as its pin says: a git source's `?ref=` tag
 * (`tags/0.15.0`, `v1.2.0`) or the `version` constraint of a registry source (`"0.13.0"`,
 * `"= 0.13.0"`, `"~> 0.21.0"`, `">= 0.10, < 0.22"`), compared with the first version of the module
 * that has what a fix writes or reads. The ref is read as gitOrigin.ts reads a git source (go-getter's split).
 */
import { gitRef } from './gitOrigin.js';

type Version = [number, number, number];

function parse(text: string): { v: Version; parts: number } | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts: m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1 };
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The highest version a constraint allows: undefined when it has no upper bound (or kmsfix cannot read it). */
function upperBound(constraint: string): { v: Version; inclusive: boolean } | undefined {
  let upper: { v: Version; inclusive: boolean } | undefined;
  for (const part of constraint.split(',')) {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/.exec(part);
    const p = m && parse(m[2]);
    if (!m || !p) return undefined;
    const op = m[1] ?? '=';
    const { v, parts } = p;
    const bound =
      op === '=' || op === '<='
        ? { v, inclusive: true }
        : op === '<'
          ? { v, inclusive: false }
          : op === '~>'
            ? { v: (parts === 3 ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0]) as Version, inclusive: false }
            : undefined;
    if (bound && (!upper || compare(bound.v, upper.v) < 0 || (compare(bound.v, upper.v) === 0 && !bound.inclusive))) upper = bound;
  }
  return upper;
}

/**
 * The pin as written (`ref=tags/0.15.0`, `version = "~> 0.13"`) when every version it allows is
 * older than `minimum`; undefined when a version it allows has it, or nothing pins the call.
 */
export function pinnedBelow(source: string, version: string | undefined, minimum: string): string | undefined {
  const min = parse(minimum)!.v;
  const ref = gitRef(source);
  const tag = ref === undefined ? undefined : parse(ref.replace(/^(?:refs\/)?(?:tags\/)?/, ''));
  if (tag && compare(tag.v, min) < 0) return `ref=${ref}`;
  const upper = version === undefined ? undefined : upperBound(version);
  if (upper && (upper.inclusive ? compare(upper.v, min) < 0 : compare(upper.v, min) <= 0)) return `version = "${version}"`;
  return undefined;
}
