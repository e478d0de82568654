/**
 * A table kept past its stack whose key, a key resource of the same template, is not (Caution
 * `unkept-key`). kmsfix keeps a generated key when the table is kept at fix time (retention.ts); a table
 * retained later (AWS's guide to moving a resource between stacks starts by giving it `DeletionPolicy:
 * Retain`), given point-in-time recovery, deletion protection or a backup selection, keeps a key that the
 * stack's delete schedules for deletion, and the table, or its backups, unreadable under it. Any key
 * resource of the template the table names counts, not only a generated one: the consequence is the same.
 *
 * The table's need is the fix's own rule (retention.ts `keeps`); the key is kept when its DeletionPolicy
 * is anything but Delete (a function too: kmsfix does not guess), and, where the table's
 * UpdateReplacePolicy keeps it, its UpdateReplacePolicy too. A key several tables share is cautioned on
 * each table that needs it kept, with that table's reasons.
 */
import type { LineIndex } from '../../core/text.js';
import type { Caution } from '../../rule/facts.js';
import { policyRetention } from '../yaml/cfnKeyResources.js';
import { child, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import type { CfnTable } from './tableTypes.js';
import { keyNodesOf } from './globalReplicas.js';
import { intrinsicArg, intrinsicName, referencedIds, scalarValue } from '../cfn-values/intrinsics.js';
import { keeps } from './retention.js';

const KEY = 'AWS::KMS::Key';

/** Logical IDs a KMSMasterKeyId names: `!Ref K`, `!GetAtt K.Arn`, `${K.Arn}` in a Fn::Sub (or its variables), the items of a Fn::Join. */
function namedIds(node: CNode | null | undefined, depth = 0): string[] {
  const n = resolveAlias(node);
  const fn = intrinsicName(n);
  if (!n || !fn || depth > 8) return [];
  if (fn === 'Ref' || fn === 'Fn::GetAtt') return referencedIds(n);
  const arg = resolveAlias(intrinsicArg(n));
  if (fn === 'Fn::Sub') {
    const [template, vars] = arg?.kind === 'seq' ? [resolveAlias(arg.items[0] ?? null), resolveAlias(arg.items[1] ?? null)] : [arg, null];
    const s = scalarValue(template);
    if (s === undefined) return [];
    // `${!Literal}` is text.
    return [...s.matchAll(/\$\{([^}!][^}]*)\}/g)].flatMap((m) => {
      const name = m[1].trim();
      const own = vars?.kind === 'map' ? vars.pairs.find((p) => p.key === name) : undefined;
      return own ? namedIds(own.value, depth + 1) : [name.split('.')[0]];
    });
  }
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const list = resolveAlias(arg.items[1] ?? null);
    return list?.kind === 'seq' ? list.items.flatMap((i) => namedIds(i, depth + 1)) : [];
  }
  return [];
}

/** A policy of the key as written, for the caution (`no DeletionPolicy`, `DeletionPolicy: Delete`). */
function written(resource: CMap, name: string): { kept: boolean; text: string } {
  const v = child(resource, name);
  const value = scalarString(v);
  const kept = policyRetention([{ written: v !== undefined, value }]) !== undefined;
  return { kept, text: v === undefined ? `no ${name}` : `${name}: ${value ?? 'Delete'}` };
}

/**
 * Adds the caution to each table of one template (`tables`, as detect.ts read them; `text` the file's,
 * `file` its name as cautions show it) whose key of the template is not kept while the table is.
 */
export function unkeptKeyCautions(text: string, tables: CfnTable[], lines: LineIndex, file: string): void {
  if (!text.includes(KEY)) return;
  for (const t of tables) {
    // A loop's key names hold the loop's values (`${Name}Key`): not read.
    if (t.loop) continue;
    const ids = new Set(keyNodesOf(child(t.resource, 'Properties'), t.kind === 'global').flatMap((n) => namedIds(n)));
    for (const id of ids) {
      const keyPair: CPair | undefined = t.template.resources.pairs.find((p) => p.key === id);
      const key = resolveAlias(keyPair?.value);
      if (!keyPair || key?.kind !== 'map' || scalarString(child(key, 'Type')) !== KEY) continue;
      const need = keeps(t, text);
      if (need.length === 0) continue;
      const deletion = written(key, 'DeletionPolicy');
      const replace = written(key, 'UpdateReplacePolicy');
      // The table's UpdateReplacePolicy asks the same of the key's; anything else keeps the table past a delete.
      const onReplace = need.filter((k) => k.why.startsWith('UpdateReplacePolicy'));
      const [keptBy, policy] = !deletion.kept
        ? [need, deletion.text]
        : !replace.kept && onReplace.length > 0
          ? [onReplace, replace.text]
          : [];
      if (!keptBy || !policy) continue;
      const pos = lines.position(keyPair.keyStart);
      const caution: Caution = {
        kind: 'unkept-key',
        key: id,
        at: `${file}:${pos.line}:${pos.column}`,
        keptBy: keptBy.map((k) => k.why),
        policy,
        family: 'cloudformation',
      };
      // A template's cautions are shared by its tables (cautions.ts): this one is the table's own.
      t.encryption.cautions = [...(t.encryption.cautions ?? []), caution];
    }
  }
}
