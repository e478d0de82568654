/**
 * A Pulumi YAML table switched off beside a customer-managed key of its own (`serverSideEncryption: { enabled: false,
 * kmsKeyArn }`, src/rule/cmk.ts switchedOff): its team chose that key, so a fix turns the switch on alone, the `false`
 * scalar made `true`, and keeps the key, generating none (as Terraform's detect.ts switchAlone). Only where the table
 * holds the switch itself: the resource, its properties and its serverSideEncryption written in place (no alias, no
 * merge key, no anchor another resource may alias). Elsewhere the table is fixed as any switched-off one (a key
 * generated). Read at detection (the kept key is named in the commit message); fix.ts edits the switch.
 */
import { switchOnlyFix } from '../../rule/cmk.js';
import { ownPair, type CNode, type CScalar } from '../yaml/tree.js';
import { SSE_PATH, type PulumiTable } from './tableTypes.js';

type Table = Pick<PulumiTable, 'pair' | 'resource' | 'encryption' | 'type'>;

/** The value of `key` the mapping holds itself, when neither it nor the value is anchored or an alias. */
function own(map: CNode | null | undefined, key: string): CNode | undefined {
  if (map?.kind !== 'map' || map.anchor !== undefined) return undefined;
  const value = ownPair(map, key)?.value;
  return value && value.kind !== 'alias' && value.anchor === undefined ? value : undefined;
}

/** The switch's `false` scalar and the key beside it, where a fix turns the switch on alone; undefined for any other table. */
function switchPlace(t: Table): { token: CScalar; key: CNode } | undefined {
  if (t.pair.value !== t.resource || !switchOnlyFix(t.encryption)) return undefined;
  const sse = own(own(t.resource, SSE_PATH.properties), SSE_PATH.sse);
  const token = own(sse, 'enabled');
  const key = own(sse, 'kmsKeyArn');
  return token?.kind === 'scalar' && token.value === false && !token.tag && key ? { token, key } : undefined;
}

/** The `false` scalar a fix makes `true` (switchPlace). */
export const switchToken = (t: Table): CScalar | undefined => switchPlace(t)?.token;

/** Is this table fixed by its switch alone, its own key kept (switchPlace)? */
export const switchAlone = (t: Table): boolean => switchPlace(t) !== undefined;

/** The key such a table keeps, as written in `text` (TableFacts.keptKey); undefined for any other table. */
export function keptKeyText(text: string, t: Table): string | undefined {
  const key = switchPlace(t)?.key;
  return key && text.slice(key.start, key.end);
}
