/**
 * Whether terragrunt deploys a unit at all: terragrunt's own ways to keep a unit out of a deploy, read from the unit's
 * own configuration (terragruntConfig.ts terragruntSkip). Before, a unit with `skip = true` or `exclude { if = true,
 * actions = ["all"] }` was named as deploying a fixed module folder: `fix` printed a note for it and `--commit` counted
 * its keys in the subject, the cost, KMS-request and roll-back notes (adversarial pass, session 56, F4).
 *
 * - `skip = true` (terragrunt's older attribute, deprecated for `exclude`): terragrunt skips the unit.
 * - `exclude { if = true, actions = [...] }` whose actions hold `all`, `all_except_output` or `apply`: terragrunt
 *   leaves the unit out of `run --all apply` (a `terragrunt apply` run in the unit's own folder still applies it,
 *   unless `no_run = true`: the unit is taken as not deploying, as `run --all` is how a tree of units is deployed).
 *   `if = false`, or actions without apply (`["plan"]`, `["destroy"]`): the unit deploys.
 * - A value that is not a literal (`skip = local.retired`, `if = feature.off.value`, `actions = local.actions`):
 *   terragrunt decides at run time; the unit `may` deploy, and why is said.
 *
 * A `skip` or `exclude` the unit takes from a file it includes is not read (docs/limitations.md).
 */
import { isExpr, isStr, type Value } from './hclvalue.js';
import { terragruntSkip } from './terragruntConfig.js';

export type UnitDeploys = { kind: 'yes' } | { kind: 'no'; why: string } | { kind: 'may'; why: string };

/** The actions of an `exclude` block that cover `apply` (terragrunt's exclude actions). */
const APPLY_ACTIONS = new Set(['all', 'all_except_output', 'apply']);

/** Whether terragrunt deploys the unit whose configuration is `text`. */
export function unitDeploys(text: string): UnitDeploys {
  if (!/\b(?:skip|exclude)\b/.test(text)) return { kind: 'yes' };
  const { skip, excludes } = terragruntSkip(text);
  const skipped = skip === undefined ? false : literalBool(skip);
  if (skipped === true) return { kind: 'no', why: 'skip = true' };
  let may = skipped === undefined ? `skip = ${shown(skip)}` : undefined;
  for (const e of excludes) {
    const on = e.if === undefined ? undefined : literalBool(e.if);
    if (on === false) continue;
    const actions = literalStrings(e.actions);
    if (actions !== undefined && !actions.some((a) => APPLY_ACTIONS.has(a))) continue;
    if (on === true && actions !== undefined) return { kind: 'no', why: `exclude { if = true, actions = ${JSON.stringify(actions)} }` };
    may ??=
      on === undefined
        ? `exclude { if = ${e.if === undefined ? 'not set' : shown(e.if)} }`
        : `exclude { actions = ${e.actions === undefined ? 'not set' : shown(e.actions)} }`;
  }
  return may === undefined ? { kind: 'yes' } : { kind: 'may', why: `its ${may} is not a literal kmsfix reads` };
}

/** `true` / `false` as written (HCL's literals, or a string terragrunt converts); undefined for anything else. */
function literalBool(v: Value): boolean | undefined {
  const s = isExpr(v) ? v.expr.trim() : isStr(v) ? v.str.trim() : undefined;
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/** A list of string literals; undefined for anything else. */
function literalStrings(v: Value | undefined): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const x of v) {
    if (!isStr(x) || /[$%]\{/.test(x.str)) return undefined;
    out.push(x.str);
  }
  return out;
}

/** A value as a message shows it, on one line, shortened. */
function shown(v: Value | undefined): string {
  const s = isExpr(v) ? v.expr.replace(/\s+/g, ' ') : isStr(v) ? JSON.stringify(v.str) : 'an expression';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
