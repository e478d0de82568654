/**
 * A Pulumi YAML key written through a built-in function (session 58, adversarial F2): `fn::join: [":", ["arn:aws:kms",
 * "${region}", ..., "alias/aws/dynamodb"]]`, `fn::secret: alias/aws/dynamodb`. The joined text (an interpolation as
 * `*`) is judged as the rule says (src/rule/composedKey.ts); any other function whose strings hold alias/aws/dynamodb
 * may be that key (`unknown`). Undefined for a key that is none of those. An item that is one of the program's
 * `variables:` written alone (`"${ddbAlias}"`) is that variable's string (`variable`), as a key written as it is read.
 */
import { composedKeySetting, joinPieces, maybeManagedKey, mentionsManagedKey, MAX_PARTS } from '../../rule/composedKey.js';
import type { Setting } from '../../rule/facts.js';
import { type CNode, child, resolveAlias, scalarString, writtenStrings } from '../yaml/tree.js';

const OWN_READERS = new Set(['fn::invoke']);

/** The key's setting when it is a function of the AWS managed key (see above); undefined otherwise. */
export function composedKeySettingOf(
  node: CNode | null | undefined,
  source: string,
  raw: Setting['raw'],
  variable: (name: string) => string | undefined = () => undefined,
): Setting | undefined {
  const n = resolveAlias(node ?? null);
  // fn::invoke (a lookup) has its own reader (detect.ts).
  if (n?.kind !== 'map' || n.pairs.length !== 1 || !n.pairs[0].key.startsWith('fn::') || OWN_READERS.has(n.pairs[0].key)) return undefined;
  const value = itemText(n, 0, variable);
  const decided = value === undefined ? undefined : composedKeySetting([value], source, raw);
  if (decided) return decided;
  return writtenStrings(n).some(mentionsManagedKey) ? maybeManagedKey(source, raw) : undefined;
}

/** A string (each `${...}` as `*`), or the text a `fn::join` or `fn::secret` of such makes; undefined for anything else. */
function itemText(node: CNode | null | undefined, depth: number, variable: (name: string) => string | undefined): string | undefined {
  const n = resolveAlias(node ?? null);
  if (!n || depth > 4) return undefined;
  const s = scalarString(n);
  if (s !== undefined) return s.replace(/\$\{([^}]*)\}/g, (_, name: string) => joinPieces([variable(name.trim())]));
  if (n.kind !== 'map' || n.pairs.length !== 1) return undefined;
  const secret = child(n, 'fn::secret');
  if (secret !== undefined) return itemText(secret, depth + 1, variable);
  const join = resolveAlias(child(n, 'fn::join') ?? null);
  if (join?.kind !== 'seq' || join.items.length !== 2) return undefined;
  const delimiter = scalarString(resolveAlias(join.items[0]));
  const list = resolveAlias(join.items[1]);
  if (delimiter === undefined || list?.kind !== 'seq' || list.items.length > MAX_PARTS) return undefined;
  return joinPieces(
    list.items.map((i) => itemText(i, depth + 1, variable)),
    delimiter,
  );
}
