/**
 * A setting `Fn::If` chooses, in words for messages: the function, its condition and what the condition reads
 * (`chosen by Fn::If on condition UseKmsMasterKey (parameter KmsMasterKeyAlias, Default '')`). The value as
 * written says none of it once it is on one line: a block-style `!If` under SSESpecification read as
 * `!If - UseKmsMasterKey - SSEEnabled: true SSEType: KMS KMS...` (subhamay-bhattacharyya/aws-cfn-nested-stacks).
 */
import { type CNode, child, resolveAlias } from '../yaml/tree.js';
import { defaultValue } from './acrossEnvironments.js';
import { intrinsicArg, intrinsicName, referencedIds, scalarValue } from './intrinsics.js';
import type { Defaults } from './settings.js';

/** How many inputs a message names (a condition may read a dozen parameters through others). */
const MAX_INPUTS = 3;

/** A Default longer than this is cut (a message stays one short line). */
const MAX_DEFAULT = 30;

export function chosenByIf(condition: string, defaults: Defaults | undefined): string {
  const reads = readsOf(condition, defaults);
  const shown = reads.slice(0, MAX_INPUTS).map((name) => inputWords(name, defaults));
  if (reads.length > MAX_INPUTS) shown.push(`${reads.length - MAX_INPUTS} more`);
  return `chosen by Fn::If on condition ${condition}${shown.length > 0 ? ` (${shown.join('; ')})` : ''}`;
}

/** The names a condition `Ref`s, through the conditions it names (`!Condition Other`), each once, in text order. */
function readsOf(condition: string, defaults: Defaults | undefined): string[] {
  const conditions = defaults?.conditions;
  if (!conditions) return [];
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (node: CNode | null | undefined, depth: number): void => {
    const n = resolveAlias(node);
    if (!n || depth > 40) return;
    const fn = intrinsicName(n);
    if (fn === 'Ref') {
      const name = referencedIds(n)[0];
      if (name !== undefined) names.add(name);
      return;
    }
    if (fn === 'Condition') {
      const other = scalarValue(intrinsicArg(n));
      if (other !== undefined) named(other, depth + 1);
      return;
    }
    // A tagged scalar (`!Ref` is handled above) holds nothing to read.
    if (n.kind === 'map') for (const p of n.pairs) walk(p.value, depth + 1);
    else if (n.kind === 'seq') for (const item of n.items) walk(item, depth + 1);
  };
  const named = (name: string, depth: number): void => {
    if (seen.has(name)) return;
    seen.add(name);
    walk(child(conditions, name), depth);
  };
  named(condition, 0);
  return [...names];
}

/** `parameter X, Default ''`, `parameter X, no Default`, or the name (a pseudo parameter such as AWS::Region). */
function inputWords(name: string, defaults: Defaults | undefined): string {
  if (defaults?.ssm?.has(name)) return `parameter ${name}, read from SSM`;
  if (!defaults?.declared?.has(name)) return name;
  const d = defaultValue(defaults, name);
  if (d === undefined) return `parameter ${name}, no Default`;
  return `parameter ${name}, Default '${d.length > MAX_DEFAULT ? `${d.slice(0, MAX_DEFAULT - 3)}...` : d}'`;
}
