/**
 * The permissions boundaries a TypeScript program gives roles (EncryptionFacts.cautions
 * `permissions-boundary`): a key policy whose principal is * cannot lift a boundary. Read in a file
 * that names one: a `permissionsBoundary` property (CDK `Role` and `Function` props, Pulumi and CDKTF
 * role args, serverless.ts `provider.iam.role.permissionsBoundary`) and CDK's
 * `PermissionsBoundary.of(scope).apply(...)`; and, for an AWS CDK app, the boundary its cdk.json's
 * context gives every role (`@aws-cdk/core:permissionsBoundary`).
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { appBoundary } from './cdkApp.js';
import type { TsDetection } from './detect.js';
import { propertyName, stringValue, ts } from './parse.js';

const WORD = 'ermissionsBoundary';

/** A boundary's place, as the file names it: the construct's id, the scope given to PermissionsBoundary.of, or the line. */
function placeOf(sf: ts.SourceFile, node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isNewExpression(n)) {
      const id = stringValue(n.arguments?.[1]) ?? stringValue(n.arguments?.[0]);
      if (id !== undefined) return id;
      break;
    }
  }
  return `permissionsBoundary at line ${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

function boundaries(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'permissionsBoundary') out.push(placeOf(sf, n));
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'of' &&
      /(?:^|\.)PermissionsBoundary$/.test(n.expression.expression.getText(sf))
    )
      out.push(`PermissionsBoundary.of(${n.arguments[0]?.getText(sf) ?? ''})`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...new Set(out)];
}

/**
 * Each table of a file that gives roles a permissions boundary gets the caution, and each CDK table of
 * an app whose cdk.json gives every role one (read only for a file with CDK tables).
 */
export async function boundaryCautions(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> {
  // Said only on a table a fix would change (src/rule/evaluate.ts judge).
  const open = d.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const where = file.text.includes(WORD) ? boundaries(d.sf) : [];
  const app = open.some((t) => t.format === 'cdk') ? await appBoundary(file, context) : undefined;
  if (app) where.push(app);
  if (where.length === 0) return;
  for (const t of d.tables) (t.encryption.cautions ??= []).push({ kind: 'permissions-boundary', where });
}
