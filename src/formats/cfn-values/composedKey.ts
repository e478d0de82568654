/**
 * A KMSMasterKeyId composed from parameters: `!Sub alias/${KeyAlias}`, `!Sub [alias/${Name}, {Name: !Ref KeyAlias}]`,
 * `!Join ['', [alias/, !Ref KeyAlias]]`. Its value is the text with each parameter's value in place: the Default
 * (as Checkov and cfn-nag evaluate a `!Ref`), or each environment's of a SAM configuration (environments.ts).
 * `KeyAlias` defaulting to `aws/dynamodb` makes it the AWS managed key, whatever the text around it says.
 * Pseudo parameters (`${AWS::Region}`) and attributes (`${Key.Arn}`) stay as written: they never name the key.
 * A piece that is an `Fn::FindInMap` every deploy looks up to one string (mapLookup, as a key written as the lookup is
 * read) is that string (`!Join [':', [..., !FindInMap [Keys, ddb, alias]]]`).
 */
import type { Setting } from '../../rule/facts.js';
import { composedKeySetting, maybeManagedKey, mentionsManagedKey, MAX_PARTS } from '../../rule/composedKey.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { type CNode, resolveAlias, scalarString, writtenStrings } from '../yaml/tree.js';
import { defaultValue, everyDeploy, keyAcross, valueIn } from './acrossEnvironments.js';
import { mapLookup } from './environments.js';
import { intrinsicArg, intrinsicName, referencedIds, scalarValue } from './intrinsics.js';
import type { Defaults } from './settings.js';

/** A piece of the composed text: written text, a declared parameter's value, or something kept as written. */
type Part = { text: string } | { param: string };

/**
 * The key's setting where it reads a parameter (undefined otherwise, or where the values give no
 * decision the text does not already give: settings.ts then reads it as before).
 */
export function composedKey(node: CNode, defaults: Defaults | undefined, source: string, raw: Setting['raw']): Setting | undefined {
  const parts = partsOf(node, defaults?.declared ?? new Set(), lookedUp(defaults));
  const params = [...new Set(parts?.flatMap((p) => ('param' in p ? [p.param] : [])) ?? [])];
  // No parameter: the written pieces decide, as the rule reads a composed key (`!Join ['/', [alias, aws, dynamodb]]`).
  if (!parts) {
    const selected = selectedKey(node, source, raw);
    return selected === null ? undefined : (selected ?? mentioned(node, source, raw));
  }
  if (params.length === 0) return composedKeySetting([render(parts, () => undefined) ?? ''], source, raw) ?? mentioned(node, source, raw);
  if (!defaults?.declared) return undefined;
  if (defaults.reads) defaults.reads.inputs = true;
  const names = params.join(', ');
  const envs = defaults.envs;
  if (envs?.unreadable !== undefined)
    return {
      state: 'unreadable',
      source: `KMSMasterKeyId is ${source}, whose ${names} is set in ${envs.file}, which kmsfix cannot read (${envs.unreadable})`,
      raw,
    };
  const computed = params.flatMap((p) => envs?.list.find((e) => e.computed?.has(p))?.computed?.get(p) ?? []);
  if (computed.length > 0)
    return {
      state: 'unreadable',
      source: `KMSMasterKeyId is ${source}, whose ${names} is set in ${computed[0]}, which kmsfix does not evaluate`,
      raw,
    };
  if (envs?.list.some((e) => params.some((p) => e.values.has(p)))) {
    const value = valueIn(defaults);
    // An environment where a parameter has no value (no Default) deploys nothing.
    const values = envs.list.flatMap((e) => {
      const v = render(parts, (p) => value(e, p));
      return v === undefined ? [] : [{ env: e.name, value: v }];
    });
    if (values.length > 0) return keyAcross({ name: names, values, file: envs.file }, source, raw, true);
  }
  const text = render(parts, (p) => defaultValue(defaults, p));
  if (text === undefined || !isAwsManagedKeyRef(text)) return undefined;
  const via = params.map((p) => `parameter ${p}'s default (${defaultValue(defaults, p) || "''"})`).join(', ');
  return { state: 'literal', source, text: text.trim() === '' ? '' : AWS_MANAGED_ALIAS, raw, via };
}

/** The text with each parameter's value; undefined where one has none. */
function render(parts: Part[], value: (param: string) => string | undefined): string | undefined {
  let out = '';
  for (const p of parts) {
    const v = 'text' in p ? p.text : value(p.param);
    if (v === undefined) return undefined;
    out += v;
  }
  return out;
}

/** The one string an `Fn::FindInMap` gives in every deploy (mapLookup); undefined for another node, or several values. */
type LookedUp = (node: CNode | null) => string | undefined;

function lookedUp(defaults: Defaults | undefined): LookedUp {
  return (node) => {
    if (!defaults || intrinsicName(node) !== 'Fn::FindInMap') return undefined;
    const found = mapLookup(resolveAlias(intrinsicArg(node!)), everyDeploy(defaults));
    return found && !found.other && found.values.size === 1 ? [...found.values][0] : undefined;
  };
}

/** An `Fn::Sub` or `Fn::Join` as parts; undefined for another node, or one kmsfix does not read. */
function partsOf(node: CNode, declared: Set<string>, looked: LookedUp = () => undefined, depth = 0): Part[] | undefined {
  const fn = intrinsicName(node);
  const arg = resolveAlias(intrinsicArg(node));
  if (fn === 'Fn::Sub') {
    const [template, vars] = arg?.kind === 'seq' ? [resolveAlias(arg.items[0] ?? null), resolveAlias(arg.items[1] ?? null)] : [arg, null];
    const s = scalarValue(template);
    if (s === undefined || (vars !== null && vars.kind !== 'map')) return undefined;
    const parts: Part[] = [];
    let at = 0;
    for (const m of s.matchAll(/\$\{([^}]*)\}/g)) {
      if (parts.length > MAX_PARTS) return undefined;
      parts.push({ text: s.slice(at, m.index) });
      at = m.index + m[0].length;
      const name = m[1].trim();
      // `${!Literal}` is the text `${Literal}`.
      if (name.startsWith('!')) {
        parts.push({ text: `\${${name.slice(1)}}` });
        continue;
      }
      const own = vars?.kind === 'map' ? vars.pairs.find((p) => p.key === name) : undefined;
      parts.push(
        ...(own
          ? partOf(resolveAlias(own.value), declared, m[0], looked, depth)
          : declared.has(name)
            ? [{ param: name }]
            : [{ text: m[0] }]),
      );
    }
    parts.push({ text: s.slice(at) });
    return parts;
  }
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const delimiter = scalarString(resolveAlias(arg.items[0] ?? null));
    const list = resolveAlias(arg.items[1] ?? null);
    if (delimiter === undefined) return undefined;
    // A list `Fn::Split` makes of a literal string (`!Join ['', !Split ['-', 'alias/aws/dynamo-db']]`): its pieces.
    const split = splitItems(list);
    if (split) return split.flatMap((text, i) => (i === 0 ? [{ text }] : [{ text: delimiter }, { text }]));
    if (list?.kind !== 'seq' || list.items.length > MAX_PARTS) return undefined;
    return list.items.flatMap((item, i) => {
      const part = partOf(resolveAlias(item), declared, '${...}', looked, depth);
      return i === 0 ? part : [{ text: delimiter }, ...part];
    });
  }
  return undefined;
}

/** The strings `Fn::Split` makes of a literal delimiter and string; undefined for another node. */
function splitItems(node: CNode | null): string[] | undefined {
  if (intrinsicName(node) !== 'Fn::Split') return undefined;
  const arg = resolveAlias(intrinsicArg(node!));
  if (arg?.kind !== 'seq') return undefined;
  const delimiter = scalarValue(resolveAlias(arg.items[0] ?? null));
  const source = resolveAlias(arg.items[1] ?? null);
  const text = source && !intrinsicName(source) ? scalarString(source) : undefined;
  if (!delimiter || text === undefined) return undefined;
  const items = text.split(delimiter);
  return items.length > MAX_PARTS ? undefined : items;
}

/**
 * A value inside the key: written text (or a lookup's one value), `!Ref` to a declared parameter, an `Fn::Sub` or
 * `Fn::Join` read as its own parts (`!Sub ['${A}', {A: !Join ['', [alias/aws/, dynamodb]]}]`), or something else (kept as
 * `shown`).
 */
function partOf(node: CNode | null, declared: Set<string>, shown: string, looked: LookedUp, depth = 0): Part[] {
  const text = node && !intrinsicName(node) ? scalarString(node) : looked(node);
  if (text !== undefined) return [{ text }];
  const fn = intrinsicName(node);
  // (Three levels, at most MAX_PARTS pieces: a key is one short string, and YAML aliases may repeat a node many times.)
  if (node && depth < 3 && (fn === 'Fn::Sub' || fn === 'Fn::Join')) {
    const parts = partsOf(node, declared, looked, depth + 1);
    if (parts && parts.length <= MAX_PARTS) return parts;
  }
  const ref = fn === 'Ref' ? referencedIds(node)[0] : undefined;
  return ref !== undefined && declared.has(ref) ? [{ param: ref }] : [{ text: shown }];
}

/**
 * `Fn::Select [index, [...]]` of a literal list: the item the index picks (itself composed or not), decided as above; an
 * index kmsfix does not know: unknown when an item names the AWS managed key. Null when no item it may pick names it;
 * undefined for another node.
 */
function selectedKey(node: CNode, source: string, raw: Setting['raw']): Setting | null | undefined {
  if (intrinsicName(node) !== 'Fn::Select') return undefined;
  const arg = resolveAlias(intrinsicArg(node));
  const list = arg?.kind === 'seq' ? resolveAlias(arg.items[1] ?? null) : null;
  if (arg?.kind !== 'seq' || list?.kind !== 'seq' || intrinsicName(list) || list.items.length > MAX_PARTS) return undefined;
  const index = scalarValue(resolveAlias(arg.items[0] ?? null));
  const values = list.items.map((item) => itemText(resolveAlias(item)));
  if (index !== undefined && /^\d+$/.test(index.trim())) {
    const picked = values[Number(index)];
    return picked === undefined ? undefined : (composedKeySetting([picked], source, raw) ?? null);
  }
  return composedKeySetting(values, source, raw, { some: `the index ${index ?? 'is not a literal'}` }) ?? null;
}

/** An item's text: a string, or a literal-only Fn::Sub/Fn::Join rendered (`*`-free: a part not known stays as written). */
function itemText(node: CNode | null): string {
  const text = node && !intrinsicName(node) ? scalarString(node) : undefined;
  if (text !== undefined) return text;
  const parts = node ? partsOf(node, new Set()) : undefined;
  return (parts && render(parts, () => undefined)) ?? '*';
}

/** Another intrinsic whose written strings hold alias/aws/dynamodb (`!Select [0, !Split [",", "alias/aws/dynamodb,x"]]`): unknown. */
function mentioned(node: CNode, source: string, raw: Setting['raw']): Setting | undefined {
  const fn = intrinsicName(node);
  if (!fn || fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::If' || fn === 'Fn::FindInMap') return undefined;
  return writtenStrings(node).some(mentionsManagedKey) ? maybeManagedKey(source, raw) : undefined;
}
