/** Reading scalars of the YAML/JSON node tree (tree.ts) the way the YAML/JSON families need them. */
import type { CNode } from './tree.js';

export type Tri = true | false | 'unknown';

/**
 * YAML 1.1's other booleans, which CloudFormation reads in a template (it parses YAML 1.1): plain
 * `yes`, `on` and their cases are true, `no` and `off` false; `y` and `n` stay strings there.
 */
const YAML11_BOOLS = new Map<string, boolean>([
  ...['yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((v): [string, boolean] => [v, true]),
  ...['no', 'No', 'NO', 'off', 'Off', 'OFF'].map((v): [string, boolean] => [v, false]),
]);

/** Set, and not literally false (a tag, an expression or a variable may be true): `DeletionProtectionEnabled`, a recovery switch. */
export function notFalse(node: CNode | null | undefined, yaml11 = false): boolean {
  return node !== undefined && node !== null && boolOf(node, yaml11) !== false;
}

/**
 * A scalar's boolean: YAML's true and false, the strings "true" and "false" in any case, and with
 * `yaml11` (a CloudFormation or SAM template written in YAML) YAML 1.1's plain yes/no/on/off.
 */
export function boolOf(node: CNode | null | undefined, yaml11 = false): Tri {
  if (node?.kind !== 'scalar' || node.tag) return 'unknown';
  if (typeof node.value === 'boolean') return node.value;
  if (yaml11 && node.quote === 'plain' && typeof node.value === 'string') {
    const b = YAML11_BOOLS.get(node.value);
    if (b !== undefined) return b;
  }
  if (typeof node.value === 'string') {
    const v = node.value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return 'unknown';
}

/** A node as written, its tag with it, on one line (snippet: shortened for messages). */
export function writtenText(text: string, node: CNode | null | undefined): string {
  if (!node) return '';
  let start = node.start;
  if (node.tag) {
    const t = text.lastIndexOf(node.tag, node.start);
    if (t !== -1 && node.start - t < 200) start = t;
  }
  return text.slice(start, node.end).replace(/\s+/g, ' ').trim();
}

/** A node as written (writtenText), cut to 60 characters for messages. */
export function snippet(text: string, node: CNode | null | undefined): string {
  const s = writtenText(text, node);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
