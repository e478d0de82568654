/**
 * The roles a serverless.ts (or serverless.js) service grants DynamoDB actions on a table and no KMS action
 * (EncryptionFacts.cautions `iam-roles`, worded under `--key-policy iam` only): the service's configuration as the
 * node tree a serverless.yml parses to (cfnTree.ts serviceRoot), read by the one reader of a service's roles
 * (src/formats/cfn-values/iamRoles.ts): `provider.iam.role.statements`, `provider.iamRoleStatements`,
 * serverless-iam-roles-per-function's `functions.<fn>.iamRoleStatements`, the `AWS::IAM::Role` resources.
 *
 * What is plain converts; what is computed in code (a spread, a call, a template literal with substitutions) is a
 * value kmsfix does not know, and the reader stays conservative with it as with a serverless.yml's: an action it
 * cannot read, or a list of statements or policies it cannot read, makes the role unreadable (not named); a
 * Resource it cannot read names no table. A table is read where its resource is written in the service's own
 * `resources.Resources` literal (not a const or another file's export).
 */
import path from 'node:path';
import type { SourceFile } from '../../core/types.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { iamRoles } from '../cfn-values/iamRoles.js';
import { child } from '../yaml/tree.js';
import { serviceRoot } from './cfnTree.js';
import type { TsDetection } from './tableTypes.js';

export function serviceRoleCautions(file: SourceFile, d: TsDetection): void {
  const open = d.tables.filter((t) => t.framework === 'serverless' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const root = serviceRoot(d.sf);
  const resources = child(child(root, 'resources'), 'Resources');
  if (!root || resources?.kind !== 'map') return;
  const losing = iamRoles(file.text, { flavor: 'serverless', root, resources }, path.basename(file.path));
  for (const t of open) {
    const start = t.node.getStart(d.sf);
    const pair = resources.pairs.find((p) => p.value?.start === start);
    const caution = pair?.value && losing(pair.key, pair.value);
    if (caution) (t.encryption.cautions ??= []).push(caution);
  }
}
