/**
 * Whether an offset of a YAML text lies inside a scalar's own text (a block scalar's content lines, a quoted or
 * plain value spread over lines): a `#` there is string content, not a comment (adversarial pass of session 61,
 * F8: `# kmsfix:ignore` in a tag's `Value: |` suppressed its table). Keys are not nodes here: a `#` in a key is
 * not looked for.
 */
import type { CNode } from './tree.js';

export function inScalar(node: CNode | null | undefined, offset: number): boolean {
  let n = node;
  while (n && offset >= n.start && offset < n.end) {
    if (n.kind === 'scalar') return true;
    if (n.kind === 'alias') return false;
    let next: CNode | null | undefined;
    if (n.kind === 'map') {
      for (const p of n.pairs)
        if (p.value && offset >= p.value.start && offset < p.value.end) {
          next = p.value;
          break;
        }
    } else {
      for (const i of n.items)
        if (offset >= i.start && offset < i.end) {
          next = i;
          break;
        }
    }
    n = next;
  }
  return false;
}
