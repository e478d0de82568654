/** Checks on a fixed Pulumi YAML program: the resolved documents differ only where the fix was meant to change them. */
import { allow, fileTexts, resolvedFileDifferences, type Allowance } from '../yaml/resolved.js';
import type { FixOptions } from '../../core/types.js';
import { child, scalarString } from '../yaml/tree.js';
import { SSE_PATH, type PulumiDetection } from './detect.js';

/** What a fix may change, per document: the fixed tables' serverSideEncryption, new resources and variables. */
export function allowedChanges(before: PulumiDetection, fixed: string[]): Allowance[] {
  return before.roots.map((_, doc) => {
    const paths: { path: string[]; leaf: Allowance }[] = [];
    for (const program of before.programs) {
      if (program.doc !== doc) continue;
      paths.push({ path: [], leaf: { newKeys: new Set(['variables']) } });
      paths.push({ path: ['variables'], leaf: child(program.root, 'variables')?.kind === 'map' ? { newKeys: true } : { any: true } });
      paths.push({ path: ['resources'], leaf: { newKeys: true } });
      for (const t of before.tables) {
        if (t.program !== program || !fixed.includes(t.address)) continue;
        const props = ['resources', t.address, SSE_PATH.properties];
        if (child(t.resource, SSE_PATH.properties)?.kind !== 'map') paths.push({ path: props, leaf: { any: true } });
        paths.push({ path: ['resources', t.address], leaf: { newKeys: new Set([SSE_PATH.properties]) } });
        paths.push({ path: [...props, SSE_PATH.sse], leaf: { any: true } });
      }
    }
    return allow(paths);
  });
}

/**
 * Problems of a fixed program (empty: it may be written): each fixed table uses a generated key with
 * rotation, created through the table's own provider (so in its Region).
 */
export function verifyPulumiYaml(before: PulumiDetection, after: PulumiDetection, fixed: string[], options: FixOptions): string[] {
  const problems = resolvedFileDifferences(before.roots, after.roots, allowedChanges(before, fixed), fileTexts(before, after)).map(
    (d) => `outside the tables' encryption settings, ${d} (YAML aliases and merge keys resolved)`,
  );
  if (options.kmsKeyArn) return problems;
  for (const t of after.tables) {
    if (!fixed.includes(t.address)) continue;
    const arn = scalarString(child(child(child(t.resource, SSE_PATH.properties), SSE_PATH.sse), 'kmsKeyArn')) ?? '';
    const keyName = /^\$\{([^.}]+)\.arn\}$/.exec(arn)?.[1];
    const key = keyName ? child(t.program.resources, keyName) : undefined;
    if (scalarString(child(key, 'type')) !== 'aws:kms:Key') problems.push(`table ${t.address} does not reference a generated aws:kms:Key`);
    else if (scalarString(child(child(key, 'properties'), 'enableKeyRotation')) !== 'true')
      problems.push(`key ${keyName} of table ${t.address} does not enable rotation`);
    else if (scalarString(child(child(key, 'options'), 'provider')) !== (t.provider ? '${' + t.provider + '}' : undefined))
      problems.push(`key ${keyName} of table ${t.address} is not created through the table's provider`);
  }
  return problems;
}
