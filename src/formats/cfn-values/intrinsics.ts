/**
 * CloudFormation's intrinsic functions as a node tree holds them (`!Ref X`, `{Ref: X}`, `Fn::GetAtt`...): which one a
 * node is, its argument, the logical IDs it names. Shared by the CloudFormation family and the TypeScript family's
 * serverless.ts reader, whose resources are handed over as the same node tree (typescript/cfnTree.ts).
 */
import type { CNode } from '../yaml/tree.js';

const SHORT_TAG_FN: Record<string, string> = { '!Ref': 'Ref', '!Condition': 'Condition' };

export function intrinsicName(node: CNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.tag) return SHORT_TAG_FN[node.tag] ?? 'Fn::' + node.tag.slice(1);
  if (node.kind === 'map' && node.pairs.length === 1) {
    const k = node.pairs[0].key;
    if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return k;
  }
  return undefined;
}

export function intrinsicArg(node: CNode): CNode | null {
  return node.tag ? node : node.kind === 'map' ? node.pairs[0].value : null;
}

/** Logical IDs a key reference points at (Ref X, GetAtt X.Arn). */
export function referencedIds(node: CNode | null | undefined): string[] {
  const fn = intrinsicName(node);
  if (!node || !fn) return [];
  const arg = intrinsicArg(node);
  if (fn === 'Ref') return scalarValue(arg) ? [scalarValue(arg)!] : [];
  if (fn === 'Fn::GetAtt') {
    if (arg?.kind === 'scalar') return [String(arg.value).split('.')[0]];
    if (arg?.kind === 'seq' && arg.items[0]) {
      // In a Fn::ForEach body: `!GetAtt [!Sub '${Name}Key', Arn]` names the output key.
      const first = intrinsicName(arg.items[0]) === 'Fn::Sub' ? intrinsicArg(arg.items[0]) : arg.items[0];
      return scalarValue(first) ? [scalarValue(first)!] : [];
    }
  }
  return [];
}

/** A scalar's value as a string, tagged or not (a short `!Sub`'s template is the tagged scalar itself). */
export function scalarValue(node: CNode | null | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}
