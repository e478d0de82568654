/**
 * The permissions boundaries a TypeScript program gives roles (EncryptionFacts.cautions
 * `permissions-boundary`): a key policy whose principal is * cannot lift a boundary. Read in a file
 * that names one: a `permissionsBoundary` property (CDK `Role` and `Function` props, Pulumi and CDKTF
 * role args, serverless.ts `provider.iam.role.permissionsBoundary`), CDK's
 * `PermissionsBoundary.of(scope).apply(...)`, an escape hatch that writes one
 * (`addPropertyOverride('PermissionsBoundary', ...)`, in an Aspect), and an Aspect class named for one
 * (`Aspects.of(stack).add(new PermissionsBoundaryAspect(...))`); for an AWS CDK app, the same in the app's
 * entry file (where `cdk init` apps apply boundaries to the whole app: real-world round 31,
 * aws-lambda-sample-applications), and the boundary its cdk.json's context gives every role
 * (`@aws-cdk/core:permissionsBoundary`); and the same in the files a CDK table's file imports (relative
 * modules, one level, bounded: cdkApp.ts importsWith) and uses to create or call something, such as a
 * construct of the project that makes the app's roles (deploy-review pass of session 49: lib/roles.ts's
 * `AppRoles` gave its Role a boundary, lib/stack.ts created it and granted the table to its role); when none of these
 * does, the same in the files of the app that import the table's file and the files they import (cdkApp.ts
 * importersWith: the stack that creates the table's construct and applies a boundary to its roles, real-world round 37).
 *
 * An imported file's boundaries caution every table of the file that creates its constructs, as the file's
 * own do, whether or not a grant shows the role using the table: a role reaches a table through many
 * writings (`grant*` on the role or on a Function whose role it is, `addToPolicy` with `tableArn`, a
 * role passed into a construct, a table name in an environment and a policy on `*`), most of which do not
 * name the bounded role in the table's file; a caution missed is an outage where one too many is a
 * sentence to check.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { appBoundary, appEntryWith, importersWith, importsWith } from './cdkApp.js';
import type { TsDetection } from './tableTypes.js';
import { propertyName, stringValue, ts } from './parse.js';

const WORD = 'ermissionsBoundary';

/** The context name whose value CDK gives every role below as its boundary (cdk.json's is appBoundary's). */
const CONTEXT_BOUNDARY = '@aws-cdk/core:permissionsBoundary';

/**
 * A boundary's place, as the file names it: the construct's id, or the line; in another file than the
 * table's (`shown`), with that file and line (`AppRole at lib/roles.ts:8`).
 */
function placeOf(sf: ts.SourceFile, node: ts.Node, shown?: string): string {
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isNewExpression(n)) {
      const id = stringValue(n.arguments?.[1]) ?? stringValue(n.arguments?.[0]);
      if (id !== undefined) return shown ? `${id} at ${shown}:${line}` : id;
      break;
    }
  }
  return `permissionsBoundary at ${shown ? `${shown}:` : 'line '}${line}`;
}

/**
 * An Aspect a file adds: `Aspects.of(scope).add(new X(...))` (or CDK v1's `node.applyAspect(new X(...))`), or a class
 * named as an Aspect (`...Aspect`) in a file that adds Aspects (`const a = new X(); Aspects.of(app).add(a)`).
 */
function addedAsAspect(n: ts.NewExpression, sf: ts.SourceFile): boolean {
  let call: ts.Node = n.parent;
  while (ts.isParenthesizedExpression(call)) call = call.parent;
  if (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    ((call.expression.name.text === 'add' && /(?:^|\.)Aspects\.of\(/.test(call.expression.expression.getText(sf))) ||
      call.expression.name.text === 'applyAspect')
  )
    return true;
  return /Aspect$/.test(n.expression.getText(sf)) && /\bAspects\.of\(|\.applyAspect\(/.test(sf.text);
}

/** Each entry or imported file's boundaries, found once (every table file of the app asks). */
const entryBoundaries = new WeakMap<ts.SourceFile, string[]>();

function boundaries(sf: ts.SourceFile, shown?: string): string[] {
  if (shown !== undefined) {
    const found = entryBoundaries.get(sf);
    if (found) return found;
  }
  const out: string[] = [];
  const line = (n: ts.Node) => `${shown ? `${shown}:` : 'line '}${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'permissionsBoundary') out.push(placeOf(sf, n, shown));
    // The context that bounds every role below (an app's, `new App({ context: { [CONTEXT_BOUNDARY]: ... } })`, or
    // `app.node.setContext(CONTEXT_BOUNDARY, ...)`), as cdk.json's does (deploy review, session 55).
    else if (ts.isPropertyAssignment(n) && propertyName(n.name) === CONTEXT_BOUNDARY) out.push(`context ${CONTEXT_BOUNDARY} at ${line(n)}`);
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'setContext' &&
      stringValue(n.arguments[0]) === CONTEXT_BOUNDARY
    )
      out.push(`setContext('${CONTEXT_BOUNDARY}') at ${line(n)}`);
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^add(?:Property)?Override$/.test(n.expression.name.text) &&
      /(?:^|\.)PermissionsBoundary$/.test(stringValue(n.arguments[0]) ?? '')
    )
      out.push(`${n.expression.name.text}('${stringValue(n.arguments[0])}') at ${line(n)}`);
    else if (ts.isNewExpression(n) && /PermissionsBoundary/.test(n.expression.getText(sf)) && addedAsAspect(n, sf))
      out.push(`new ${n.expression.getText(sf)}(...) at ${line(n)}`);
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'of' &&
      /(?:^|\.)PermissionsBoundary$/.test(n.expression.expression.getText(sf))
    )
      out.push(`PermissionsBoundary.of(${n.arguments[0]?.getText(sf) ?? ''})${shown ? ` at ${line(n)}` : ''}`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const found = [...new Set(out)];
  if (shown !== undefined) entryBoundaries.set(sf, found);
  return found;
}

/**
 * Each table of a file that gives roles a permissions boundary gets the caution, and each CDK table of
 * an app whose cdk.json or entry file gives every role one, or of a file that uses a file it imports
 * that gives roles one (read only for a file with CDK tables).
 */
export async function boundaryCautions(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> {
  // Said only on a table a fix would change (src/rule/evaluate.ts judge).
  const open = d.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const where = file.text.includes(WORD) ? boundaries(d.sf) : [];
  const cdk = open.some((t) => t.format === 'cdk');
  const app = cdk ? await appBoundary(file, context) : undefined;
  if (app) where.push(app);
  const entry = cdk ? await appEntryWith(file, context, WORD) : undefined;
  if (entry) where.push(...boundaries(entry.sf, entry.file.path));
  if (cdk) for (const i of await importsWith(file, d, context, WORD)) where.push(...boundaries(i.sf, i.file.path));
  // None yet: the app's files that import this one (the stack that creates its construct), and the files they import and
  // use (an Aspect class of the app's), as for the table's file. Prefiltered on `Boundary`, which the stack's text holds
  // where it applies an Aspect named for one (`new RolePermissionBoundaryAspect(...)`) without naming PermissionsBoundary.
  if (cdk && where.length === 0)
    for (const i of await importersWith(file, context, 'Boundary')) {
      if (i.file.text.includes(WORD)) where.push(...boundaries(i.sf, i.file.path));
      for (const j of await importsWith(i.file, i, context, WORD)) where.push(...boundaries(j.sf, j.file.path));
    }
  if (where.length === 0) return;
  // An entry file that is also imported says its boundaries once.
  const named = [...new Set(where)];
  for (const t of d.tables) (t.encryption.cautions ??= []).push({ kind: 'permissions-boundary', where: named });
}
