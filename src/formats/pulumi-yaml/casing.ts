/**
 * pulumi-yaml reads a resource's fields and the names of its options whatever their case: its parseRecord
 * (pkg/pulumiyaml/ast/template.go, pulumi/pulumi-yaml 36f271cf) matches each key to a field with strings.EqualFold
 * and only warns (syntax.UnexpectedCasing, "'ReplaceOnChanges' looks like a miscapitalization of
 * 'replaceOnChanges'"). So `Options: { ReplaceOnChanges: ['*'] }` replaces the table on changes as the camelCase
 * spelling does. Property names are not folded: they are the provider schema's, matched exactly (analyser.go
 * `to.Property(name)`; `ServerSideEncryption` is a property that does not exist, a type error).
 *
 * kmsfix reads the camelCase names; a table whose resource or options write one in another case is read for what
 * it may make a fix do (the table's options found, replaceOnChanges and ignoreChanges read: detect.ts) and declined,
 * the step naming the key to rewrite.
 */
import { resolveAlias, type CMap, type CNode, type CPair } from '../yaml/tree.js';

/** ResourceDecl's fields (template.go), as pulumi-yaml names them. */
export const RESOURCE_FIELDS = ['type', 'name', 'defaultProvider', 'properties', 'options', 'get'];

/** ResourceOptionsDecl's fields (template.go), as pulumi-yaml names them. */
export const OPTION_FIELDS = [
  'additionalSecretOutputs',
  'aliases',
  'customTimeouts',
  'deleteBeforeReplace',
  'dependsOn',
  'ignoreChanges',
  'import',
  'parent',
  'protect',
  'provider',
  'providers',
  'version',
  'pluginDownloadURL',
  'replaceOnChanges',
  'retainOnDelete',
  'replaceWith',
  'deletedWith',
  'hideDiffs',
  'replacementTrigger',
  'envVarMappings',
];

/** The own pairs of a mapping pulumi-yaml reads as `field`, in any case (the exact spelling among them). */
export function foldedPairs(map: CNode | null | undefined, field: string): CPair[] {
  const lower = field.toLowerCase();
  return map?.kind === 'map' ? map.pairs.filter((p) => p.key.toLowerCase() === lower) : [];
}

/** The value pulumi-yaml reads as `field` when no pair spells it exactly: the first pair in another case. */
export function foldedChild(map: CNode | null | undefined, field: string): CNode | null | undefined {
  const p = foldedPairs(map, field)[0];
  return p ? resolveAlias(p.value) : undefined;
}

/** The keys of a mapping written in another case than a field's (`Options`, `ReplaceOnChanges`), with that field. */
export function miscased(map: CMap | undefined, fields: string[]): { written: string; field: string }[] {
  if (!map) return [];
  const out: { written: string; field: string }[] = [];
  for (const p of map.pairs) {
    const field = fields.find((f) => f.toLowerCase() === p.key.toLowerCase());
    if (field !== undefined && field !== p.key) out.push({ written: p.key, field });
  }
  return out;
}

/**
 * A program's top-level section as pulumi-yaml reads it: ParseTemplate reads the template with the same parseRecord,
 * so `Resources:`, `Variables:`, `Config:`, `Outputs:` are its resources, variables, config and outputs (a warning, no
 * error). The pair it keeps: the last of those spelling the field in any case (parseRecord assigns each in turn).
 */
export function sectionPair(root: CMap, field: 'resources' | 'variables' | 'config' | 'configuration'): CPair | undefined {
  return foldedPairs(root, field).at(-1);
}

/** The value of a program's top-level section (sectionPair), aliases resolved. */
export function section(root: CMap, field: 'resources' | 'variables' | 'config' | 'configuration'): CNode | null | undefined {
  const p = sectionPair(root, field);
  return p ? resolveAlias(p.value) : undefined;
}
