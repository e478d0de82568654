/**
 * Checks on a fixed CloudFormation template beyond re-detection: each fixed table references a
 * generated key with rotation, and the documents as YAML resolves them (aliases, merge keys) differ
 * from the originals only where the fix was meant to change them.
 */
import type { FixOptions } from '../../core/types.js';
import { type CfnDetection, loopChain } from './detect.js';
import { allow, fileTexts, resolvedFileDifferences, type Allowance } from '../yaml/resolved.js';
import { child, scalarString } from '../yaml/tree.js';

/**
 * What a fix of these tables may change, per document: each fixed table's SSESpecification (and
 * its replicas'), a Properties it did not have, and new resources (the keys and aliases).
 */
export function allowedChanges(before: CfnDetection, fixed: string[]): Allowance[] {
  return before.roots.map((_, doc) => {
    const paths: { path: string[]; leaf: Allowance }[] = [];
    for (const template of before.templates) {
      if (template.doc !== doc) continue;
      // An item of serverless.yml's `resources` list: the allowance is for any item (the others are not edited).
      const base = template.resourcesPath.map((k) => (/^\d+$/.test(k) ? '*' : k));
      paths.push({ path: base, leaf: { newKeys: true } });
      for (const t of before.tables) {
        if (t.template !== template || !fixed.includes(t.address)) continue;
        // A Fn::ForEach table: its loop body (the list's third item) may get new resources too (the
        // innermost loop's, when loops are nested).
        const body = t.loop ? [...base, ...loopChain(t.loop).flatMap((l) => [l.pair.key, '*'])] : base;
        const at = [...body, t.resourcePair.key];
        if (t.loop) paths.push({ path: body, leaf: { newKeys: true } });
        const props = [...at, 'Properties'];
        if (child(t.resource, 'Properties')?.kind !== 'map') paths.push({ path: props, leaf: { any: true } });
        paths.push({ path: at, leaf: { newKeys: new Set(['Properties']) } });
        paths.push({ path: [...props, 'SSESpecification'], leaf: { any: true } });
        if (t.kind === 'global') paths.push({ path: [...props, 'Replicas', '*', 'SSESpecification'], leaf: { any: true } });
      }
    }
    return allow(paths);
  });
}

/** Problems of a fixed template (empty: it may be written). */
export function verifyCloudFormation(before: CfnDetection, after: CfnDetection, fixed: string[], options: FixOptions): string[] {
  const problems = resolvedFileDifferences(before.roots, after.roots, allowedChanges(before, fixed), fileTexts(before, after)).map(
    (d) => `outside the tables' encryption settings, ${d} (YAML aliases and merge keys resolved)`,
  );
  if (options.kmsKeyArn) return problems;
  for (const t of after.tables) {
    if (!fixed.includes(t.address)) continue;
    const keyId = t.keyRefs[t.keyRefs.length - 1];
    const key = keyId ? (child(t.loop?.body, keyId) ?? child(t.template.resources, keyId)) : undefined;
    if (scalarString(child(key, 'Type')) !== 'AWS::KMS::Key') {
      problems.push(`table ${t.address} does not reference a generated AWS::KMS::Key`);
    } else if (scalarString(child(child(key, 'Properties'), 'EnableKeyRotation')) !== 'true') {
      problems.push(`key ${keyId} of table ${t.address} does not enable rotation`);
    }
  }
  return problems;
}
