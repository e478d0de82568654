/**
 * What a table fixed through parameters (--fix-parameterised) was, for its roll back (`writtenBack`): its settings as
 * written, and its status under each combination of the values its parameters allow; `parametersOf`: the parameters
 * whose defaults decided a setting.
 */
import type { WrittenBack } from '../../rule/facts.js';
import type { Status } from '../../rule/status.js';
import { writtenPair } from '../cfn-values/writtenBack.js';
import { snippet } from '../yaml/scalars.js';
import type { Defaults } from '../cfn-values/settings.js';
import { child, type CMap, type CNode } from '../yaml/tree.js';

/** The parameters whose defaults decided (Setting.via, as viaParameter words it). */
export function parametersOf(via: string[]): string[] {
  return [...new Set(via.flatMap((v) => /^parameter (\S+)'s/.exec(v)?.[1] ?? []))];
}

/** At most this many combinations of parameters' AllowedValues are read for what a table was under each. */
const MAX_VALUE_COMBINATIONS = 16;

/**
 * What a table fixed through `parameters` (--fix-parameterised) was, for its roll back (src/rule/facts.ts WrittenBack):
 * its SSESpecification as written (a global table's: with that of the replica whose key the fix sets), and, where the
 * parameters list the values a deploy may pass (AllowedValues) and no SAM configuration says which each stack passes
 * (a Serverless service passes none: its Defaults are every stack's), its status under each (`status`: the table read
 * with those values as the Defaults).
 */
export function writtenBack(
  text: string,
  props: CNode | null | undefined,
  localReplica: CMap | undefined,
  parameters: string[],
  defaults: Defaults | undefined,
  status: (defaults: Defaults) => Status,
): WrittenBack {
  const back: WrittenBack = { block: writtenPair(text, props, 'SSESpecification') };
  if (localReplica)
    back.replica = { region: snippet(text, child(localReplica, 'Region')), block: writtenPair(text, localReplica, 'SSESpecification') };
  if (!defaults || defaults.service || defaults.envs) return back;
  const allowed = parameters.map((name) => ({ name, values: defaults.allowed?.get(name) }));
  if (allowed.some((a) => a.values === undefined)) return back;
  let combinations: { name: string; value: string }[][] = [[]];
  for (const a of allowed) combinations = combinations.flatMap((c) => a.values!.map((value) => [...c, { name: a.name, value }]));
  if (combinations.length < 2 || combinations.length > MAX_VALUE_COMBINATIONS) return back;
  back.values = combinations.map((c) => {
    const d: Defaults = Object.assign(new Map(defaults), defaults);
    for (const { name, value } of c) d.set(name, { kind: 'scalar', start: 0, end: 0, flow: false, value, quote: 'single' });
    return { when: c.map(({ name, value }) => `${name} ${value === '' ? "''" : value}`).join(', '), status: status(d) };
  });
  return back;
}
