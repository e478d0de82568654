/** Reading scalars of the YAML/JSON node tree (tree.ts) the way the YAML/JSON families need them. */
import type { CNode } from './tree.js';

export type Tri = true | false | 'unknown';

export function boolOf(node: CNode | null | undefined): Tri {
  if (node?.kind !== 'scalar' || node.tag) return 'unknown';
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string') {
    const v = node.value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return 'unknown';
}

export function snippet(text: string, node: CNode | null | undefined): string {
  if (!node) return '';
  let start = node.start;
  if (node.tag) {
    const t = text.lastIndexOf(node.tag, node.start);
    if (t !== -1 && node.start - t < 200) start = t;
  }
  const s = text.slice(start, node.end).replace(/\s+/g, ' ').trim();
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
