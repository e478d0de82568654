/**
 * A CloudFormation table's encryption settings as written, on one line and in the file's own syntax, for the roll back
 * of a fix made through a parameter (--fix-parameterised; src/rule/facts.ts WrittenBack, src/report/rollback.ts): the
 * setting a parameter decides (`SSEEnabled: !Ref EnableSSE`) was what each stack passed, not the Default's value, so
 * the roll back gives the settings back as written and each stack gets its own back. One line, so that the commit
 * message can quote it: a block mapping of YAML becomes a flow mapping (`{SSEEnabled: !Ref EnableSSE}`), which
 * CloudFormation reads the same; JSON and a serverless.ts's object (typescript/cfnTree.ts) are already in flow form,
 * and are rebuilt the same way from their keys and values as written (a const's value followed, its name kept).
 */
import { type CNode, pair, resolveAlias } from '../yaml/tree.js';

/** A plain YAML scalar that a flow collection would cut or misread (`a,b`, `x: y`, a comment): written double-quoted. */
const FLOW_UNSAFE = /[,[\]{}]|: | #|^[!&*?|>%@`'"-]/;

/** A node as written, on one line (see above). */
export function oneLine(text: string, node: CNode | null | undefined): string {
  if (node === undefined || node === null) return 'null';
  if (node.kind === 'alias') {
    const target = resolveAlias(node);
    return target ? oneLine(text, target) : node.source;
  }
  const tag = node.tag ? `${node.tag} ` : '';
  if (node.kind === 'map')
    return `${tag}{${node.pairs.map((p) => `${text.slice(p.keyStart, p.keyEnd).trim()}: ${oneLine(text, p.value)}`).join(', ')}}`;
  if (node.kind === 'seq') return `${tag}[${node.items.map((i) => oneLine(text, i)).join(', ')}]`;
  const written = text.slice(node.start, node.end).replace(/\s+/g, ' ').trim();
  if (node.quote === 'block' || (node.quote === 'plain' && !node.code && FLOW_UNSAFE.test(written) && typeof node.value === 'string'))
    return tag + JSON.stringify(String(node.value ?? ''));
  return tag + written;
}

/**
 * The pair `key` of a mapping as written, on one line (`SSESpecification: {SSEEnabled: !Ref EnableSSE}`; its key as
 * the file writes it, `"SSESpecification"` in JSON); '' where the mapping has none.
 */
export function writtenPair(text: string, map: CNode | null | undefined, key: string): string {
  const p = pair(resolveAlias(map), key);
  return p ? `${text.slice(p.keyStart, p.keyEnd).trim()}: ${oneLine(text, p.value)}` : '';
}
