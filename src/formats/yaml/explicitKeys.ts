/**
 * YAML explicit keys (`? T` on one line, `: Type: ...` on the next): valid YAML, cfn-lint clean, and
 * rare. kmsfix's edits place new text by the columns of keys and values, which an explicit key's
 * `? ` and `: ` indicators shift (the value mapping of `? T` starts two columns in from the `:`): a
 * fix inserted the generated key inside the table and failed its own verification (adversarial pass
 * on input shapes, session 50). A table is declined at scan time, with where the key is, rather than
 * fixed wrongly, when a resource key of its mapping or a key inside the table's resource is explicit.
 */
import type { LineIndex } from '../../core/text.js';
import type { CMap, CNode, CPair } from './tree.js';

/** A document that may hold an explicit key: `?` then a space or line break, first on a line (after `- `) or after `{` / `,`. */
const MAY_HOLD = /^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|\r?$)|[{,][ \t]*\?[ \t]/m;

export function mayHoldExplicitKeys(text: string): boolean {
  return text.includes('?') && MAY_HOLD.test(text);
}

/**
 * Where the first explicit key is (1-based line and column of its `?`): a key of `resources` (the
 * mapping the fix adds the key and alias to, whose indentation it follows: one `? T` there misplaces
 * them for every table), else `pair`'s or one of any mapping inside its value.
 */
export function explicitKeyIn(text: string, lines: LineIndex, resources: CMap, pair: CPair): { line: number; column: number } | undefined {
  for (const p of resources.pairs) {
    const at = indicatorOf(text, p.keyStart);
    if (at !== undefined) return lines.position(at);
  }
  const visit = (node: CNode | null, depth: number): number | undefined => {
    if (!node || depth > 200) return undefined;
    if (node.kind === 'map')
      for (const p of node.pairs) {
        const found = indicatorOf(text, p.keyStart) ?? visit(p.value, depth + 1);
        if (found !== undefined) return found;
      }
    else if (node.kind === 'seq')
      for (const item of node.items) {
        const found = visit(item, depth + 1);
        if (found !== undefined) return found;
      }
    return undefined;
  };
  const found = visit(pair.value, 0);
  return found === undefined ? undefined : lines.position(found);
}

/** The offset of the `?` that makes the key at `keyStart` explicit: on its line before it, or alone on the line above. */
function indicatorOf(text: string, keyStart: number): number | undefined {
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const before = text.slice(lineStart, keyStart);
  const same = /(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)(\?)[ \t]+$/.exec(before);
  if (same) return lineStart + same.index + same[0].indexOf('?');
  if (!/^[ \t]*$/.test(before) || lineStart === 0) return undefined;
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const prev = /^[ \t]*(?:-[ \t]+)*(\?)[ \t]*\r?$/.exec(text.slice(prevStart, lineStart - 1));
  return prev ? prevStart + prev[0].indexOf('?') : undefined;
}
