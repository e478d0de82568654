/**
 * A file that ends inside a block scalar, with no line break after its last line (`Notes: |` then
 * `  Owned by team-orders.` at the very end). Clip (`|`, `>`) and keep (`|+`) chomping give the value a
 * final line break only when one follows: anything a fix adds after it (a key and alias appended to
 * Resources, a setting after the table's last property) would change that value. The `yaml` package
 * reads such a scalar as if the line break were there (as the fast parser does, to match it), so
 * verification, which compares what it resolves, cannot see the change: the fix is declined instead.
 */
import type { CNode } from './tree.js';
import type { Edit } from '../../core/types.js';
import type { Obstacle } from '../../rule/facts.js';

/** The block scalar the text ends in, without a final line break, whose chomping keeps a line break (clip or keep); undefined otherwise. */
export function eofBlockScalar(text: string, roots: (CNode | null)[]): CNode | undefined {
  if (text.length === 0 || text.endsWith('\n')) return undefined;
  let node: CNode | null | undefined = roots[roots.length - 1];
  // The last node of the last document: the value of its last pair, or its last item, down to a scalar.
  while (node && node.kind !== 'scalar') {
    if (node.kind === 'map') node = node.pairs[node.pairs.length - 1]?.value;
    else if (node.kind === 'seq') node = node.items[node.items.length - 1];
    else return undefined;
  }
  if (node?.quote !== 'block') return undefined;
  const lineEnd = text.indexOf('\n', node.start);
  const header = /[|>]([-+1-9]{0,2})\s*(?:#.*)?$/.exec(text.slice(node.start, lineEnd === -1 ? text.length : lineEnd).trimEnd());
  return header && !header[1].includes('-') ? node : undefined;
}

const EOF_SCALAR_STEP =
  'the file ends inside a block scalar (| or >) with no line break after its last line, and what a fix adds after it ' +
  'would give that value a final line break: end the file with a line break (or write the scalar |- ), then run kmsfix again';

/** The reason not to fix, when a plan's edits would put text after such a scalar. */
export function eofScalarObstacle(text: string, roots: (CNode | null)[], edits: Edit[]): string | undefined {
  const scalar = eofBlockScalar(text, roots);
  if (!scalar || !edits.some((e) => e.end >= text.length || e.start >= scalar.start)) return undefined;
  return EOF_SCALAR_STEP;
}

/**
 * What scan tells of a table before any plan, when the file's final block scalar (`scalar`, from eofBlockScalar)
 * lies in a node a fix of the table adds to: in the table's properties (`props`), any fix's setting would follow it
 * (code-shape); elsewhere (`others`: its resource, which the key follows; Pulumi's variables), only a generated key
 * and alias would (generated-key: a fix with a key given is not stopped). The plan's own check (eofScalarObstacle)
 * stays the last word.
 */
export function eofScalarWithin(
  scalar: CNode | undefined,
  props: CNode | null | undefined,
  others: (CNode | null | undefined)[],
): Extract<Obstacle, { kind: 'code-shape' | 'generated-key' }> | undefined {
  const within = (n: CNode | null | undefined) => scalar && n && n.start <= scalar.start && scalar.start < n.end;
  if (within(props)) return { kind: 'code-shape', step: EOF_SCALAR_STEP };
  return others.some(within) ? { kind: 'generated-key', step: EOF_SCALAR_STEP } : undefined;
}
