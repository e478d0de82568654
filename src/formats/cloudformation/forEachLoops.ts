/**
 * `Fn::ForEach` (AWS::LanguageExtensions): the resources of a Resources mapping with the loops that generate them
 * (`resourceEntries`), a loop's table's key read per value (`readPerValue`), how a loop's table is reported
 * (`loopPath`, `loopAddress`) and named (`namingLoops`).
 */
import type { EncryptionFacts } from '../../rule/facts.js';
import { type Defaults, loopKeySetting, parameterDefault } from '../cfn-values/settings.js';
import { expand, listable, type NamingLoop } from './loopNames.js';
import { child, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import type { ForEachLoop } from './tableTypes.js';

export const FOR_EACH = 'Fn::ForEach::';

/**
 * The resources of a Resources mapping, each with the innermost loop that generates it: a loop's
 * body is read as resources too, and so is the body of a loop inside it (any depth).
 */
export function resourceEntries(resources: CMap, defaults: Defaults | undefined, outer?: ForEachLoop): { rp: CPair; loop?: ForEachLoop }[] {
  return resources.pairs.flatMap((rp) => {
    const loop = forEachLoop(rp, defaults, outer);
    if (loop) return resourceEntries(loop.body, defaults, loop);
    return [outer ? { rp, loop: outer } : { rp }];
  });
}

/** A `Fn::ForEach::X` pair of Resources (or of a loop body) as a loop, when it has the documented shape. */
function forEachLoop(rp: CPair, defaults: Defaults | undefined, outer?: ForEachLoop): ForEachLoop | undefined {
  if (!rp.key.startsWith(FOR_EACH)) return undefined;
  const v = resolveAlias(rp.value);
  if (v?.kind !== 'seq' || v.items.length !== 3) return undefined;
  const identifier = scalarString(v.items[0]);
  const body = resolveAlias(v.items[2]);
  if (identifier === undefined || body?.kind !== 'map') return undefined;
  const loop: ForEachLoop = { pair: rp, identifier, body };
  if (outer) loop.outer = outer;
  const collection = resolveAlias(v.items[1]);
  const values = collectionValues(collection, defaults);
  if (values) loop.values = values;
  if (values && collection?.kind === 'seq') loop.listed = true;
  return loop;
}

function collectionValues(node: CNode | null | undefined, defaults: Defaults | undefined): string[] | undefined {
  if (node?.kind === 'seq') {
    const values = node.items.map((i) => scalarString(i));
    return values.every((x) => x !== undefined) ? (values as string[]) : undefined;
  }
  const param = parameterDefault(node, defaults);
  const list = param ? scalarString(param.value) : undefined;
  return list === undefined ? undefined : list.split(',').map((x) => x.trim());
}

/**
 * The table's key read per value of its loops (settings.ts loopKeySetting), where it names an identifier and was not
 * already unknown (a Fn::FindInMap on `!Ref Name` is read by the mapping's values); a key that is the AWS managed key
 * for some tables only is not fixed in the loop body.
 */
export function readPerValue(text: string, encryption: EncryptionFacts, props: CNode | null | undefined, loop: ForEachLoop): void {
  const settings = encryption.settings;
  if (settings.model !== 'sse' || !settings.key || settings.key.state === 'unreadable') return;
  const node = child(resolveAlias(child(props, 'SSESpecification') ?? null), 'KMSMasterKeyId');
  const loops = loopChain(loop).map((l) => ({
    path: loopPath(l),
    identifier: l.identifier,
    ...(l.listed && l.values ? { values: l.values } : {}),
  }));
  const read = loopKeySetting(text, node, loops);
  if (!read) return;
  encryption.settings = { ...settings, key: read.setting };
  if (read.partly) encryption.obstacles.push({ kind: 'for-each', loop: loopPath(loop), why: read.partly });
}

/** The loops from the outermost to this one. */
export function loopChain(loop: ForEachLoop): ForEachLoop[] {
  return loop.outer ? [...loopChain(loop.outer), loop] : [loop];
}

/** A loop as reported: its key, after those of the loops that hold it (`Fn::ForEach::Envs/Fn::ForEach::Tables`). */
export function loopPath(loop: ForEachLoop): string {
  return loopChain(loop)
    .map((l) => l.pair.key)
    .join('/');
}

/**
 * How a loop's table is reported: once per innermost loop, with the logical IDs the loops generate
 * (each outer value with each inner value), or its output key when a loop's values are not known or make more than
 * MAX_EXPANDED_IDS.
 */
export function loopAddress(loop: ForEachLoop, outputKey: string): string {
  let names: string[] | undefined = [outputKey];
  for (const l of loopChain(loop)) {
    const values = l.values;
    names = names && listable(names, values) ? names.flatMap((n) => values.map((v) => expand(n, l.identifier, v))) : undefined;
  }
  return `${loopPath(loop)}: ${names ? [...new Set(names)].join(', ') : outputKey}`;
}

/** A table's loops (outermost first) as naming reads them: values only where written as a list. */
export function namingLoops(loop: ForEachLoop | undefined): NamingLoop[] {
  return loop
    ? loopChain(loop).map((l) => ({ key: l.pair.key, identifier: l.identifier, ...(l.listed && l.values ? { values: l.values } : {}) }))
    : [];
}
