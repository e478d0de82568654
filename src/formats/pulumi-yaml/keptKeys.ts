/**
 * A Pulumi YAML table kept past `pulumi destroy` whose key, a key resource of the same program, is not (Caution
 * `unkept-key`, as CloudFormation's and TypeScript's keptKeys.ts). kmsfix gives a generated key retainOnDelete
 * when the table is kept at fix time (detect.ts `retain`); a table given `retainOnDelete` or point-in-time
 * recovery later keeps a key the destroy deletes after it, and the table, or its backups, unreadable under it.
 *
 * Read: the table's key (`serverSideEncryption.kmsKeyArn`, aws-native's `sseSpecification.kmsMasterKeyId`)
 * written `${k.arn}` (or `${k.keyId}`), `k` a resource of the same program (or component) of type aws:kms:Key
 * (or aws-native's); the key is kept by its `options` `retainOnDelete` or `protect` set to anything but
 * `false` (a `${...}` may be true: kmsfix does not guess), or options it cannot read. The table's need is the
 * fix's own rule (retention.ts destroyKeeps), where the destroy deletes the key while the table stays
 * (pulumi/retention.ts: not a protected table, whose destroy fails before its key).
 */
import type { LineIndex } from '../../core/text.js';
import { keyDeletedWhileKept } from '../pulumi/retention.js';
import { notFalse, snippet } from '../yaml/scalars.js';
import { child, ownPair, resolveAlias, scalarString, type CMap } from '../yaml/tree.js';
import type { PulumiTable } from './tableTypes.js';
import { NATIVE_TYPES } from './native.js';
import { destroyKeeps } from './retention.js';

export const KEY_TYPES = new Set(['aws:kms:Key', 'aws:kms/key:Key', 'aws-native:kms:Key']);

/** The resource name a table's key is written with (`${ordersKey.arn}`: ordersKey); undefined for anything else. */
export function keyName(t: PulumiTable): string | undefined {
  const props = child(t.resource, 'properties');
  const key = NATIVE_TYPES.has(t.type)
    ? child(child(props, 'sseSpecification'), 'kmsMasterKeyId')
    : child(child(props, 'serverSideEncryption'), 'kmsKeyArn');
  const written = scalarString(resolveAlias(key) ?? null);
  return /^\$\{([A-Za-z_][\w-]*)\.(?:arn|keyId)\}$/.exec(written?.trim() ?? '')?.[1];
}

/** The key's options when they keep it not (`no options.retainOnDelete`, `options.retainOnDelete: false`); undefined when they keep it, or may. */
function unretained(text: string, key: CMap): string | undefined {
  const opts = resolveAlias(child(key, 'options'));
  if (opts && opts.kind !== 'map') return undefined;
  const [protect, retain] = ['protect', 'retainOnDelete'].map((k) => (opts ? child(opts, k) : undefined));
  if (notFalse(protect) || notFalse(retain)) return undefined;
  return retain ? `options.retainOnDelete: ${snippet(text, retain)}` : 'no options.retainOnDelete';
}

/** Adds the caution to each table of the file (`text`, named `file`) whose key of its program is deleted while the table is kept. */
export function unkeptKeyCautions(text: string, tables: PulumiTable[], lines: LineIndex, file: string): void {
  if (!text.includes(':kms:Key') && !text.includes(':kms/key:Key')) return;
  for (const t of tables) {
    const name = keyName(t);
    const pair = name === undefined ? undefined : t.program.resources.pairs.find((p) => p.key === name);
    const key = resolveAlias(pair?.value);
    if (!pair || key?.kind !== 'map' || !KEY_TYPES.has(scalarString(child(key, 'type')) ?? '') || ownPair(key, 'get')) continue;
    const policy = unretained(text, key);
    const keptBy = policy ? keyDeletedWhileKept(destroyKeeps(t.resource)) : [];
    if (!policy || keptBy.length === 0) continue;
    const pos = lines.position(pair.keyStart);
    (t.encryption.cautions ??= []).push({
      kind: 'unkept-key',
      key: name!,
      at: `${file}:${pos.line}:${pos.column}`,
      keptBy,
      policy,
      family: 'pulumi',
    });
  }
}
