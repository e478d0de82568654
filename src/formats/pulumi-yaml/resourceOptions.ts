/**
 * A resource's `options` as they bear on a fix: its provider (`providerOf`), what they keep from a fix (`optionObstacles`:
 * ignoreChanges over the encryption or replicas, and the like), and fields written in another case (`miscasedObstacle`).
 */
import { replicasIgnored } from '../../rule/blockers.js';
import type { Obstacle } from '../../rule/facts.js';
import type { LineIndex } from '../../core/text.js';
import { coversEncryption, coversReplicas } from '../pulumi/propertyPath.js';
import { OPTION_FIELDS, RESOURCE_FIELDS, foldedChild, foldedPairs, miscased } from './casing.js';
import { snippet } from '../yaml/scalars.js';
import { child, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';
import { SSE_PATH } from './tableTypes.js';

/** `options: provider: ${name}`: the provider resource's name, which the fix creates the key and its lookups through. */
export function providerOf(opts: CMap | undefined): string | undefined {
  const v = scalarString(resolveAlias(child(opts, 'provider')) ?? null);
  return v === undefined ? undefined : /^\$\{([A-Za-z_][\w-]*)\}$/.exec(v.trim())?.[1];
}

/**
 * What the table's resource `options` keep a fix from doing right: providers (a `providers` map,
 * a parent whose providers the table inherits, a `provider` that is not `${name}`) that the
 * generated key and its policy's Region and account lookups would not go through, so the key could
 * be in another Region than the table; `ignoreChanges` naming serverSideEncryption (or `'*'`,
 * every property), which `pulumi up` would then leave as it is; and `replaceOnChanges` naming it, for which
 * `pulumi up` would replace the table (a new, empty one) instead of changing its key in place.
 */
export function optionObstacles(text: string, lines: LineIndex, opts: CMap | undefined): Obstacle[] {
  if (!opts) return [];
  const out: Obstacle[] = [];
  // A provider named as `${name}` goes to the key and its lookups too (providerOf).
  // Option names in any case, as pulumi-yaml reads them (casing.ts).
  const through = ['provider', 'providers', 'parent'].find(
    (k) => foldedPairs(opts, k).length > 0 && !(k === 'provider' && providerOf(opts)),
  );
  if (through) {
    const what = snippet(text, child(opts, through) ?? foldedChild(opts, through));
    out.push({
      kind: 'code-shape',
      step:
        `the table is created with options.${through} ${what}, and kmsfix would create its key, and the Region and account lookups of the key's policy, ` +
        `through the default provider (possibly another Region or account than the table's): create the key with the same ${through} by hand, then set ${SSE_PATH.sse}`,
    });
  }
  // Replacing the table (a new, empty one) is worse than ignoring the change: said first.
  const replaced = encryptionEntry(opts, 'replaceOnChanges');
  if (replaced) out.push({ kind: 'replaced-on-changes', where: `options.${replaced.key}`, entry: snippet(text, replaced.entry) });
  const ignored = encryptionEntry(opts, 'ignoreChanges');
  if (ignored)
    out.push({ kind: 'ignored-changes', where: `options.${ignored.key}`, entry: snippet(text, ignored.entry), tool: 'pulumi up' });
  // `replicas` (or a path under it): a global table whose replicas are declared elsewhere.
  const replicas = optionEntry(opts, 'ignoreChanges', coversReplicas);
  if (replicas)
    out.push(replicasIgnored(`options.${replicas.key}`, snippet(text, replicas.entry), lines.position(replicas.entry.start).line));
  return out;
}

/**
 * A table whose resource fields or option names are written in another case than pulumi-yaml's (`Options`,
 * `ReplaceOnChanges`): pulumi-yaml reads them as its fields (casing.ts), the rest of kmsfix only as written, so the
 * table is declined, naming them.
 */
export function miscasedObstacle(resource: CMap, opts: CMap | undefined): Obstacle | undefined {
  const keys = [
    ...miscased(resource, RESOURCE_FIELDS),
    ...miscased(opts, OPTION_FIELDS).map((m) => ({ written: `options.${m.written}`, field: `options.${m.field}` })),
  ];
  if (keys.length === 0) return undefined;
  const written = keys.map((k) => k.written).join(', ');
  return {
    kind: 'code-shape',
    step:
      `the table writes ${written} in another case than pulumi-yaml's field${keys.length > 1 ? 's' : ''}, which pulumi-yaml reads as ` +
      `${keys.map((k) => k.field).join(', ')} (with a miscapitalization warning) and kmsfix reads only in camelCase: ` +
      `rename ${keys.length > 1 ? 'them' : 'it'} ${keys.map((k) => k.field.split('.').pop()).join(', ')}, then run kmsfix again`,
  };
}

/**
 * The entry of a property-path option (`ignoreChanges`, `replaceOnChanges`: a list, or one entry) that covers
 * the encryption: a path under serverSideEncryption (its quoted form too), or '*', every property (pulumi/propertyPath.ts).
 */
function encryptionEntry(opts: CMap, option: string): { key: string; entry: CNode } | undefined {
  return optionEntry(opts, option, coversEncryption);
}

/** The first entry of a property-path option that `covers` says yes to, with the option's name as written. */
function optionEntry(opts: CMap, option: string, covers: (entry: string) => boolean): { key: string; entry: CNode } | undefined {
  // The option as written, merge keys followed, else in another case (casing.ts): each is read.
  const written = child(opts, option);
  const lists = [
    ...(written !== undefined ? [{ key: option, value: written }] : []),
    ...foldedPairs(opts, option)
      .filter((p) => p.key !== option)
      .map((p) => ({ key: p.key, value: resolveAlias(p.value) })),
  ];
  for (const { key, value } of lists) {
    const resolved = resolveAlias(value);
    const entries = resolved?.kind === 'seq' ? resolved.items : resolved ? [resolved] : [];
    const entry = entries.find((e) => covers(scalarString(resolveAlias(e)) ?? ''));
    if (entry) return { key, entry };
  }
  return undefined;
}
