/**
 * A template's own value as a value to write again elsewhere (yaml/values.ts), in the file's style: a table's `Tags`
 * copied onto its generated key. Intrinsics (`!Ref`, `Fn::If`, `!Sub`...) are kept as the functions they are
 * (render.ts writes them short or long as the file does), YAML aliases followed. Undefined for what is not plain
 * data (a null, a `!!` or unknown tag, a code value of a serverless.ts).
 */
import { resolveAlias, type CNode } from '../yaml/tree.js';
import { Intrinsic, type Value } from '../yaml/values.js';
import { intrinsicArg, intrinsicName } from './intrinsics.js';

/** Tags CloudFormation reads as functions, written short (`!If`); any other tag is not copied. */
const FUNCTION_TAG =
  /^!(?:Ref|Condition|Base64|Cidr|FindInMap|GetAtt|GetAZs|ImportValue|Join|Select|Split|Sub|Transform|If|And|Equals|Not|Or|ToJsonString|Length)$/;

export function copiedValue(node0: CNode | null | undefined, depth = 0): Value | undefined {
  const node = resolveAlias(node0);
  if (!node || node.code || depth > 32) return undefined;
  const fn = intrinsicName(node);
  if (fn) {
    if (node.tag && !FUNCTION_TAG.test(node.tag)) return undefined;
    const argNode = intrinsicArg(node);
    const arg = node.tag ? copiedValue({ ...argNode!, tag: undefined } as CNode, depth + 1) : copiedValue(argNode, depth + 1);
    if (arg === undefined) return undefined;
    // `!GetAtt Res.Attr` in long form is `Fn::GetAtt: [Res, Attr]`.
    if (fn === 'Fn::GetAtt' && typeof arg === 'string' && arg.includes('.')) {
      const i = arg.indexOf('.');
      return new Intrinsic(fn, [arg.slice(0, i), arg.slice(i + 1)], true);
    }
    return new Intrinsic(fn, arg, true);
  }
  if (node.tag) return undefined;
  if (node.kind === 'scalar') {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (node.kind === 'seq') {
    const items: Value[] = [];
    for (const item of node.items) {
      const v = copiedValue(item, depth + 1);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return items;
  }
  if (node.kind === 'map') {
    const out: { [key: string]: Value } = {};
    for (const p of node.pairs) {
      // A merge key (`<<: *base`) is not copied as such: such a map is left out.
      if (p.key === '<<') return undefined;
      const v = copiedValue(p.value, depth + 1);
      if (v === undefined) return undefined;
      out[p.key] = v;
    }
    return out;
  }
  return undefined;
}
